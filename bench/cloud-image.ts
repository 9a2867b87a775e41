// Issue 5's benchmark: a cold `kubenet run 03-cloud-image` (download from nginx on loopback,
// overlay, seed, boot to the marker) and a warm rerun (boot only), each next to the sum of the
// equivalent manual commands (curl, sha256sum, qemu-img, genisoimage, qemu) in the same run.
// Targets: ≤ 1.1× cold, ≤ 1.05× warm.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cloudDir, cloudHost, mirrorTools, serveCloudImage } from './cloud-mirror.js';
import { GUEST_MARKERS, testGuest } from '../test/helpers/test-guest.js';
import { median } from './measure.js';

const bin = fileURLToPath(new URL('../../bin/kubenet.js', import.meta.url));
const name = 'jammy-server-cloudimg-arm64.img';
const rounds = 4;

function timed(argv: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): number {
  const start = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', ...options });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return performance.now() - start;
}

// Starts a command and times it to the moment the marker shows up in the serial log, watched
// the same way (a 50 ms poll) for kubenet and for QEMU by hand. `quit` says whether to stop the
// process at the marker (a person quitting QEMU) or let it finish (kubenet shuts the VM down
// itself); the time to its exit is returned too.
function untilMarker(
  argv: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv },
  log: string,
  marker: string,
  quit: boolean,
): Promise<{ marker: number; exit: number }> {
  rmSync(log, { force: true }); // an earlier run's marker must not count
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { ...options, stdio: 'ignore' });
    let seen: number | undefined;
    const look = () => {
      if (seen === undefined && existsSync(log) && readFileSync(log, 'utf8').includes(marker)) {
        seen = performance.now() - start;
        if (quit) child.kill('SIGTERM');
      }
    };
    const poll = setInterval(look, 50);
    child.once('exit', (code) => {
      clearInterval(poll);
      look(); // the guest may print the marker and power off between two polls
      if (seen !== undefined && (quit || code === 0)) resolve({ marker: seen, exit: performance.now() - start });
      else reject(new Error(`${argv[0]} exited (${code}) before the marker`));
    });
  });
}

export async function benchCloudImage(): Promise<void> {
  if (!mirrorTools()) {
    console.log('skipped: needs nginx (nginx-light), curl, genisoimage and gpgv');
    return;
  }
  const guest = await testGuest('aarch64');
  const mirror = await serveCloudImage(guest.cloudImage, name);
  const { dir, env, home } = mirror;
  const marker = GUEST_MARKERS.done;
  try {
    const kubenetRun = (images: string) =>
      untilMarker(
        [
          process.execPath,
          bin,
          'run',
          '03-cloud-image',
          '--arch',
          'aarch64',
          '--headless',
          '--memory',
          '512M',
          '--mirror',
          mirror.url,
          '--images',
          images,
          '--until',
          marker,
          '--timeout',
          '300',
        ],
        { env },
        join(images, 'vm/ubuntu0/serial.log'),
        marker,
        false,
      );

    const manualPrep = (work: string) => {
      mkdirSync(work, { recursive: true });
      let ms = timed(['curl', '-fsSo', name, `${mirror.url}${cloudHost}${cloudDir}${name}`], { cwd: work });
      ms += timed(['curl', '-fsSo', 'SHA256SUMS', `${mirror.url}${cloudHost}${cloudDir}SHA256SUMS`], { cwd: work });
      ms += timed(['curl', '-fsSo', 'SHA256SUMS.gpg', `${mirror.url}${cloudHost}${cloudDir}SHA256SUMS.gpg`], {
        cwd: work,
      });
      ms += timed(['gpgv', '--keyring', mirror.keyring, 'SHA256SUMS.gpg', 'SHA256SUMS'], { cwd: work });
      ms += timed(['sha256sum', '-c', '--ignore-missing', 'SHA256SUMS'], { cwd: work });
      ms += timed(['qemu-img', 'create', '-q', '-F', 'qcow2', '-b', name, '-f', 'qcow2', 'ubuntu0.img', '128G'], {
        cwd: work,
      });
      mkdirSync(join(work, 'cloud-init'), { recursive: true });
      writeFileSync(
        join(work, 'cloud-init/user-data'),
        `#cloud-config\npassword: ubuntu\nchpasswd: { expire: false }\nssh_authorized_keys:\n  ` +
          `- ${readFileSync(join(home, '.ssh/id_ed25519.pub'), 'utf8').trim()}\n`,
      );
      writeFileSync(join(work, 'cloud-init/meta-data'), 'instance-id: ubuntu0\nlocal-hostname: ubuntu0\n');
      ms += timed(
        [
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
        ],
        { cwd: work },
      );
      ms += timed(['cp', '--sparse=always', '/usr/share/AAVMF/AAVMF_VARS.fd', 'efivars.fd'], { cwd: work });
      return ms;
    };
    const manualBoot = (work: string) =>
      untilMarker(
        [
          'qemu-system-aarch64',
          '-machine',
          'virt,accel=tcg,highmem=on',
          '-cpu',
          'max,pauth-impdef=on',
          '-smp',
          '2',
          '-m',
          '512M',
          '-drive',
          'if=pflash,readonly=on,format=raw,file=/usr/share/AAVMF/AAVMF_CODE.fd',
          '-drive',
          'if=pflash,format=raw,file=efivars.fd',
          '-nic',
          'user',
          '-hda',
          'ubuntu0.img',
          '-drive',
          'file=cidata.iso,driver=raw,if=virtio',
          '-display',
          'none',
          '-monitor',
          'none',
          '-serial',
          'file:serial.log',
        ],
        { cwd: work },
        join(work, 'serial.log'),
        marker,
        true,
      );

    const cold = { kubenet: [] as number[], manual: [] as number[], exit: [] as number[] };
    const warm = { kubenet: [] as number[], manual: [] as number[], exit: [] as number[] };
    for (let i = 0; i < rounds; i++) {
      const images = join(dir, `images-${i}`);
      const work = join(dir, `manual-${i}`);
      const k1 = await kubenetRun(images);
      cold.kubenet.push(k1.marker);
      cold.exit.push(k1.exit);
      cold.manual.push(manualPrep(work) + (await manualBoot(work)).marker);
      const k2 = await kubenetRun(images);
      warm.kubenet.push(k2.marker);
      warm.exit.push(k2.exit);
      warm.manual.push((await manualBoot(work)).marker);
      rmSync(images, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    }
    const line = (label: string, k: number[], m: number[], target: string) =>
      console.log(
        `${label}: kubenet ${(median(k) / 1000).toFixed(2)} s vs manual ` +
          `${(median(m) / 1000).toFixed(2)} s → ${(median(k) / median(m)).toFixed(3)}× (target ${target})`,
      );
    line('cold 03-cloud-image (download + overlay + seed + boot to marker)', cold.kubenet, cold.manual, '≤ 1.1×');
    line('warm 03-cloud-image (boot to marker)', warm.kubenet, warm.manual, '≤ 1.05×');
    console.log(
      `  kubenet to its exit, the VM shut down (ACPI powerdown, then quit): cold ` +
        `${(median(cold.exit) / 1000).toFixed(2)} s, warm ${(median(warm.exit) / 1000).toFixed(2)} s`,
    );
  } finally {
    await mirror.close();
  }
}
