import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pipelineOf, type Command } from '../../lib/command.js';
import { createShell, type RunFlags } from '../../lib/task/shell.js';

const test = suite('createShell: lazy commands');

test('nothing runs until the command is awaited, and it runs once', async () => {
  const ran: Command[] = [];
  const $ = createShell(async (command) => (ran.push(command), { stdout: 'out', stderr: '', exitCode: 0 }));
  const p = $`qemu-img info ${'a b.img'}`;
  assert.equal(ran, []);
  assert.equal(p.command, { exe: 'qemu-img', args: ['info', 'a b.img'] });
  assert.is((await p).stdout, 'out');
  await p;
  assert.is(ran.length, 1);
});

test('quiet() and nothrow() pass their flags, as zx spells them', async () => {
  const seen: RunFlags[] = [];
  const $ = createShell(async (_c, flags) => (seen.push(flags), { stdout: '', stderr: '', exitCode: 0 }));
  await $`true`.quiet().nothrow();
  assert.equal(seen, [{ quiet: true, nothrow: true, check: false }]);
});

test('check() is a quiet look that never throws; stdin() and asRoot() travel with the command', async () => {
  const seen: RunFlags[] = [];
  const $ = createShell(async (_c, flags) => (seen.push(flags), { stdout: '', stderr: '', exitCode: 1 }));
  assert.is((await $`ip link show kubr0`.check()).exitCode, 1);
  assert.equal(seen, [{ quiet: true, nothrow: true, check: true }]);
  assert.equal($`tee /etc/hosts`.stdin('a\n').asRoot('names').command, {
    exe: 'tee',
    args: ['/etc/hosts'],
    input: 'a\n',
    sudo: true,
    sudoReason: 'names',
  });
});

test('a leading sudo becomes the sudo flag; values are resolved first', async () => {
  const $ = createShell(
    async () => ({ stdout: '', stderr: '', exitCode: 0 }),
    (v) => (v === 'ISO' ? 'jammy.iso' : v),
  );
  assert.equal($`${['sudo']} qemu-system-aarch64 -cdrom ${'ISO'}`.command, {
    exe: 'qemu-system-aarch64',
    args: ['-cdrom', 'jammy.iso'],
    sudo: true,
  });
});

test("pipe() makes one command of a pipeline, as zx's .pipe() does; it runs as one, when awaited", async () => {
  const ran: Command[] = [];
  const $ = createShell(async (command) => (ran.push(command), { stdout: '', stderr: '', exitCode: 0 }));
  const name = 'admin';
  const p = $`cfssl gencert -initca ${name}-csr.json`.pipe($`cfssljson -bare ${name}`).pipe($`cat`);
  assert.equal(p.command, {
    exe: 'cfssl',
    args: ['gencert', '-initca', 'admin-csr.json'],
    pipe: { exe: 'cfssljson', args: ['-bare', 'admin'], pipe: { exe: 'cat', args: [] } },
  });
  assert.equal(
    pipelineOf(p.command).map((c) => c.exe),
    ['cfssl', 'cfssljson', 'cat'],
  );
  await p;
  assert.is(ran.length, 1);
});

test.run();
