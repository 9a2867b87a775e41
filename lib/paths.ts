// Every name kubenet gives under images/, in one place: its records, locks, downloads and their
// partials, pins, each VM's folder, the cluster network's files, the tmux record — and in the
// shared download cache. The guide's own file names (ubuntu.img, cidata.iso, tapup.sh, a cluster
// VM's gateway/disk.img, the certificates in auth/) are written in the task files that make them,
// beside the guide's commands; their folder auth/ is named here. Temporary names come from lib/fs.
// Two spellings of one name: relative to images/, as commands that run there and the task API
// name a file (QEMU's argv: a unix socket's path is limited to ~100 bytes); and absolute (Paths).
import { homedir } from 'node:os';
import { basename, join } from 'node:path';

export type VmName = string; // 'machine' | 'live-cd' | 'ubuntu0'
// qmp.sock is the running kubenet's own; control.sock serves kubenet status and stop (QMP serves
// one client at a time); run.json says who started QEMU and how (lib/vm/run-record.ts); instance-id
// is the seed's, under which the VM's host keys are kept in known_hosts (which ssh writes);
// console.sock is the VM's serial console, for kubenet console; cloud-init.json what status last
// learned of cloud-init over ssh.
export type VmFile =
  | 'serial.log'
  | 'qmp.sock'
  | 'control.sock'
  | 'console.sock'
  | 'pid'
  | 'run.json'
  | 'efivars.fd'
  | 'ssh-port'
  | 'qemu.stderr'
  | 'instance-id'
  | 'known_hosts'
  | 'cloud-init.json';

const safe = (name: string) => basename(name); // names never carry folders in

// One folder per VM for what kubenet adds to run it (images/vm/<vm>/), relative to images/.
export const vmDirName = (vm: VmName): string => `vm/${safe(vm)}`;
export const vmFileName = (vm: VmName, file: VmFile): string => `${vmDirName(vm)}/${file}`;

// The cluster network's files of kubenet's own, in images/network/, relative to images/: its
// dnsmasq's configuration, hosts, pid and leases; what it made of the network (network/made.json)
// and IP forwarding as it was before; the root-free network's socket, configuration, pid and log.
export const networkFiles = {
  dnsmasqConf: 'network/dnsmasq.conf',
  hosts: 'network/hosts',
  dnsmasqPid: 'network/dnsmasq.pid',
  leases: 'network/dnsmasq.leases',
  made: 'network/made.json',
  ipForwardBefore: 'network/ip_forward.before',
  usernetSocket: 'network/usernet.sock',
  usernetConfig: 'network/usernet.json',
  usernetPid: 'network/usernet.pid',
  usernetLog: 'network/usernet.log',
} as const;
export type NetworkFile = keyof typeof networkFiles;

export const authDir = 'auth'; // the guide's `mkdir auth && cd auth` (chapter 4), under images/

export interface Paths {
  root: string; // images/
  // kubenet's own bookkeeping
  meta: string; // images/.kubenet
  taskState(task: string): string; // record of a finished task run
  taskFiles: string; // the task files found in each folder, remembered (runner/discover.ts)
  lock(name: string): string; // lock file for a task, a download or a VM
  made(dir: string): string; // what kubenet made in a folder (auth/) from what, and the templates it wrote there
  tmuxSessions: string; // the tmux sessions kubenet opened (runner/tmux-sessions.ts)
  // QEMU facts written by 00-qemu
  facts: string;
  // downloads: final file, partial data, the partial's metadata, the download record
  artifact(fileName: string): string;
  partial(fileName: string): string;
  partialMeta(fileName: string): string;
  downloadRecord(fileName: string): string;
  // pinned copies (hard links) of downloaded base images that overlays point to
  pinned(sha256: string, fileName: string): string;
  // one folder per VM for what kubenet adds to run it: serial log, QMP sockets, pid, how it runs,
  // UEFI vars
  vms: string; // images/vm: one folder per VM
  vmDir(vm: VmName): string;
  vmFile(vm: VmName, file: VmFile): string;
  network(file: NetworkFile): string; // as a program that changes folder reads it (dnsmasq), and a pid file
  sshKey: string; // key pair kubenet generates when the user has none
  auth: string; // images/auth: chapter 4's certificates, keys and kubeconfigs
}

export function makePaths(root: string): Paths {
  const meta = join(root, '.kubenet');
  return {
    root,
    meta,
    taskState: (task) => join(meta, 'state', `${safe(task)}.json`),
    taskFiles: join(meta, 'task-files.json'),
    lock: (name) => join(meta, 'locks', `${safe(name)}.lock`),
    made: (dir) => join(meta, 'made', `${safe(dir)}.json`),
    tmuxSessions: join(meta, 'tmux.json'),
    facts: join(root, 'qemu.json'),
    artifact: (fileName) => join(root, safe(fileName)),
    partial: (fileName) => join(root, `.${safe(fileName)}.part`),
    partialMeta: (fileName) => join(root, `.${safe(fileName)}.part.json`),
    downloadRecord: (fileName) => join(meta, 'downloads', `${safe(fileName)}.json`),
    pinned: (sha256, fileName) => join(root, 'base', `${sha256.slice(0, 16)}-${safe(fileName)}`),
    vms: join(root, 'vm'),
    vmDir: (vm) => join(root, vmDirName(vm)),
    vmFile: (vm, file) => join(root, vmFileName(vm, file)),
    network: (file) => join(root, networkFiles[file]),
    sshKey: join(root, 'ssh', 'id_ed25519'),
    auth: join(root, authDir),
  };
}

// The shared download cache: every verified download once, named by its SHA-256, for all of a
// user's images/ folders. Default: $XDG_CACHE_HOME/kubenet/downloads, else ~/.cache/kubenet/downloads.
export interface CachePaths {
  root: string;
  entries: string; // the folder of entries
  entry(sha256: string): string; // the file: root/sha256/<hex>
  entryRecord(sha256: string): string; // what kubenet knows of it: root/sha256/<hex>.json
  lock(sha256: string): string; // held while the entry is made, linked or pruned
}

export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache'), 'kubenet', 'downloads');
}

export function makeCachePaths(root: string): CachePaths {
  const hex = (sha256: string) => basename(sha256).toLowerCase();
  const entries = join(root, 'sha256');
  return {
    root,
    entries,
    entry: (sha256) => join(entries, hex(sha256)),
    entryRecord: (sha256) => join(entries, `${hex(sha256)}.json`),
    lock: (sha256) => join(root, 'locks', `${hex(sha256)}.lock`),
  };
}
