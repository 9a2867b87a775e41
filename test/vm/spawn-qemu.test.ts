import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ExitCode } from '../../lib/errors.js';
import { spawnQemu } from '../../lib/vm/spawn-qemu.js';
import { failsWith } from '../helpers/fails-with.js';
import { alive } from '../helpers/processes.js';
import { eventually } from '../helpers/vm-qemu.js';
import { tempDir } from '../helpers/tmp.js';
import { plantVictim } from '../helpers/victim.js';

const test = suite('spawnQemu: its stderr log');
let dir: ReturnType<typeof tempDir>;
let images: string;
let stderrFile: string;

test.before.each(() => {
  dir = tempDir('kubenet-spawn-');
  images = join(dir.path, 'images');
  stderrFile = join(images, 'vm', 'ubuntu0', 'qemu.stderr');
  mkdirSync(join(images, 'vm', 'ubuntu0'), { recursive: true });
});
test.after.each(() => dir.remove());

const start = (exe: string, args: string[]) =>
  spawnQemu({ command: { exe, args, sudo: false }, cwd: images, interactive: false, setpriv: undefined, stderrFile });

test('what the process prints on stderr is kept in vm/<name>/qemu.stderr', async () => {
  const qemu = await start('sh', ['-c', 'echo "qemu-system-aarch64: oops" >&2']);
  const exit = await qemu.exited;
  assert.is(exit.exitCode, 0);
  assert.is(readFileSync(stderrFile, 'utf8'), 'qemu-system-aarch64: oops\n');
  assert.match(qemu.output(), 'oops');
});

test('a link planted at qemu.stderr is refused by name before anything starts, its target untouched', async () => {
  const victim = plantVictim(dir.path);
  symlinkSync(victim.path, stderrFile);
  const marker = join(dir.path, 'started');
  await failsWith(() => start('touch', [marker]), ExitCode.host, `${stderrFile} is a symbolic link`);
  assert.ok(victim.untouched(), 'not truncated, not written');
  assert.ok(lstatSync(stderrFile).isSymbolicLink());
  assert.not.ok(existsSync(marker), 'the process was never started');
});

test(
  'a QEMU meant to outlive kubenet: its own session, ' + '/dev/null for input, its output straight into the file',
  async () => {
    const qemu = await spawnQemu({
      command: {
        exe: 'sh',
        args: ['-c', 'echo "qemu-system-aarch64: oops" >&2; echo out; exec sleep 60'],
        sudo: false,
      },
      cwd: images,
      interactive: false,
      setpriv: undefined,
      stderrFile,
      outliveKubenet: true,
    });
    try {
      assert.ok(await eventually(() => qemu.output().includes('oops') && qemu.output().includes('out')), qemu.output());
      assert.not.ok(qemu.dieWithParent);
      const stat = readFileSync(`/proc/${qemu.pid}/stat`, 'utf8');
      const [, , , session] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      assert.is(Number(session), qemu.pid, 'a session of its own: no terminal signal reaches it');
      assert.is(readlinkSync(`/proc/${qemu.pid}/fd/0`), '/dev/null');
      assert.is(readlinkSync(`/proc/${qemu.pid}/fd/1`), stderrFile, "no pipe of kubenet's");
      assert.is(readlinkSync(`/proc/${qemu.pid}/fd/2`), stderrFile);
      await qemu.letGo();
      assert.ok(alive(qemu.pid), 'let go, not stopped');
    } finally {
      qemu.kill('SIGKILL');
    }
  },
);

test.run();
