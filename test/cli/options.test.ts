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

const bad: string[][] = [
  ['run', '--arch', 'riscv64'],
  ['run', '--accel', 'xen'],
  ['run', '--smp', '0'],
  ['run', '--memory', 'lots'],
  ['run', '--timeout', '-3'],
  ['run', '--mirror', 'ftp://x'],
  ['run', '--no-such-flag'],
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

test('a bad --mirror is named without its password', () => {
  try {
    parseOptions(['run', '--mirror', 'ftp://learner:s3cret@m.lan/'], {});
    assert.unreachable();
  } catch (error) {
    assert.ok(isKubenetError(error));
    assert.is(error.message, '--mirror ftp://learner:***@m.lan/ is not an http(s) URL');
  }
});

test.run();
