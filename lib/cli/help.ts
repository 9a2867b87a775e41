// `kubenet help [command]`: what each command does, in prose, then its options from the one
// table of options (option-specs.ts), so the two never disagree.
import { commandNames, specOf } from './option-specs.js';

const about: Record<string, string> = {
  list: `Every task in the guide's order with its steps and status (done; stale, and why; never run;
runs every time — a task that boots a VM), then the downloads the steps need and whether they are
in images/ and verified, and by which key the SHA256SUMS they were verified against was signed.`,
  run: `Runs tasks, steps or downloads, deps first, each once; up-to-date tasks are skipped. Name a task in
full (03-cloud-image) or by number (03); a step by its name (network, cloud-init, live-cd) or its
number in the guide (6, 11) — a step's name names the step even where a task's short name is the
same (live-cd is step 5; the task is 02-live-cd), and the run says so; a download by its name
(cloud-img). A task runs its last step; --step picks another. Each step fetches only the downloads
it uses. A VM that runs already is not started again: the run says it is up (exit 0), or what it
would start differently and how to apply that. What needs root is shown first, all of it, and
asked once (or --yes).
Every boot prints the guide's command, then what kubenet changes to watch and stop the VM.
With --detach the VM boots in the background, headless: run returns once QEMU runs and the serial
console shows a first sign of life (or once it matches --until), and says how to log in, see and
stop it. A timeout, or a QEMU that exits or stops the VM before then, stops it and fails as a
foreground run does.`,
  prefetch: `Downloads and verifies every download the named tasks or steps need (all of them by default), in
parallel, then prints a manifest. Each SHA256SUMS is trusted once its signature (SHA256SUMS.gpg) by
Ubuntu's pinned key verifies; --require-signature refuses a download checked by digest only. \
--cache-key prints one key derived from the digests, for CI caches.`,
  import: `Makes images you already downloaded (the guide's wget) kubenet's verified downloads, without a
byte transferred. Each FILE, from anywhere, is recognised by its upstream name, checked against
upstream's SHA256SUMS (through --mirror, if given) — or, with --offline, the SHA256SUMS beside it, or
the one --sums names, each with its signature verified when SHA256SUMS.gpg (FILE.gpg) is beside
it — and put in images/ under its name as a copy of its own (a reflink where the file system can
clone, so no space is used), never a link to your file: resize or boot yours as you like. Your
file is never moved or changed; one that does not match is refused (exit 21).`,
  cache: `The shared download cache: every verified download once, by its SHA-256, hard-linked into each
images/ folder that uses it (copied across file systems), so a second folder downloads nothing.
Lists each entry's download, size, digest, when it was last used and how many other names link it.
prune removes entries no images/ folder links (link count 1) that were not used for --older-than
DAYS (default 30), or all of them with --all, and says what it kept and why. Where it is: --cache
DIR, KUBENET_CACHE or cache: in kubenet.yaml (default $XDG_CACHE_HOME/kubenet/downloads, else
~/.cache/kubenet/downloads); --no-cache, KUBENET_CACHE=off or cache: off turn it off.`,
  reset: `Deletes what only a reset may delete — the disks a task makes (they hold a VM's state) and its VMs'
folders — and the task's record. Asks on a terminal; elsewhere needs --yes.`,
  ssh: `Logs in to a VM (default ubuntu0, started by kubenet run 03-cloud-image) as ubuntu, with the key its
cloud-init seed trusts: yours from ~/.ssh, else the one kubenet generated under images/ssh/. With
-nic user it uses the port kubenet forwarded; with vmnet on macOS the address from
/var/db/dhcpd_leases. Host keys go to images/vm/<vm>/known_hosts (under the seed's instance-id,
so a changed host key is refused), never to ~/.ssh/known_hosts. While the guest boots and sshd
does not answer yet, kubenet ssh says so, points at the serial log and waits (--wait). Without a
terminal (a script, CI) ssh never prompts: a command runs, or ssh fails at once.`,
  delete: `Deletes VMs: each one is stopped first if it runs, then its disk, its cloud-init seed and its
folder under images/vm/ go — for ubuntu0, ubuntu0.img and its seed; for a cluster VM, its folder
(gateway/); for live-cd, ubuntu.img. The downloads, the other VMs and the network stay; the tasks
that made its files make them afresh on their next run. Shows what goes, then asks on a terminal;
elsewhere needs --yes. (kubenet reset undoes a whole task.)`,
  console: `Attaches this terminal to a running VM's serial console — a VM started headless or with
--detach, whose console QEMU serves on vm/<vm>/console.sock (and logs to its serial.log). Ctrl-]
leaves it; the VM keeps running, and leaving never stops it. Keys go to the guest as typed (Ctrl-C
too); from a pipe, what is piped goes in. One console at a time per VM.`,
  'ssh-config': `Prints ssh configuration, a Host block per VM (all that kubenet can log in to, or those named):
its address on the bridge or the port forwarded to it, user ubuntu, the key its seed trusts, and
the VM's own known_hosts. Every tool that speaks ssh then reaches the VMs as kubenet ssh does:
  kubenet ssh-config > ~/.ssh/kubenet.conf     (then Include kubenet.conf in ~/.ssh/config)
  ssh -F ~/.ssh/kubenet.conf gateway           (the guide's ssh ubuntu@gateway, without /etc/hosts)
Ports are stable, so the file stays right from run to run; print it again after a reset.`,
  cp: `Copies files to, from or between VMs with scp, logging in as kubenet ssh does. A VM's path is
VM:PATH, relative to /home/ubuntu (gateway:notes.txt) or absolute (gateway:/etc/hosts); a local name
with a colon is written ./NAME. Folders need -r. The VMs named must run and their sshd answer.`,
  certs: `Every certificate chapter 4 makes in images/auth/ — the CA, the API server's, admin's, each
node's, the control plane's and the service accounts' — with its subject (CN, O), SANs, issuer, key
usages and expiry. Warns of one that expires within 30 days, is not signed by auth/ca.pem, has
another key, or no longer matches the cluster's topology (kubenet.yaml cluster:), and lists
certificates no VM of the topology uses. Private keys are read only to check them, never shown.`,
  status: `Every VM that has run (a folder under images/vm/ with its serial log), running or not: its QEMU's
pid and uptime, the run state QEMU reports (asked over QMP; a QEMU that does not answer within 2 s
is shown as such), where ssh reaches it (a cluster VM's bridge address, or the port forwarded to
its port 22), whether its sshd answers and what cloud-init says, how to attach to its console, and
how it runs — detached, or the kubenet that shows its console. A pid file whose QEMU is gone is
shown as stale; the next run of the VM tidies it.`,
  stop: `Powers VMs off as a careful user would: the ACPI power button (the guest shuts down), then, after
--grace seconds, QMP quit (QEMU flushes the disks and exits), then SIGTERM, and SIGKILL only if
QEMU is still there 5 s later. Works for detached VMs and for those a foreground kubenet runs (that
kubenet then ends as when the guest powers off). Removes the pid file, sockets and run record. A
VM that is not running is said so, with exit 0; a name with no folder under images/vm/ is exit 2.`,
  guide: `The guide's steps in order, each with the command that runs it alone, its status here (done, booted
before, stale and why, not yet) and the next command to run.`,
  explain: `A step's commands as the guide writes them and as this host runs them, where they differ and why
(tcg instead of hvf/kvm, the firmware kubenet found, -nic user instead of vmnet), then every option
with what it does and why the guide uses it, and its long forms. Without --step: the task's last
step. Host facts come from images/qemu.json, else are detected now (nothing is written).`,
  doctor: `Checks this host before a long download, one line per check with ok, warn or fail and the fix: QEMU
and its version, qemu-img, UEFI firmware, the accelerator, free space for the downloads and an
install, ssh and ssh-keygen, and sudo when vmnet needs root. On Linux, what chapters 2–3 need too, as
warnings: the cluster's /24 free on this host (else a free one to use), ip, iptables, dnsmasq,
tmux, the bridge module and /dev/net/tun. Exits 10 when a check fails.`,
  config: `The settings the next command would use, and where each comes from: the command line, a
KUBENET_* variable (KUBENET_ACCEL, KUBENET_MIRROR, …), or kubenet.yaml in this folder (or the file
KUBENET_CONFIG names) — in that order of precedence — else the default. A kubenet.yaml takes the
command line's names:
  accel: tcg
  arch: x86_64
  mirror: https://mirror.example/kubenet/`,
  completion: `Prints a completion script for commands, task, step and download names, options and their values.
  bash:  source <(npx kubenet completion bash)
  zsh:   source <(npx kubenet completion zsh)        (after compinit)`,
  help: 'Prints the help of a command.',
};

export function commandHelp(command: string): string {
  const spec = specOf(command)!;
  const options = Object.entries(spec.options).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.kind.word}` : ''}`;
    return `  ${flag.padEnd(26)} ${o.help}`;
  });
  // What the kinds say once (how numbers are written), under the options that take them.
  const notes = [...new Set(Object.values(spec.options).flatMap((o) => (o.kind.note ? [o.kind.note] : [])))];
  const lines = [...options, ...notes.map((n) => `\n${n}`)];
  return `${spec.usage}\n\n${about[command] ?? ''}\n\nOptions:\n${lines.join('\n')}`;
}

export function mainHelp(tasks: readonly string[]): string {
  const lines = commandNames.filter((c) => c !== 'help').map((c) => `  ${specOf(c)!.usage}`);
  return `kubenet — Kubernetes the harder way, as cached build tasks that follow the guide

Usage:
${lines.join('\n')}
  kubenet help <command>

Tasks: ${tasks.join(', ')}   (kubenet list shows their steps; kubenet guide the steps in order)
Run "kubenet help run" for every option of run.`;
}
