// End to end, beyond the guide: the root-free cluster reached from the host, as an ordinary user
// (nobody, through setpriv) in a network namespace of the test's own. The real guest (Debian's
// cloud-init, systemd-networkd and OpenSSH; scripts/build-real-guest.sh), x86_64 under TCG, as
// the gateway VM: its cluster NIC on kubenet's switch, its second NIC on QEMU's user-mode network
// with the ssh port forwarded. One boot (~2–3 minutes), then what a user of Lima or Multipass does
// with a VM: --until ssh, kubenet ssh, a way out, ssh-config with plain ssh, cp, status, a second
// start, the console from a pipe, delete — and chapter 4's delivery (44-deploy-auth) through the
// forwarded port.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubenetError } from '../../lib/errors.js';
import { which } from '../../lib/host/which.js';
import { authToolsWhy, haveAuthTools } from '../helpers/auth-sandbox.js';
import { binPath, kubenetAsync } from '../helpers/cli.js';
import { publish, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { canMakeNetns, createNetns, type Netns } from '../helpers/netns.js';
import { killQemuIn, qemuProcessesIn } from '../helpers/processes.js';
import { realGuest } from '../helpers/real-guest.js';
import { skipUnless, testWhen } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('e2e: the root-free cluster, reached from the host by an ordinary user');
const nobody = 65534;
const bootS = 900;
let missing: string | undefined =
  canMakeNetns() && which('setpriv') ? undefined : 'needs root (ip netns) and setpriv (util-linux)';
let server: FaultServer | undefined;
let dir: ReturnType<typeof tempDir> | undefined;
let ns: Netns | undefined;
let images = '';

test.before(async () => {
  if (missing) return;
  const guest = await realGuest().catch((error: KubenetError) => error);
  if (guest instanceof Error) {
    missing = `the real guest cannot be built here: ${guest.message}; ${guest.hint ?? ''}`;
    return;
  }
  server = await startFaultServer();
  publish(
    server,
    'https://cloud-images.ubuntu.com/jammy/current/',
    'jammy-server-cloudimg-amd64.img',
    readFileSync(guest.cloudImage),
  );
  dir = tempDir('kubenet-e2e-reach-');
  images = join(dir.path, 'images');
  // The namespace has no way to the test's HTTP server: the download is made first, outside it.
  const r = await kubenetAsync(
    ['prefetch', 'cloud-img', '--arch', 'x86_64', '--mirror', server.url, '--images', images],
    { cwd: dir.path },
  );
  assert.is(r.code, 0, r.stderr);
  writeFileSync(
    join(dir.path, 'kubenet.yaml'),
    'cluster:\n  network-mode: root-free\n  controls: 0\n  workers: ' +
      '0\n  resources:\n    gateway: { cpus: 1, memory: 1G }\n',
  );
  mkdirSync(join(dir.path, 'home'));
  execFileSync('chown', ['-R', `${nobody}:${nobody}`, dir.path]);
  ns = createNetns();
});
test.after(async () => {
  ns?.remove();
  if (images) killQemuIn(images);
  await server?.close();
  dir?.remove();
});

const asNobody = ['setpriv', `--reuid=${nobody}`, `--regid=${nobody}`, '--clear-groups', '--'];
const env = () => ({ ...process.env, CI: 'true', KUBENET_CACHE: 'off', HOME: join(dir!.path, 'home') });

// argv in the namespace as nobody, killed after timeoutMs; `input` is written to its stdin.
function inside(
  argv: string[],
  timeoutMs: number,
  input?: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const full = ns!.argv([...asNobody, ...argv]);
  return new Promise((resolve, reject) => {
    const child = spawn(full[0]!, full.slice(1), {
      cwd: dir!.path,
      env: env(),
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    if (input !== undefined) child.stdin!.end(input);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${argv.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
const kubenet = ([command, ...args]: string[], timeoutMs = 120_000, input?: string) =>
  inside([process.execPath, binPath, command!, '--images', images, ...args], timeoutMs, input);
const run = (...args: string[]) =>
  kubenet(['run', '30-cluster', '--arch', 'x86_64', '--accel', 'tcg', '--offline', ...args], (bootS + 120) * 1000);

test(
  "run 30-cluster --detach --until ssh returns once gateway's " +
    'sshd takes a login through its forwarded port; nothing as root',
  async () => {
    if (skipUnless(!missing, missing!)) return;
    const r = await run('--detach', '--until', 'ssh', '--timeout', String(bootS));
    const out = r.stdout + r.stderr;
    assert.is(r.code, 0, out);
    assert.not.match(out, 'sudo');
    assert.not.match(out, 'as root');
    const port = Number(readFileSync(join(images, 'vm/gateway/ssh-port'), 'utf8'));
    assert.match(out, `-netdev user,id=host0,hostfwd=tcp:127.0.0.1:${port}-:22`);
    assert.match(out, /gateway is up after [\d.]+ s \(192\.168\.1\.10, kubenet ssh gateway\)/);
    assert.match(out, `log in          kubenet ssh gateway   (127.0.0.1:${port} → the guest's port 22)`);
  },
);

test(
  'kubenet ssh: the cluster NIC has its reserved address, the user-mode ' +
    'NIC the default route, and the VM reaches the host through it',
  async () => {
    if (skipUnless(!missing, missing!)) return;
    // A service on the namespace's loopback: QEMU's user-mode network takes the VM's 10.0.2.2 there,
    // as it takes the VM's traffic to the internet where the host has a way out.
    const [exe, ...args] = ns!.argv([
      process.execPath,
      '-e',
      "require('http').createServer((q, s) => s.end('the host answers')).listen(18080, '127.0.0.1')",
    ]);
    const service = spawn(exe!, args, { stdio: 'ignore' });
    try {
      const r = await kubenet(
        [
          'ssh',
          'gateway',
          '--',
          'hostname; ip -4 -o addr show; ip route; python3 -c "import urllib.request; ' +
            "print(urllib.request.urlopen('http://10.0.2.2:18080/', timeout=20).read().decode())\"",
        ],
        180_000,
      );
      assert.is(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /^gateway$/m);
      assert.match(r.stdout, 'inet 192.168.1.10/24');
      assert.match(r.stdout, 'inet 10.0.2.15/24');
      assert.match(r.stdout, /^default via 10\.0\.2\.2 /m, 'the way out is the user-mode NIC');
      assert.not.match(r.stdout, /^default via 192\.168\.1\.1/m, "kubenet's switch offers no route it cannot give");
      assert.match(r.stdout, /^the host answers$/m);
    } finally {
      service.kill('SIGKILL');
    }
  },
);

test(
  'ssh-config: plain ssh -F reaches gateway as the guide ' + 'writes it (ssh ubuntu@gateway), with no /etc/hosts line',
  async () => {
    if (skipUnless(!missing, missing!)) return;
    const r = await kubenet(['ssh-config']);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Host gateway$/m);
    assert.match(r.stdout, `UserKnownHostsFile ${join(images, 'vm/gateway/known_hosts')}`);
    const config = join(dir!.path, 'home', 'kubenet.ssh');
    writeFileSync(config, r.stdout);
    execFileSync('chown', [`${nobody}:${nobody}`, config]);
    const ssh = await inside(
      ['ssh', '-F', config, '-o', 'BatchMode=yes', 'ubuntu@gateway', 'echo reached $(hostname)'],
      120_000,
    );
    assert.is(ssh.code, 0, ssh.stdout + ssh.stderr);
    assert.match(ssh.stdout, 'reached gateway');
  },
);

test('cp: a file to the VM and back, a folder with -r; a mistyped VM gets a did-you-mean', async () => {
  if (skipUnless(!missing, missing!)) return;
  const home = join(dir!.path, 'home');
  writeFileSync(join(home, 'note.txt'), 'from the host\n');
  mkdirSync(join(home, 'folder'));
  writeFileSync(join(home, 'folder', 'inner.txt'), 'inside a folder\n');
  execFileSync('chown', ['-R', `${nobody}:${nobody}`, home]);
  assert.is((await kubenet(['cp', join(home, 'note.txt'), 'gateway:'], 120_000)).code, 0);
  const up = await kubenet(['cp', '-r', join(home, 'folder'), 'gateway:/tmp/'], 120_000);
  assert.is(up.code, 0, up.stderr);
  const seen = await kubenet(['ssh', 'gateway', '--', 'cat note.txt /tmp/folder/inner.txt'], 120_000);
  assert.is(seen.stdout, 'from the host\ninside a folder\n', seen.stderr);
  const back = await kubenet(['cp', 'gateway:note.txt', join(home, 'back.txt')], 120_000);
  assert.is(back.code, 0, back.stderr);
  assert.is(readFileSync(join(home, 'back.txt'), 'utf8'), 'from the host\n');
  const typo = await kubenet(['cp', join(home, 'note.txt'), 'gatway:']);
  assert.is(typo.code, 2, typo.stderr);
  assert.match(typo.stderr, 'did you mean gateway?');
});

testWhen(
  test,
  haveAuthTools,
  authToolsWhy,
  "44-deploy-auth on the root-free network: gateway gets the CA's certificate through its forwarded port, as nobody",
  async () => {
    if (skipUnless(!missing, missing!)) return;
    const r = await kubenet(['run', '44-deploy-auth', '--arch', 'x86_64', '--offline'], 300_000);
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, 'gateway: copied ca.pem');
    const local = createHash('sha256')
      .update(readFileSync(join(images, 'auth/ca.pem')))
      .digest('hex');
    const seen = await kubenet(['ssh', 'gateway', '--', 'sha256sum ca.pem'], 120_000);
    assert.is(seen.stdout, `${local}  ca.pem\n`, seen.stderr);
    const again = await kubenet(['run', '44-deploy-auth', '--arch', 'x86_64', '--offline'], 300_000);
    assert.is(again.code, 0, again.stderr);
  },
);

test(
  'status: the forwarded address, sshd answering and ' + 'cloud-init done; a second start is a no-op that says so',
  async () => {
    if (skipUnless(!missing, missing!)) return;
    const port = Number(readFileSync(join(images, 'vm/gateway/ssh-port'), 'utf8'));
    const json = await kubenet(['status', '--json'], 60_000);
    assert.is(json.code, 0, json.stderr);
    const gateway = (JSON.parse(json.stdout) as Array<Record<string, unknown>>).find((vm) => vm.name === 'gateway')!;
    assert.equal(
      [gateway.running, gateway.address, gateway.forwarded, gateway.sshd, gateway.cloudInit],
      [true, `127.0.0.1:${port}`, true, 'answers', 'done'],
      json.stdout,
    );
    const text = await kubenet(['status'], 60_000);
    assert.match(
      text.stdout,
      `ssh         127.0.0.1:${port} → the guest's port 22 (kubenet ssh gateway); sshd answers, cloud-init done`,
    );
    const pid = readFileSync(join(images, 'vm/gateway/pid'), 'utf8');
    const again = await run('--detach');
    assert.is(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /gateway is up already \(pid \d+, detached\): nothing to start/);
    assert.not.match(again.stdout, 'qemu-system-x86_64 -nographic', 'no command block for a VM that runs');
    assert.is(readFileSync(join(images, 'vm/gateway/pid'), 'utf8'), pid, 'the same QEMU');
  },
);

test(
  'console from a pipe: what is piped reaches the serial ' + 'console (the login prompt answers), and the VM runs on',
  async () => {
    if (skipUnless(!missing, missing!)) return;
    const r = await kubenet(['console', 'gateway'], 60_000, '\n');
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /gateway login:/);
    assert.match(r.stderr, "left gateway's console; it keeps running");
    assert.is(qemuProcessesIn(images).length, 1);
  },
);

test(
  'delete: refused without --yes; then gateway is stopped and its ' +
    'disk, seed and folder go, the download and the network stay',
  async () => {
    if (skipUnless(!missing, missing!)) return;
    const refused = await kubenet(['delete', 'gateway', '--arch', 'x86_64']);
    assert.is(refused.code, 2, refused.stderr);
    assert.is(qemuProcessesIn(images).length, 1, 'nothing stopped');
    const r = await kubenet(['delete', 'gateway', '--yes', '--arch', 'x86_64'], 180_000);
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, 'gateway: stopped');
    assert.equal(qemuProcessesIn(images), []);
    assert.not.ok(existsSync(join(images, 'gateway')));
    assert.not.ok(existsSync(join(images, 'vm/gateway')));
    assert.ok(existsSync(join(images, 'jammy-server-cloudimg-amd64.img')));
    assert.ok(existsSync(join(images, 'network/usernet.pid')), 'the network stays');
    const reset = await kubenet(['reset', '21-shared-network', '--yes', '--arch', 'x86_64']);
    assert.is(reset.code, 0, reset.stdout + reset.stderr);
  },
);

test.run();
