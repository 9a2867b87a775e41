import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sshArgv, sshTarget } from '../../lib/ssh/ssh-target.js';
import { makePaths } from '../../lib/paths.js';
import { isKubenetError } from '../../lib/errors.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('sshTarget and sshArgv');
let dir: ReturnType<typeof tempDir>;
test.before.each(() => {
  dir = tempDir();
});
test.after.each(() => dir.remove());

function setup({ userKey, port }: { userKey: boolean; port?: number }) {
  const home = join(dir.path, 'home');
  const paths = makePaths(join(dir.path, 'images'));
  if (userKey) {
    mkdirSync(join(home, '.ssh'), { recursive: true });
    writeFileSync(join(home, '.ssh/id_ed25519'), 'private');
    writeFileSync(join(home, '.ssh/id_ed25519.pub'), 'ssh-ed25519 AAAA me');
  } else {
    mkdirSync(join(dir.path, 'images/ssh'), { recursive: true });
    writeFileSync(paths.sshKey, 'private');
  }
  if (port) {
    mkdirSync(paths.vmDir('ubuntu0'), { recursive: true });
    writeFileSync(paths.vmFile('ubuntu0', 'ssh-port'), `${port}\n`);
  }
  return { home, paths };
}

test("logs in as ubuntu on the forwarded port with the user's key and the VM's own known_hosts", () => {
  const { home, paths } = setup({ userKey: true, port: 40022 });
  const argv = sshArgv(sshTarget({ paths, vm: 'ubuntu0', hostname: 'ubuntu0', home }), ['uname', '-a']);
  assert.equal(argv.slice(0, 4), ['-i', join(home, '.ssh/id_ed25519'), '-p', '40022']);
  assert.not.ok(argv.includes('BatchMode=yes'), 'a person at a terminal may be asked');
  assert.ok(argv.includes(`UserKnownHostsFile=${join(paths.vmDir('ubuntu0'), 'known_hosts')}`));
  assert.not.ok(
    argv.some((a) => a.includes('.ssh/known_hosts')),
    "never the user's known_hosts",
  );
  // The port changes on every run: the host key is kept under a name, so a second run checks it
  // against the first instead of recording the VM as a new host.
  assert.ok(argv.includes('HostKeyAlias=ubuntu0'), "no seed yet: the VM's name");
  assert.equal(argv.slice(-3), ['ubuntu@127.0.0.1', 'uname', '-a']);
});

test("host keys are kept under the seed's instance-id: a new instance has new host keys", () => {
  const { home, paths } = setup({ userKey: true, port: 40022 });
  mkdirSync(paths.vmDir('ubuntu0'), { recursive: true });
  writeFileSync(paths.vmFile('ubuntu0', 'instance-id'), 'ubuntu0-0123456789ab\n'); // written with the seed
  const argv = sshArgv(sshTarget({ paths, vm: 'ubuntu0', hostname: 'ubuntu0', home }), []);
  assert.ok(argv.includes('HostKeyAlias=ubuntu0-0123456789ab'), argv.join(' '));
});

test('uses the generated key when the user has none', () => {
  const { home, paths } = setup({ userKey: false, port: 40022 });
  const argv = sshArgv(sshTarget({ paths, vm: 'ubuntu0', hostname: 'ubuntu0', home }), []);
  assert.is(argv[1], paths.sshKey);
});

test('with vmnet, finds the address in the DHCP leases', () => {
  const { home, paths } = setup({ userKey: true });
  const leases = join(dir.path, 'leases');
  writeFileSync(leases, '{\n\tname=ubuntu0\n\tip_address=192.168.64.9\n\tlease=0x1\n}\n');
  const argv = sshArgv(sshTarget({ paths, vm: 'ubuntu0', hostname: 'ubuntu0', home, leasesFile: leases }), []);
  assert.is(argv.at(-1), 'ubuntu@192.168.64.9');
  assert.is(argv[3], '22');
});

test('with no address, says how to find it', () => {
  const { home, paths } = setup({ userKey: true });
  try {
    sshTarget({ paths, vm: 'ubuntu0', hostname: 'ubuntu0', home, leasesFile: join(dir.path, 'none') });
    assert.unreachable();
  } catch (error) {
    assert.ok(isKubenetError(error));
    assert.match(error.hint ?? '', 'DHCP leases');
  }
});

test('for a script, never prompts and bounds the connection', () => {
  const { home, paths } = setup({ userKey: true, port: 40022 });
  const argv = sshArgv(sshTarget({ paths, vm: 'ubuntu0', hostname: 'ubuntu0', home }), ['true'], {
    batch: true,
    connectTimeout: 10,
  });
  assert.ok(argv.includes('BatchMode=yes'));
  assert.ok(argv.includes('ConnectTimeout=10'));
  assert.equal(argv.slice(-2), ['ubuntu@127.0.0.1', 'true'], 'options come before the destination');
});

test("a cluster VM is reached at its own address on port 22, with kubenet's key and its own known_hosts", () => {
  const { home, paths } = setup({ userKey: false });
  const argv = sshArgv(sshTarget({ paths, vm: 'worker1', hostname: 'worker1', home, address: '192.168.1.15' }), [
    'ping',
    '-c1',
    'control0.kubenet',
  ]);
  assert.equal(argv.slice(0, 4), ['-i', paths.sshKey, '-p', '22']);
  assert.ok(argv.includes(`UserKnownHostsFile=${join(paths.vmDir('worker1'), 'known_hosts')}`));
  assert.equal(argv.slice(-4), ['ubuntu@192.168.1.15', 'ping', '-c1', 'control0.kubenet']);
});

test.run();
