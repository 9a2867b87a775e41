// Recording a VM's host keys (vmsshsetup.sh's ssh-keyscan): whole, under the alias `kubenet ssh`
// checks them by, and never written through a link planted in the VM's folder. ssh-keyscan is a
// stand-in on PATH here that prints what a real one prints for a guest.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordHostKeys } from '../../lib/ssh/ssh-setup.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('recordHostKeys');
let dir: ReturnType<typeof tempDir>;
let vmDir: string;
const path = process.env.PATH;
test.before.each(() => {
  dir = tempDir('kubenet-ssh-setup-');
  vmDir = join(dir.path, 'images', 'vm', 'control0');
  mkdirSync(vmDir, { recursive: true });
  const bin = join(dir.path, 'bin');
  mkdirSync(bin);
  writeFileSync(
    join(bin, 'ssh-keyscan'),
    '#!/bin/sh\necho "# 192.168.1.11:22 SSH-2.0-OpenSSH_9.2p1"\necho "192.168.1.11 ssh-ed25519 AAAAC3Nza-test-key"\n',
  );
  chmodSync(join(bin, 'ssh-keyscan'), 0o755);
  process.env.PATH = `${bin}:${path}`;
});
test.after.each(() => {
  process.env.PATH = path;
  dir.remove();
});

const target = () => ({
  knownHosts: join(vmDir, 'known_hosts'),
  alias: 'iid-control0',
  host: '192.168.1.11',
  port: 22,
  root: join(dir.path, 'images'),
});

test('the scanned keys replace known_hosts whole, under the alias, and no scan file is left', async () => {
  writeFileSync(join(vmDir, 'known_hosts'), 'iid-old ssh-ed25519 OLD\n');
  await recordHostKeys(target(), new AbortController().signal);
  assert.is(readFileSync(join(vmDir, 'known_hosts'), 'utf8'), 'iid-control0 ssh-ed25519 AAAAC3Nza-test-key\n');
  assert.equal(readdirSync(vmDir), ['known_hosts']);
});

test('a link planted beside known_hosts (where an older kubenet scanned to) is not written through', async () => {
  const victim = join(dir.path, 'victim');
  writeFileSync(victim, "the user's file\n");
  symlinkSync(victim, join(vmDir, 'known_hosts.scan'));
  await recordHostKeys(target(), new AbortController().signal);
  assert.is(readFileSync(victim, 'utf8'), "the user's file\n");
  assert.is(readFileSync(join(vmDir, 'known_hosts'), 'utf8'), 'iid-control0 ssh-ed25519 AAAAC3Nza-test-key\n');
});

test('a VM reached through a forwarded port is scanned there: ssh-keyscan -p PORT 127.0.0.1', async () => {
  const bin = join(dir.path, 'bin');
  writeFileSync(
    join(bin, 'ssh-keyscan'),
    `#!/bin/sh\necho "$@" > ${join(dir.path, 'argv')}\necho "[127.0.0.1]:12345 ssh-ed25519 AAAAC3Nza-test-key"\n`,
  );
  await recordHostKeys({ ...target(), host: '127.0.0.1', port: 12345 }, new AbortController().signal);
  assert.is(readFileSync(join(dir.path, 'argv'), 'utf8'), '-T 10 -p 12345 127.0.0.1\n');
  assert.is(readFileSync(join(vmDir, 'known_hosts'), 'utf8'), 'iid-control0 ssh-ed25519 AAAAC3Nza-test-key\n');
});

test.run();
