// Issue 10's benchmark: the real cloud-init + OpenSSH guest (scripts/build-real-guest.sh), x86_64
// under TCG. Seconds from `kubenet run 03-cloud-image --headless` to the first successful
// `kubenet ssh -- true` and to cloud-init done, against the same guest booted by hand with the
// guide's commands (qemu-img create, genisoimage, the guide's QEMU argv with -nic user,hostfwd),
// polled the same way, in the same run. Both sides start from a downloaded image and a fresh
// overlay: a first boot, cloud-init's full run.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../lib/ssh/free-port.js';
import { realGuest } from '../test/helpers/real-guest.js';
import { linkOrCopy, mirrorTools, serveCloudImage } from './cloud-mirror.js';
import { median } from './measure.js';

const bin = fileURLToPath(new URL('../../bin/kubenet.js', import.meta.url));
const name = 'jammy-server-cloudimg-amd64.img';
const pollMs = 2000;
const boundMs = 1_200_000;
// The firmware kubenet picks here (QEMU's descriptors): the same for both sides.
const ovmfCode = '/usr/share/OVMF/OVMF_CODE_4M.fd';
const ovmfVars = '/usr/share/OVMF/OVMF_VARS_4M.fd';

interface Boot {
  ssh: number; // ms from the start to the first successful `… ssh … true`
  done: number; // ms from the start to `cloud-init status` saying done
  status: string; // `cloud-init status --long`, as the guest said it
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// Polls `ssh true` every 2 s until it succeeds, then `cloud-init status` until it says done:
// the same loop for both sides, each with its own ssh command line.
async function pollGuest(
  started: number,
  ssh: (command: string) => { status: number | null; stdout: string },
): Promise<Boot> {
  const deadline = started + boundMs;
  const until = async (ok: () => boolean, what: string) => {
    while (!ok()) {
      if (performance.now() > deadline) throw new Error(`no ${what} within ${boundMs / 1000} s`);
      await sleep(pollMs);
    }
    return performance.now() - started;
  };
  const sshAt = await until(() => ssh('true').status === 0, 'ssh');
  const doneAt = await until(() => /^status: (done|error)$/m.test(ssh('cloud-init status').stdout), 'cloud-init done');
  return {
    ssh: sshAt,
    done: doneAt,
    status: ssh(
      'cloud-init status --long; sudo grep -h "finished at" /var/log/cloud-init.log | tail -n 1',
    ).stdout.trim(),
  };
}

function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', () => (clearTimeout(timer), resolve()));
    child.kill(signal);
  });
}

export async function benchRealGuest(): Promise<void> {
  if (!mirrorTools()) {
    console.log('skipped: needs nginx (nginx-light), genisoimage and gpgv');
    return;
  }
  const guest = await realGuest();
  const mirror = await serveCloudImage(guest.cloudImage, name);
  const { dir, env, key } = mirror;
  const rounds = Number(process.env.KUBENET_BENCH_ROUNDS ?? 1);
  const runs = { kubenet: [] as Boot[], hand: [] as Boot[] };
  try {
    for (let round = 0; round < rounds; round++) {
      const images = join(dir, `images-${round}`);
      const common = ['--arch', 'x86_64', '--images', images];
      // The download is not what is measured: fetch it first, as the by-hand side has its file.
      spawnSync(process.execPath, [bin, 'run', '13-cloud-img', '--mirror', mirror.url, ...common], {
        env,
        stdio: 'ignore',
      });
      const kubenet = async () => {
        const started = performance.now();
        const child = spawn(
          process.execPath,
          [bin, 'run', '03-cloud-image', '--accel', 'tcg', '--headless', '--mirror', mirror.url, ...common],
          { env, stdio: 'ignore' },
        );
        try {
          return await pollGuest(started, (command) =>
            spawnSync(process.execPath, [bin, 'ssh', '--wait', '0', ...common, '--', command], {
              env,
              encoding: 'utf8',
              timeout: 60_000,
            }),
          );
        } finally {
          await stop(child, 'SIGINT');
        }
      };
      const byHand = async () => byHandBoot(join(dir, `hand-${round}`), guest.cloudImage, key);
      // Alternate which goes first, so neither always boots on a warmer machine.
      const order =
        round % 2 === 0
          ? ([
              ['kubenet', kubenet],
              ['hand', byHand],
            ] as const)
          : ([
              ['hand', byHand],
              ['kubenet', kubenet],
            ] as const);
      for (const [which, boot] of order) {
        const b = await boot();
        runs[which].push(b);
        console.log(
          `round ${round + 1}/${rounds}, ${which === 'hand' ? 'by hand' : 'kubenet'}: ` +
            `ssh after ${secs(b.ssh)}, cloud-init done after ${secs(b.done)}`,
        );
        console.log(
          b.status
            .split('\n')
            .map((line) => `    ${line}`)
            .join('\n'),
        );
      }
    }
  } finally {
    await mirror.close();
  }
  const m = (xs: Boot[], k: 'ssh' | 'done') => median(xs.map((b) => b[k]));
  for (const [k, label] of [
    ['ssh', 'boot to the first successful ssh -- true'],
    ['done', 'boot to cloud-init done'],
  ] as const) {
    const ratio = m(runs.kubenet, k) / m(runs.hand, k);
    console.log(
      `${label} (x86_64 TCG, median of ${rounds}): kubenet ${secs(m(runs.kubenet, k))}, ` +
        `by hand ${secs(m(runs.hand, k))} → ${ratio.toFixed(3)}×`,
    );
  }
}

// The guide's commands: an overlay, a seed made by genisoimage, QEMU with the guide's Linux argv
// (-nic user with a port forward for ssh), polled with plain ssh.
async function byHandBoot(work: string, image: string, key: string): Promise<Boot> {
  mkdirSync(join(work, 'cloud-init'), { recursive: true });
  const port = await freePort();
  const started = performance.now();
  const run = (argv: string[]) => {
    const r = spawnSync(argv[0]!, argv.slice(1), { cwd: work, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  };
  linkOrCopy(image, join(work, name));
  run(['qemu-img', 'create', '-q', '-F', 'qcow2', '-b', name, '-f', 'qcow2', 'ubuntu0.img', '128G']);
  writeFileSync(
    join(work, 'cloud-init/user-data'),
    `#cloud-config\npassword: ubuntu\nchpasswd: { expire: false ` +
      `}\nssh_authorized_keys:\n  - ${readFileSync(`${key}.pub`, 'utf8').trim()}\n`,
  );
  writeFileSync(join(work, 'cloud-init/meta-data'), 'instance-id: ubuntu0\nlocal-hostname: ubuntu0\n');
  run([
    'genisoimage',
    '-quiet',
    '-output',
    'cidata.iso',
    '-volid',
    'cidata',
    '-joliet',
    '-rock',
    'cloud-init/user-data',
    'cloud-init/meta-data',
  ]);
  copyFileSync(ovmfVars, join(work, 'efivars.fd'));
  const qemu = spawn(
    'qemu-system-x86_64',
    [
      '-nographic',
      '-machine',
      'q35,accel=tcg',
      '-cpu',
      'max',
      '-smp',
      '2',
      '-m',
      '2G',
      '-drive',
      `if=pflash,readonly=on,format=raw,file=${ovmfCode}`,
      '-drive',
      'if=pflash,format=raw,file=efivars.fd',
      '-nic',
      `user,hostfwd=tcp:127.0.0.1:${port}-:22`,
      '-hda',
      'ubuntu0.img',
      '-drive',
      'file=cidata.iso,driver=raw,if=virtio',
    ],
    { cwd: work, stdio: ['ignore', 'ignore', 'ignore'] },
  );
  const ssh = [
    '-i',
    key,
    '-p',
    String(port),
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    `UserKnownHostsFile=${join(work, 'known_hosts')}`,
    '-o',
    'StrictHostKeyChecking=accept-new',
    '-o',
    'LogLevel=ERROR',
    '-o',
    'BatchMode=yes',
    '-o',
    'ConnectTimeout=5',
    'ubuntu@127.0.0.1',
  ];
  try {
    return await pollGuest(started, (command) =>
      spawnSync('ssh', [...ssh, command], { encoding: 'utf8', timeout: 60_000 }),
    );
  } finally {
    await stop(qemu, 'SIGTERM');
  }
}
