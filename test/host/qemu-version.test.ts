import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { atLeast, parseQemuVersion } from '../../lib/host/qemu-version.js';
import { isKubenetError } from '../../lib/errors.js';

const test = suite('parseQemuVersion');

// Real first lines of `--version` (see chapter-01.md, step 1).
const table: [string, string, [number, number, number]][] = [
  [
    'QEMU emulator version 8.2.0\nCopyright (c) 2003-2023 Fabrice Bellard and the QEMU Project developers',
    '8.2.0',
    [8, 2, 0],
  ],
  [
    'QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\nCopyright …',
    '7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)',
    [7, 2, 22],
  ],
  ['qemu-img version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)', '7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)', [7, 2, 22]],
  ['QEMU emulator version 9.1.50 (v9.1.0-1234-gabcdef)\r\n', '9.1.50 (v9.1.0-1234-gabcdef)', [9, 1, 50]],
  ['QEMU emulator version 6.2', '6.2', [6, 2, 0]],
];
for (const [output, version, semver] of table) {
  test(`reads ${JSON.stringify(output.split('\n')[0])}`, () => {
    assert.equal(parseQemuVersion(output), { version, semver });
  });
}

test('rejects output that is not QEMU', () => {
  try {
    parseQemuVersion('bash: qemu: command not found');
    assert.unreachable();
  } catch (error) {
    assert.ok(isKubenetError(error));
    assert.match(error.message, 'cannot read a QEMU version');
  }
});

test('compares versions', () => {
  assert.ok(atLeast([7, 2, 22], [7, 1, 0]));
  assert.ok(atLeast([7, 1, 0], [7, 1, 0]));
  assert.not.ok(atLeast([7, 0, 9], [7, 1, 0]));
  assert.ok(atLeast([10, 0, 0], [9, 9, 9]));
});

test.run();
