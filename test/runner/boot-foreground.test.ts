// A boot on a terminal: before QEMU takes it, kubenet says how to leave the console and where the
// monitor is (once: Ctrl-] leaves and the VM runs on; the guide's -nographic Ctrl-A X, Ctrl-A C) —
// the real CLI on a real pty.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { which } from '../../lib/host/which.js';
import { binPath } from '../helpers/cli.js';
import { killQemuIn, qemuProcessesIn } from '../helpers/processes.js';
import { hasScript, runInPty } from '../helpers/pty.js';
import { testWhen } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('a boot on a terminal');
let dir: ReturnType<typeof tempDir>;
test.before.each(() => {
  dir = tempDir('kubenet-boot-step-');
});
test.after.each(() => {
  killQemuIn(join(dir.path, 'images'));
  dir.remove();
});

const ready = hasScript && which('qemu-system-aarch64');
testWhen(
  test,
  ready,
  'needs util-linux `script` and qemu-system-aarch64 (apt-get install bsdutils qemu-system-arm qemu-efi-aarch64)',
  'the console line comes before QEMU takes the terminal, and the run ends cleanly (bound: 200 s)',
  async () => {
    const images = join(dir.path, 'images');
    const { CI: _ci, DISPLAY: _d, WAYLAND_DISPLAY: _w, ...env } = process.env; // a person at a text terminal
    const r = await runInPty(
      [
        binPath,
        'run',
        'uefi',
        '--arch',
        'aarch64',
        '--images',
        images,
        '--memory',
        '256M',
        '--until',
        'Shell>',
        '--timeout',
        '180',
      ],
      { columns: 120, rows: 40, env, timeoutMs: 200_000, maxBytes: 8 << 20 },
    );
    assert.is(r.code, 0, r.output.slice(-2000));
    const plain = r.output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    const at = plain.indexOf(
      "console: this terminal is the VM's serial console now — Ctrl-] leaves it and the VM runs on " +
        '(kubenet console comes back), Ctrl-A X quits QEMU, Ctrl-A C switches to the monitor and back',
    );
    assert.ok(at >= 0, 'the console line is said');
    const firmware = plain.indexOf('UEFI Interactive Shell'); // EDK2's banner, written by the guest's firmware
    assert.ok(firmware > 0, 'the firmware reached its shell on this terminal');
    assert.ok(at < firmware, 'before the firmware writes to the terminal');
    assert.is(plain.indexOf('console: this terminal', at + 1), -1, 'said once');
    assert.equal(qemuProcessesIn(images), []);
  },
);

test.run();
