import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseOptions } from '../../lib/cli/options.js';
import { ExitCode, isKubenetError } from '../../lib/errors.js';

const test = suite('parseOptions');

test("defaults are the guide's", () => {
  const o = parseOptions(['run', '03'], {});
  assert.equal([o.command, o.names, o.memory, o.smp, o.diskSize, o.timeout], ['run', ['03'], '2G', 2, '128G', 600]);
  assert.is(o.mirror, undefined);
});

test('KUBENET_MIRROR is the default mirror; --mirror wins', () => {
  assert.is(parseOptions(['prefetch'], { KUBENET_MIRROR: 'http://m.local/x' }).mirror, 'http://m.local/x');
  assert.is(parseOptions(['prefetch', '--mirror', 'https://a/b'], { KUBENET_MIRROR: 'http://m.local/x' }).mirror, 'https://a/b');
});

test('kubenet ssh waits up to 300 s for sshd by default; --wait 0 does not wait', () => {
  assert.is(parseOptions(['ssh'], {}).wait, 300);
  assert.is(parseOptions(['ssh', '--wait', '0'], {}).wait, 0);
  assert.is(parseOptions(['ssh', '--wait', '900', '--', 'true'], {}).wait, 900);
});

const bad: string[][] = [
  ['run', '--arch', 'riscv64'],
  ['run', '--accel', 'xen'],
  ['run', '--smp', '0'],
  ['run', '--memory', 'lots'],
  ['run', '--timeout', '-3'],
  ['run', '--mirror', 'ftp://x'],
  ['run', '--no-such-flag'],
  ['ssh', '--wait', '-1'],
  ['ssh', '--wait', 'soon'],
  ['ssh', '--wait', ''],
];
for (const argv of bad) {
  test(`rejects ${argv.slice(1).join(' ')} with a usage error`, () => {
    try {
      parseOptions(argv, {});
      assert.unreachable();
    } catch (error) {
      assert.ok(isKubenetError(error));
      assert.is(error.code, ExitCode.usage);
    }
  });
}

test.run();
