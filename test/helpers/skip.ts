// A test that cannot run here says so visibly, and fails where everything is installed (CI):
// a skip must never count as a pass there. `.ci/run` sets CI=true.
import type { test as uvuTest } from 'uvu';

export const inCi = (env: NodeJS.ProcessEnv = process.env): boolean => /^(1|true|yes)$/i.test(env.CI ?? '');

export class MissingInCi extends Error {
  override name = 'MissingInCi';
}

// True when the test must stop here: prints `SKIP: why` locally, throws under CI=true.
//   if (skipUnless(hasQemu, 'QEMU is not installed (apt-get install qemu-system-x86)')) return;
export function skipUnless(available: unknown, why: string): boolean {
  if (available) return false;
  if (inCi()) throw new MissingInCi(`cannot run under CI=true: ${why} (.ci/run installs everything the tests need)`);
  process.stdout.write(`\n  SKIP: ${why}\n`);
  return true;
}

// Registers a whole case that needs something: uvu's own skip locally (reported as skipped),
// a failing case under CI=true.
export function testWhen(
  suite: typeof uvuTest,
  available: unknown,
  why: string,
  title: string,
  body: () => unknown,
): void {
  if (available) return suite(title, body as () => Promise<void>);
  if (inCi()) {
    return suite(title, () => {
      throw new MissingInCi(`cannot run under CI=true: ${why}`);
    });
  }
  process.stdout.write(`\n  SKIP: ${title} — ${why}\n`);
  suite.skip(title, () => undefined);
}

// Registers a case that needs a property of this host that no install can give — a KVM of one
// kind or another, macOS — as opposed to a tool .ci/run installs. Where the host lacks it the case
// is skipped visibly and counted, under CI=true too: a CI machine without it is not a failure of
// the project. scripts/test.mjs lists these skips with their reasons at the end of the run.
export function testOnHost(suite: typeof uvuTest, has: boolean, why: string, title: string, body: () => unknown): void {
  if (has) return suite(title, body as () => Promise<void>);
  process.stdout.write(`\n  SKIP (host): ${title} — ${why}\n`);
  suite.skip(title, () => undefined);
}
