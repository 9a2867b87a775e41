// A reporter that prints nothing: for tests that run tasks or boots and read their outcome elsewhere.
import type { Reporter } from '../../lib/runner/reporter.js';

export const silentReporter: Reporter = {
  start: async () => {},
  progress() {},
  note() {},
  detail() {},
  print() {},
  done() {},
  skipped() {},
  failed() {},
  release() {},
  close() {},
};
