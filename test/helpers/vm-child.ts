// A kubenet stand-in for signal tests: runs the firmware VM until killed, reports its ready
// state on stdout, and exits with the error's code as the CLI would.
import { formatError, isKubenetError } from '../../lib/errors.js';
import { makePaths } from '../../lib/paths.js';
import { onStopSignals } from '../../lib/runner/stop-signals.js';
import { runVm } from '../../lib/vm/run-vm.js';
import { firmwareRun } from './vm-qemu.js';

const [root, vm] = process.argv.slice(2);
const paths = makePaths(root!);
let announced = false;
const stop = onStopSignals(); // as the CLI does: a signal aborts the run
try {
  await runVm({
    signal: stop.signal,
    ...firmwareRun({ root: root!, paths, cleanup: async () => undefined }, vm!),
    until: /a marker this firmware never prints/,
    onLine: () => {
      if (!announced) console.log('serial');
      announced = true;
    },
  });
  process.exitCode = 0;
} catch (error) {
  console.error(formatError(error));
  process.exitCode = isKubenetError(error) ? error.code : 1;
} finally {
  stop.dispose();
}
