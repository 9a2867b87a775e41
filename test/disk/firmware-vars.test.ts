import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureFirmwareVars } from '../../lib/disk/firmware-vars.js';
import { ExitCode } from '../../lib/errors.js';
import { sha256Of } from '../helpers/qemu-img.js';
import { failsWith } from '../helpers/fails-with.js';
import { tempDir } from '../helpers/tmp.js';
import { plantVictim } from '../helpers/victim.js';

const test = suite('ensureFirmwareVars');
const child = fileURLToPath(new URL('../helpers/firmware-vars-child.js', import.meta.url));
let dir: ReturnType<typeof tempDir>;
let images: string;
let template: string;
let target: string;

test.before(() => {
  dir = tempDir('kubenet-efivars-');
  // Data all through (no holes), so that a copy takes a while and a kill can land inside it.
  template = join(dir.path, 'AAVMF_VARS.fd');
  writeFileSync(template, randomBytes(64 << 20));
});
test.before.each(() => {
  images = join(dir.path, 'images');
  target = join(images, 'vm', 'ubuntu0', 'efivars.fd');
  mkdirSync(images);
});
test.after.each(() => rmSync(images, { recursive: true, force: true }));
test.after(() => dir?.remove());

const refused = (message: string) =>
  failsWith(() => ensureFirmwareVars(images, template, target), ExitCode.host, message);

test("makes the VM's own whole copy once, then keeps it", async () => {
  assert.is(await ensureFirmwareVars(images, template, target), true);
  assert.is(sha256Of(target), sha256Of(template));
  const made = statSync(target);
  assert.is(await ensureFirmwareVars(images, template, target), false);
  assert.is(statSync(target).ino, made.ino);
  assert.equal(readdirSync(join(images, 'vm', 'ubuntu0')), ['efivars.fd']);
});

test('a link planted at efivars.fd is refused by name and its target left alone', async () => {
  const victim = plantVictim(dir.path);
  mkdirSync(join(images, 'vm', 'ubuntu0'), { recursive: true });
  symlinkSync(victim.path, target);
  await refused(`${target} is a symbolic link`);
  assert.ok(victim.untouched());
});

test('a VM folder that is a link is refused: nothing is copied behind it', async () => {
  const elsewhere = join(dir.path, 'elsewhere');
  mkdirSync(elsewhere, { recursive: true });
  mkdirSync(join(images, 'vm'));
  symlinkSync(elsewhere, join(images, 'vm', 'ubuntu0'));
  await refused(`${join(images, 'vm', 'ubuntu0')} is a symbolic link`);
  assert.equal(readdirSync(elsewhere), []);
  rmSync(elsewhere, { recursive: true });
});

test('a variable store cut short is named as such, with a hint that works', async () => {
  await ensureFirmwareVars(images, template, target);
  truncateSync(target, 12 << 20);
  const error = await refused('a copy cut short');
  assert.match(error.hint!, `rm "${target}"`);
});

// Bound: 12 rounds, each child killed within its measured copy time (under 10 s here) or given
// 30 s to finish on its own; the whole case ends well within a minute on these machines.
test('kill -9 at random moments of the copy: no later boot ever sees a torn file', async () => {
  const copyMs = (await runChild()).ms; // an undisturbed copy, to aim the kills inside one
  let torn = 0;
  for (let round = 0; round < 12; round++) {
    rmSync(join(images, 'vm'), { recursive: true, force: true });
    const killed = await runChild(Math.random() * copyMs);
    if (killed.signal === 'SIGKILL' && existsSync(target))
      torn += statSync(target).size === statSync(template).size ? 0 : 1;
    // What the next boot does: use the file, or make it.
    await ensureFirmwareVars(images, template, target);
    assert.is(sha256Of(target), sha256Of(template), `round ${round}: killed after ${killed.ms.toFixed(0)} ms`);
  }
  assert.is(torn, 0, 'no short file under the final name');
});

// Runs the copy in a child; with `killAfterMs`, kills it that long after it starts copying.
function runChild(killAfterMs?: number): Promise<{ ms: number; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, images, template, target], { stdio: ['ignore', 'pipe', 'inherit'] });
    let started = 0;
    let killer: NodeJS.Timeout | undefined;
    const bound = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    proc.stdout.on('data', (chunk: Buffer) => {
      if (started || !chunk.toString().includes('copying')) return;
      started = performance.now();
      if (killAfterMs !== undefined) killer = setTimeout(() => proc.kill('SIGKILL'), killAfterMs);
    });
    proc.once('error', reject);
    proc.once('close', (code, signal) => {
      clearTimeout(bound);
      clearTimeout(killer);
      if (signal === null && code !== 0) return reject(new Error(`the child exited with ${code}`));
      resolve({ ms: performance.now() - started, signal });
    });
  });
}

test.run();
