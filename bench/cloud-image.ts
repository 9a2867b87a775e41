// Issue 5's benchmark: a cold `kubenet run 03-cloud-image` (download from nginx on loopback,
// overlay, seed, boot to the marker) and a warm rerun (boot only), each next to the sum of the
// equivalent manual commands (curl, sha256sum, qemu-img, genisoimage, qemu) in the same run.
// Targets: ≤ 1.1× cold, ≤ 1.05× warm.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nginxBinary, startNginx } from '../test/helpers/nginx.js';
import { GUEST_MARKERS, testGuest } from '../test/helpers/test-guest.js';
import { tempDir } from '../test/helpers/tmp.js';
import { median } from './measure.js';

const bin = fileURLToPath(new URL('../../bin/kubenet.js', import.meta.url));
const host = 'cloud-images.ubuntu.com';
const dirPath = '/jammy/current/';
const name = 'jammy-server-cloudimg-arm64.img';
const rounds = 2;

function timed(argv: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): number {
  const start = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', ...options });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: exit ${r.status}: ${r.stderr}`);
  return performance.now() - start;
}

// QEMU by hand: start it, poll the serial log for the marker, wait for it to exit.
function qemuUntil(argv: string[], cwd: string, log: string, marker: string): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const qemu = spawn(argv[0]!, argv.slice(1), { cwd, stdio: 'ignore' });
    let seen = false;
    const poll = setInterval(() => {
      if (!seen && existsSync(log) && readFileSync(log, 'utf8').includes(marker)) {
        seen = true;
        qemu.kill('SIGTERM'); // what a person does after seeing the marker: quit QEMU
      }
    }, 50);
    qemu.once('exit', () => {
      clearInterval(poll);
      if (seen) resolve(performance.now() - start);
      else reject(new Error('QEMU exited before the marker'));
    });
  });
}

export async function benchCloudImage(): Promise<void> {
  if (!existsSync(nginxBinary) || spawnSync('genisoimage', ['--version']).status !== 0) {
    console.log('skipped: needs nginx (nginx-light), curl and genisoimage');
    return;
  }
  const guest = await testGuest('aarch64');
  const dir = tempDir('kubenet-bench-cloud-');
  const www = join(dir.path, 'www', host, dirPath);
  mkdirSync(www, { recursive: true });
  copyFileSync(guest.cloudImage, join(www, name));
  const sha = createHash('sha256').update(readFileSync(guest.cloudImage)).digest('hex');
  writeFileSync(join(www, 'SHA256SUMS'), `${sha} *${name}\n`);
  const nginx = await startNginx(join(dir.path, 'www'));
  // The same key for both sides, so neither pays for ssh-keygen.
  const home = join(dir.path, 'home');
  mkdirSync(join(home, '.ssh'), { recursive: true });
  spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(home, '.ssh/id_ed25519')]);
  const env = { ...process.env, CI: 'true', HOME: home };
  const marker = GUEST_MARKERS.done;
  try {
    const kubenetRun = (images: string) =>
      timed([process.execPath, bin, 'run', '03-cloud-image', '--arch', 'aarch64', '--headless', '--memory', '512M', '--mirror', nginx.url, '--images', images, '--until', marker, '--timeout', '300'], { env });

    const manualPrep = (work: string) => {
      mkdirSync(work, { recursive: true });
      let ms = timed(['curl', '-fsSo', name, `${nginx.url}${host}${dirPath}${name}`], { cwd: work });
      ms += timed(['curl', '-fsSo', 'SHA256SUMS', `${nginx.url}${host}${dirPath}SHA256SUMS`], { cwd: work });
      ms += timed(['sha256sum', '-c', '--ignore-missing', 'SHA256SUMS'], { cwd: work });
      ms += timed(['qemu-img', 'create', '-q', '-F', 'qcow2', '-b', name, '-f', 'qcow2', 'ubuntu0.img', '128G'], { cwd: work });
      mkdirSync(join(work, 'cloud-init'), { recursive: true });
      writeFileSync(join(work, 'cloud-init/user-data'), `#cloud-config\npassword: ubuntu\nssh_authorized_keys:\n  - ${readFileSync(join(home, '.ssh/id_ed25519.pub'), 'utf8').trim()}\n`);
      writeFileSync(join(work, 'cloud-init/meta-data'), 'instance-id: ubuntu0\nlocal-hostname: ubuntu0\n');
      ms += timed(['genisoimage', '-quiet', '-output', 'cidata.iso', '-volid', 'cidata', '-joliet', '-rock', 'cloud-init/user-data', 'cloud-init/meta-data'], { cwd: work });
      ms += timed(['cp', '--sparse=always', '/usr/share/AAVMF/AAVMF_VARS.fd', 'efivars.fd'], { cwd: work });
      return ms;
    };
    const manualBoot = (work: string) => {
      rmSync(join(work, 'serial.log'), { force: true });
      return qemuUntil(
        ['qemu-system-aarch64', '-machine', 'virt,accel=tcg,highmem=on', '-cpu', 'max,pauth-impdef=on', '-smp', '2', '-m', '512M',
          '-drive', 'if=pflash,readonly=on,format=raw,file=/usr/share/AAVMF/AAVMF_CODE.fd', '-drive', 'if=pflash,format=raw,file=efivars.fd',
          '-nic', 'user', '-hda', 'ubuntu0.img', '-drive', 'file=cidata.iso,driver=raw,if=virtio',
          '-display', 'none', '-monitor', 'none', '-serial', 'file:serial.log'],
        work, join(work, 'serial.log'), marker);
    };

    const cold = { kubenet: [] as number[], manual: [] as number[] };
    const warm = { kubenet: [] as number[], manual: [] as number[] };
    for (let i = 0; i < rounds; i++) {
      const images = join(dir.path, `images-${i}`);
      const work = join(dir.path, `manual-${i}`);
      cold.kubenet.push(kubenetRun(images));
      cold.manual.push(manualPrep(work) + (await manualBoot(work)));
      warm.kubenet.push(kubenetRun(images));
      warm.manual.push(await manualBoot(work));
      rmSync(images, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    }
    const line = (label: string, k: number[], m: number[], target: string) =>
      console.log(`${label}: kubenet ${(median(k) / 1000).toFixed(2)} s vs manual ${(median(m) / 1000).toFixed(2)} s → ${(median(k) / median(m)).toFixed(3)}× (target ${target})`);
    line('cold 03-cloud-image (download + overlay + seed + boot to marker)', cold.kubenet, cold.manual, '≤ 1.1×');
    line('warm 03-cloud-image (boot to marker)', warm.kubenet, warm.manual, '≤ 1.05×');
  } finally {
    await nginx.stop();
    dir.remove();
  }
}
