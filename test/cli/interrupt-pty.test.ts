// Ctrl-C at a terminal ends every command that can wait. Each case runs the real CLI on a pty, as a
// person does (no CI: spinners and prompts as at a desk), waits for the moment it is busy —
// a download trickling in, a lock another process holds, a prompt, a VM that will not power off —
// types Ctrl-C and expects the command to end within a few seconds. A spinner's timer once kept
// `run cloud-img` alive after it had printed "interrupted".
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makePaths } from '../../lib/paths.js';
import { binPath, testEnv } from '../helpers/cli.js';
import { publish, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { plantLock } from '../helpers/held-lock.js';
import { killProcessesMentioning, killQemuIn, qemuProcessesIn } from '../helpers/processes.js';
import { until } from '../helpers/within.js';
import { which } from '../../lib/host/which.js';
import { hasScript, runInPty, type PtyResult } from '../helpers/pty.js';
import { testWhen } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';
import { startFakeVm, type FakeVm } from '../helpers/fake-vm.js';

const test = suite('Ctrl-C at a terminal');
const name = 'jammy-server-cloudimg-amd64.img';
const ctrlC = '\x03';
let server: FaultServer;
let dir: ReturnType<typeof tempDir>;
let images: string;
const others: ChildProcess[] = [];
const fakes: FakeVm[] = [];

test.before(async () => {
  server = await startFaultServer();
  const { path } = publish(server, 'https://cloud-images.ubuntu.com/jammy/current/', name, Buffer.alloc(64 << 20, 1));
  server.always(path, { trickle: { bytes: 4096, everyMs: 200 } }); // minutes for the whole file
});
test.after(async () => {
  await server?.close();
});
test.before.each(() => {
  dir = tempDir('kubenet-interrupt-');
  images = join(dir.path, 'images');
});
test.after.each(async () => {
  for (const p of others.splice(0)) p.kill('SIGKILL');
  await Promise.all(fakes.splice(0).map((f) => f.kill()));
  killProcessesMentioning(dir.path); // a command that did not end is stopped here
  killQemuIn(images);
  dir.remove();
});

// A person's environment: no CI (spinners and prompts), no colour switches; no shared cache.
const atDesk = (): NodeJS.ProcessEnv =>
  Object.fromEntries(
    Object.entries({ ...process.env, ...testEnv, HOME: dir.path }).filter(
      ([k]) => !['CI', 'NO_COLOR', 'FORCE_COLOR'].includes(k),
    ),
  );
const kubenetOnPty = (args: string[], keys: { when: RegExp | number; send: string }[]) =>
  runInPty([process.execPath, binPath, ...args, '--images', images], {
    columns: 120,
    rows: 40,
    env: atDesk(),
    cwd: dir.path,
    timeoutMs: 60_000,
    maxBytes: 4 << 20,
    keys,
  });

// Ended by the Ctrl-C (not by the test's bound), within `boundMs` of it.
function endedByCtrlC(r: PtyResult, code: number | null, boundMs = 10_000): void {
  const plain = r.output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  assert.is(r.unsent, 0, `the cue for Ctrl-C never came:\n${plain.slice(-2000)}`);
  assert.is(r.stopped, undefined, `still running when the test gave up (${r.stopped}):\n${plain.slice(-2000)}`);
  assert.is(r.code, code, plain.slice(-2000));
  const after = r.closedAt - r.sentAt.at(-1)!;
  assert.ok(after < boundMs, `ended ${Math.round(after)} ms after Ctrl-C`);
}

// The image's download lock, held by another live process (a `sleep` standing in for a kubenet).
async function holdDownloadLock(): Promise<void> {
  const holder = spawn('sleep', ['120'], { stdio: 'ignore' });
  others.push(holder);
  await plantLock(makePaths(images).lock(`download-${name}`), holder.pid!, `downloading ${name}`);
}

const needsScript = 'util-linux `script` is not installed (apt-get install bsdutils)';
const downloading = /jammy-server-cloudimg-amd64\.img: \d/;

testWhen(
  test,
  hasScript,
  needsScript,
  'run cloud-img: Ctrl-C during the download ends it (130), the spinner stopped',
  async () => {
    const r = await kubenetOnPty(['run', 'cloud-img', '--mirror', server.url], [{ when: downloading, send: ctrlC }]);
    endedByCtrlC(r, 130);
    assert.match(r.output, 'interrupted');
  },
);

testWhen(test, hasScript, needsScript, 'prefetch: Ctrl-C during the download ends it (130)', async () => {
  const r = await kubenetOnPty(['prefetch', 'cloud-img', '--mirror', server.url], [{ when: downloading, send: ctrlC }]);
  endedByCtrlC(r, 130);
  assert.match(r.output, 'interrupted');
});

testWhen(
  test,
  hasScript,
  needsScript,
  'run cloud-img: Ctrl-C while waiting for a lock another process holds ends it (130)',
  async () => {
    await holdDownloadLock();
    const r = await kubenetOnPty(
      ['run', 'cloud-img', '--mirror', server.url],
      [{ when: /waiting for pid \d+/, send: ctrlC }],
    );
    endedByCtrlC(r, 130);
    assert.match(r.output, 'interrupted while waiting');
  },
);

testWhen(
  test,
  hasScript,
  needsScript,
  'import: Ctrl-C while waiting for a lock another process holds ends it (130)',
  async () => {
    await holdDownloadLock();
    const file = join(dir.path, name);
    writeFileSync(file, 'an image');
    const sums = join(dir.path, 'SHA256SUMS');
    writeFileSync(sums, `${createHash('sha256').update('an image').digest('hex')} *${name}\n`);
    const r = await kubenetOnPty(['import', file, '--sums', sums], [{ when: /waiting for pid \d+/, send: ctrlC }]);
    endedByCtrlC(r, 130);
  },
);

testWhen(test, hasScript, needsScript, 'reset: Ctrl-C at its question ends it, nothing deleted', async () => {
  mkdirSync(images, { recursive: true });
  writeFileSync(join(images, 'ubuntu0.img'), 'a disk');
  const r = await kubenetOnPty(['reset', '03-cloud-image'], [{ when: /Delete them\? \[y\/N\]/, send: ctrlC }]);
  endedByCtrlC(r, 130);
  assert.match(r.output, 'interrupted at the question');
  assert.ok(existsSync(join(images, 'ubuntu0.img')), 'the disk is still there');
});

testWhen(test, hasScript, needsScript, "ssh: Ctrl-C while waiting for the guest's sshd ends it", async () => {
  const paths = makePaths(images);
  mkdirSync(images, { recursive: true });
  fakes.push(await startFakeVm(paths, 'ubuntu0'));
  writeFileSync(paths.vmFile('ubuntu0', 'ssh-port'), '9\n'); // nothing answers there
  mkdirSync(join(dir.path, '.ssh'));
  writeFileSync(join(dir.path, '.ssh', 'id_ed25519'), 'a key', { mode: 0o600 });
  writeFileSync(join(dir.path, '.ssh', 'id_ed25519.pub'), 'ssh-ed25519 AAAA a key');
  const r = await kubenetOnPty(['ssh', 'ubuntu0', '--', 'true'], [{ when: /waiting for sshd/, send: ctrlC }]);
  endedByCtrlC(r, 130);
});

testWhen(test, hasScript, needsScript, 'stop: Ctrl-C while the guest is given its grace ends it', async () => {
  const paths = makePaths(images);
  mkdirSync(images, { recursive: true });
  fakes.push(await startFakeVm(paths, 'ubuntu0'));
  const r = await kubenetOnPty(['stop', 'ubuntu0', '--grace', '120'], [{ when: 3_000, send: ctrlC }]);
  endedByCtrlC(r, 130);
});

// A headless VM stopped with Ctrl-C: the guest is asked to power off (ACPI) and given its grace
// — half a minute under TCG. The UEFI shell ignores the power button, so the whole grace would
// pass: the countdown shows it, and a second Ctrl-C ends QEMU at once.
const hasAarch64 = which('qemu-system-aarch64') !== undefined;
testWhen(
  test,
  hasScript && hasAarch64,
  `${needsScript}, and qemu-system-aarch64`,
  'run a headless VM: Ctrl-C shows the power-off countdown, and a second Ctrl-C ends QEMU at once',
  async () => {
    const r = await kubenetOnPty(
      ['run', 'uefi', '--arch', 'aarch64', '--memory', '256M', '--headless'],
      [
        { when: /stop it: Ctrl-C here/, send: ctrlC },
        {
          when: /machine is powering off: \d+ s left before QEMU is told to quit; Ctrl-C again ends QEMU now/,
          send: ctrlC,
        },
      ],
    );
    endedByCtrlC(r, 130, 8_000);
    const plain = r.output.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
    assert.match(
      plain,
      new RegExp(
        /SIGINT: asked machine to power off \(the ACPI power button\); /.source +
          /QEMU is told to quit if the guest has not within \d+ s; Ctrl-C again ends QEMU now/.source,
      ),
    );
    assert.match(plain, 'SIGINT again: stopping at once');
    const images = join(dir.path, 'images');
    await until(() => qemuProcessesIn(images).length === 0, 'QEMU to be gone', 10_000);
  },
);

test.run();
