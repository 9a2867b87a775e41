// Every on-disk name under images/ is defined here, and nowhere else.
import { basename, join, resolve } from 'node:path';

export interface Paths {
  root: string; // images/
  // kubenet's own bookkeeping
  meta: string; // images/.kubenet
  taskState(task: string): string; // record of a finished task run
  lock(name: string): string; // lock file for a task, a download or a VM
  // QEMU facts written by 00-qemu
  facts: string;
  // downloads: final file, partial data, the partial's metadata, the download record
  artifact(fileName: string): string;
  partial(fileName: string): string;
  partialMeta(fileName: string): string;
  downloadRecord(fileName: string): string;
  // pinned copies (hard links) of downloaded base images that overlays point to
  pinned(sha256: string, fileName: string): string;
  // The guide's own files sit directly in images/ under the guide's names, and QEMU runs with
  // images/ as its working directory, so the argv is the guide's token for token.
  disk(vm: VmName): string; // ubuntu.img (live-CD install target) or ubuntu0.img (cloud overlay)
  seed: string; // cidata.iso
  cloudInit(file: 'user-data' | 'meta-data'): string; // cloud-init/user-data, cloud-init/meta-data
  // one folder per VM for what kubenet adds to run it: serial log, QMP socket, pid, UEFI vars
  vmDir(vm: VmName): string;
  vmFile(vm: VmName, file: VmFile): string;
  sshKey: string; // key pair kubenet generates when the user has none
}

export type VmName = string; // 'machine' | 'live-cd' | 'ubuntu0'
export type VmFile = 'serial.log' | 'qmp.sock' | 'pid' | 'efivars.fd' | 'ssh-port' | 'qemu.stderr' | 'base.json';

// The directory that holds artifacts: --images, then KUBENET_IMAGES, then ./images.
export function imagesRoot(option?: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return resolve(cwd, option ?? env.KUBENET_IMAGES ?? 'images');
}

// Disk file names follow the guide: ubuntu.img for the live-CD install, ubuntu0.img for the cloud VM.
const diskNames: Record<string, string> = { 'live-cd': 'ubuntu.img', ubuntu0: 'ubuntu0.img' };

export function makePaths(root: string): Paths {
  const meta = join(root, '.kubenet');
  const safe = (name: string) => basename(name); // names never carry folders in
  return {
    root,
    meta,
    taskState: (task) => join(meta, 'state', `${safe(task)}.json`),
    lock: (name) => join(meta, 'locks', `${safe(name)}.lock`),
    facts: join(root, 'qemu.json'),
    artifact: (fileName) => join(root, safe(fileName)),
    partial: (fileName) => join(root, `.${safe(fileName)}.part`),
    partialMeta: (fileName) => join(root, `.${safe(fileName)}.part.json`),
    downloadRecord: (fileName) => join(meta, 'downloads', `${safe(fileName)}.json`),
    pinned: (sha256, fileName) => join(root, 'base', `${sha256.slice(0, 16)}-${safe(fileName)}`),
    disk: (vm) => join(root, diskNames[vm] ?? `${safe(vm)}.img`),
    seed: join(root, 'cidata.iso'),
    cloudInit: (file) => join(root, 'cloud-init', file),
    vmDir: (vm) => join(root, 'vm', safe(vm)),
    vmFile: (vm, file) => join(root, 'vm', safe(vm), file),
    sshKey: join(root, 'ssh', 'id_ed25519'),
  };
}
