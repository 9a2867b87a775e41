// End to end against the real thing: `kubenet run 03-cloud-image` boots a Debian cloud image
// with Debian's own cloud-init (NoCloud), systemd and OpenSSH (scripts/build-real-guest.sh),
// served under the Ubuntu cloud image's name through --mirror, x86_64 under TCG. It checks
// what a user relies on: the seed is read, `kubenet ssh -- CMD` works without a terminal, the
// password is set and not expired, Ctrl-C powers the guest off, a second boot is the same
// instance, and a changed --user-data is applied (with --until ssh as the readiness check).
// Three boots in all (~2–3 minutes each under TCG); each does several checks.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KubenetError } from '../../lib/errors.js';
import { kubenetAsync, startKubenet, type RunningKubenet } from '../helpers/cli.js';
import { publish, startFaultServer, type FaultServer } from '../helpers/fault-server.js';
import { killQemuIn, qemuProcessesIn } from '../helpers/processes.js';
import { realGuest } from '../helpers/real-guest.js';
import { skipUnless } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('e2e: 03-cloud-image with a real cloud-init and OpenSSH guest');
const upstream = 'https://cloud-images.ubuntu.com/jammy/current/';
const name = 'jammy-server-cloudimg-amd64.img';
// Bounds: a first boot reaches sshd in ~2–3 minutes under TCG on 2 busy cores.
const bootMs = 900_000;
let server: FaultServer | undefined;
let dir: ReturnType<typeof tempDir> | undefined;
let images = '';
let missing: string | undefined;
let running: RunningKubenet | undefined;
const firstBoot: { instanceId?: string; hostKey?: string; semaphore?: string; knownHosts?: string } = {};

test.before(async () => {
  const guest = await realGuest().catch((error: KubenetError) => error);
  if (guest instanceof Error) {
    const why = guest.details?.trim().split('\n').at(-1);
    missing = `the real guest cannot be built here: ${guest.message}${why ? ` (${why})` : ''}; ${guest.hint ?? ''}`;
    return;
  }
  server = await startFaultServer();
  publish(server, upstream, name, readFileSync(guest.cloudImage));
  dir = tempDir('kubenet-e2e-real-');
  images = join(dir.path, 'images');
});
test.after.each(async () => {
  running?.child.kill('SIGKILL');
  running = undefined;
});
test.after(async () => {
  if (images) killQemuIn(images);
  await server?.close();
  dir?.remove();
});

const env = () => ({ HOME: join(dir!.path, 'home') }); // no ~/.ssh key: kubenet generates one
const runArgs = (...extra: string[]) => [
  'run',
  '03-cloud-image',
  '--arch',
  'x86_64',
  '--accel',
  'tcg',
  '--mirror',
  server!.url,
  '--images',
  images,
  ...extra,
];
// Boots headless without --until, and returns once QEMU runs (kubenet says how to stop it).
async function boot(): Promise<RunningKubenet> {
  running = startKubenet(runArgs('--headless'), { env: env() });
  await running.waitFor(/stop it: Ctrl-C/, 600_000);
  return running;
}
const ssh = (command: string, ...options: string[]) =>
  kubenetAsync(['ssh', '--images', images, '--arch', 'x86_64', ...options, '--', command], {
    env: env(),
    timeoutMs: bootMs + 60_000,
  });
const metaInstanceId = () =>
  /^instance-id: (.+)$/m.exec(readFileSync(join(images, 'cloud-init/meta-data'), 'utf8'))![1]!;
const serialLog = () => readFileSync(join(images, 'vm/ubuntu0/serial.log'), 'utf8');
const knownHosts = () => readFileSync(join(images, 'vm/ubuntu0/known_hosts'), 'utf8');

// Ctrl-C: kubenet powers the guest off through ACPI, exits, and leaves no QEMU and a clean disk.
async function interrupt(vm: RunningKubenet) {
  vm.child.kill('SIGINT');
  const bound = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`kubenet did not exit within 120 s of SIGINT\n${vm.output()}`)), 120_000),
  );
  const r = await Promise.race([vm.exited, bound]);
  running = undefined;
  assert.is(r.code, 130, r.stdout + r.stderr);
  assert.match(r.stderr, /interrupted \(\w+\): ubuntu0 was stopped; the guest powered off/);
  assert.match(serialLog(), /reboot: Power down/, 'systemd shut the guest down');
  assert.equal(qemuProcessesIn(images), []);
  const check = execFileSync('qemu-img', ['check', join(images, 'ubuntu0.img')], { encoding: 'utf8' });
  assert.match(check, 'No errors were found');
}

// One shell line for the guest: facts a test compares, one `key=value` per line.
const facts = [
  'echo instance-id=$(cat /var/lib/cloud/data/instance-id)',
  'echo host-key=$(cut -d" " -f2 /etc/ssh/ssh_host_ed25519_key.pub)',
  // The semaphore cloud-init leaves when a once-per-instance module ran: its time says which boot.
  'echo semaphore=$(sudo stat -c %Y /var/lib/cloud/instance/sem/config_ssh)',
  'echo boots=$(sudo grep -c "running .init-local" /var/log/cloud-init.log)',
  'echo skipped=$(sudo grep -c "config-ssh already ran" /var/log/cloud-init.log)',
].join('; ');
const parse = (text: string) => new Map([...text.matchAll(/^([a-z-]+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!.trim()]));

test(
  'the first boot reads the seed; kubenet ssh waits for sshd, ' +
    'then runs commands without a terminal; Ctrl-C powers it off',
  async () => {
    if (skipUnless(!missing, missing!)) return;
    const vm = await boot();
    // Without --until, a headless run says how to reach the VM and how to stop it.
    const notes = vm.output();
    const port = readFileSync(join(images, 'vm/ubuntu0/ssh-port'), 'utf8').trim();
    assert.match(notes, `log in: kubenet ssh (127.0.0.1:${port} → guest port 22)`);
    assert.match(notes, `serial console: ${join(images, 'vm/ubuntu0/serial.log')}`);

    // Asked before the guest is up, kubenet ssh says what it waits for instead of hanging silently.
    const status = await ssh('hostname; cloud-init status --wait --long', '--wait', String(bootMs / 1000));
    assert.is(status.code, 0, status.stdout + status.stderr);
    assert.match(status.stderr, `waiting for sshd on 127.0.0.1:${port} — cloud-init is still running, see `);
    assert.match(status.stderr, 'vm/ubuntu0/serial.log');
    assert.not.match(status.stderr, 'kex_exchange_identification');
    assert.match(status.stdout, /^ubuntu0$/m);
    assert.match(status.stdout, /^status: done$/m);
    assert.match(
      status.stdout,
      /DataSourceNoCloud \[seed=\/dev\/vd[a-z]\]/,
      "cloud-init read kubenet's seed from the virtio drive",
    );
    assert.not.match(status.stdout, /error/i);

    // The seed's password is set (the guide's), and not expired: no forced change, so no TTY needed.
    const password = await ssh(
      'sudo chage -l ubuntu; sudo python3 -W ignore -c "import crypt, spwd; h = ' +
        "spwd.getspnam('ubuntu').sp_pwdp; print('password is ubuntu' " +
        "if crypt.crypt('ubuntu', h) == h else 'password differs')\"",
    );
    assert.is(password.code, 0, password.stdout + password.stderr);
    assert.match(password.stdout, 'password is ubuntu');
    assert.match(password.stdout, /^Password expires\s*:\s*never$/m);
    assert.not.match(password.stdout, 'password must be changed');

    const seen = await ssh(facts);
    assert.is(seen.code, 0, seen.stdout + seen.stderr);
    const f = parse(seen.stdout);
    assert.is(f.get('instance-id'), metaInstanceId(), "the instance-id of kubenet's meta-data");
    assert.is(f.get('boots'), '1');
    assert.is(f.get('skipped'), '0');
    Object.assign(firstBoot, {
      instanceId: f.get('instance-id'),
      hostKey: f.get('host-key'),
      semaphore: f.get('semaphore'),
      knownHosts: knownHosts(),
    });
    assert.match(
      firstBoot.knownHosts!,
      f.get('host-key')!,
      "kubenet ssh recorded the guest's host key in images/vm/ubuntu0/known_hosts",
    );
    assert.is(firstBoot.knownHosts!.trim().split('\n').length, 1, 'one entry: the VM, under its name');

    await interrupt(vm);
  },
);

test(
  'a second boot is the same instance: no first-boot modules ' + 'again, the same host keys, kubenet ssh still works',
  async () => {
    if (skipUnless(!missing, missing!)) return;
    assert.ok(firstBoot.instanceId, 'the first boot ran');
    const vm = await boot();
    const seen = await ssh(`cloud-init status --wait >/dev/null; ${facts}`, '--wait', String(bootMs / 1000));
    assert.is(seen.code, 0, seen.stdout + seen.stderr);
    const f = parse(seen.stdout);
    assert.is(f.get('instance-id'), firstBoot.instanceId);
    assert.is(f.get('boots'), '2', 'cloud-init ran on this boot too');
    assert.is(f.get('semaphore'), firstBoot.semaphore, 'the once-per-instance ssh module did not run again');
    assert.is(f.get('skipped'), '1', 'cloud-init said so: config-ssh already ran (freq=once-per-instance)');
    assert.is(f.get('host-key'), firstBoot.hostKey);
    assert.is(knownHosts(), firstBoot.knownHosts, 'known_hosts unchanged: ssh met the same host key');
    await interrupt(vm);
  },
);

test(
  'a changed --user-data is a new instance, applied on the next ' +
    'boot; --until ssh waits for kubenet ssh, then shuts down',
  async () => {
    if (skipUnless(!missing, missing!)) return;
    const before = metaInstanceId();
    const key = readFileSync(join(images, 'ssh/id_ed25519.pub'), 'utf8').trim();
    const userData = join(dir!.path, 'user-data');
    writeFileSync(
      userData,
      [
        '#cloud-config',
        'password: changed',
        'chpasswd: { expire: false }',
        'ssh_authorized_keys:',
        `  - ${key}`,
        // bootcmd runs early in the init stage, before sshd starts: on the console by the time ssh works.
        'bootcmd:',
        "  - [sh, -c, 'echo KUBENET-E2E: user-data v2 > /dev/ttyS0']",
        '',
      ].join('\n'),
    );
    const r = await kubenetAsync(
      [...runArgs('--headless', '--user-data', userData, '--until', 'ssh', '--timeout', String(bootMs / 1000))],
      {
        env: env(),
        timeoutMs: bootMs + 120_000,
      },
    );
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, 'waiting for sshd to accept `kubenet ssh -- true`');
    assert.match(r.stdout, /sshd to accept `kubenet ssh -- true`: it did after [\d.]+ s; ubuntu0 shut down/);
    assert.is.not(metaInstanceId(), before);
    assert.match(serialLog(), 'KUBENET-E2E: user-data v2');
    assert.match(serialLog(), /reboot: Power down/);
    assert.equal(qemuProcessesIn(images), []);
  },
);

test.run();
