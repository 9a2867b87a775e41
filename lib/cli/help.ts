// `kubenet --help` and `kubenet <command> --help`.
export const commandHelp: Record<string, string> = {
  list: `kubenet list [--json]

Every task in order with its title, the guide step it mirrors, its deps and its status:
done, stale (and why), never run, or always (a task that boots a VM runs every time).`,
  run: `kubenet run <task…> [options]

Runs the tasks and their deps, deps first, each once. A task is named in full (03-cloud-image),
by number (03) or by name (cloud-image). Up-to-date tasks are skipped.

  --force, -f          rerun the named tasks even when up to date (never recreates a VM disk)
  --dry-run, -n        print every command the run would execute, in the guide's form; run nothing
  --verbose, -v        show commands and their output
  --arch ARCH          guest architecture: aarch64 | x86_64 (default: the host's)
  --accel ACCEL        hvf | kvm | tcg (default: hvf on macOS, kvm when /dev/kvm works, else tcg)
  --firmware FILE      UEFI firmware image to use instead of the one found
  --images DIR         where artifacts live (default ./images, or KUBENET_IMAGES)
  --mirror BASE        fetch https://HOST/PATH as BASE/HOST/PATH (or KUBENET_MIRROR)
  --offline            use cached downloads only; fail if one is missing
  --net MODE           user | vmnet-shared | vmnet-bridged | none (default: vmnet-shared on macOS, user on Linux)
  --memory SIZE, -m    guest memory (default 2G)
  --smp N              guest CPUs (default 2)
  --disk-size SIZE     size of a new disk (default 128G)
  --user-data FILE     your own cloud-init user-data for 03-cloud-image
  --step N             run one step of the guide (kubenet guide lists them)
  --headless           no window, no console on the terminal (serial goes to images/vm/<vm>/serial.log)
  --until REGEX        wait for the serial console to match, then shut the VM down and exit 0
  --until ssh          03-cloud-image: wait until \`kubenet ssh -- true\` would succeed, then the same
  --timeout SECONDS    how long --until waits (default 600)
A headless boot without --until runs until Ctrl-C (kubenet then powers the guest off); it prints
how to log in (kubenet ssh), where the serial console is logged, and how to stop it.`,
  prefetch: `kubenet prefetch [task…] [--json] [--cache-key] [--mirror BASE] [--offline]

Downloads every artifact those tasks need (all by default), in parallel, verified against
SHA256SUMS, then prints a manifest. --cache-key prints one stable key derived from the
resolved digests, for CI caches.`,
  ssh: `kubenet ssh [--wait SECONDS] [-- command…]

Logs in to the cloud VM (ubuntu0, started by kubenet run 03-cloud-image) as ubuntu, with the
key its cloud-init seed trusts: yours from ~/.ssh, else the one kubenet generated under
images/ssh/. With --net user it uses the forwarded port kubenet recorded; with vmnet on macOS
the address from /var/db/dhcpd_leases. Host keys go to images/vm/ubuntu0/known_hosts, never to
~/.ssh/known_hosts.

While the VM boots (cloud-init runs on an instance's first boot, minutes under emulation) its
sshd does not answer yet: kubenet ssh says so, points at the serial log, and waits for it.
  --wait SECONDS       how long to wait for sshd to answer (default 300; 0: do not wait)
Without a terminal (a script, CI) ssh never prompts: a command runs, or ssh fails at once.
Its exit code is the command's.`,
  reset: `kubenet reset <task> [--yes]

Deletes what only a reset may delete: a VM's disk or overlay (it holds the VM's state) and the
task's record. Asks on a terminal; elsewhere needs --yes.`,
  guide: `kubenet guide [--json] [--arch ARCH] [--images DIR]

The chapter's steps 1–11 in order, each with the command that runs it alone, its status here
(done, booted before, stale and why, not yet) and the next command to run. Steps that boot a
VM run every time you ask; the files they make (ubuntu.img, ubuntu0.img, cidata.iso) and the
downloads are what "done" means.`,
  explain: `kubenet explain <task> [--step N] [--arch ARCH] [--net MODE] [--accel ACCEL] [--firmware FILE]
                [--memory SIZE] [--smp N]
kubenet explain --step N

Prints a guide step's commands as the guide writes them and as this host runs them, where they
differ and why (tcg instead of hvf/kvm, the firmware kubenet found, -nic user instead of vmnet),
then every option with one line on what it does and why the guide uses it, and the long forms
(-cdrom ↔ -drive …,media=cdrom ↔ -blockdev … -device virtio-blk-pci; -nic ↔ -netdev + -device;
-bios ↔ -drive if=pflash). Without --step: the step \`kubenet run <task>\` runs (02: 8, 03: 11).
Host facts come from images/qemu.json, else are detected now (nothing is written).`,
  doctor: `kubenet doctor [--json] [--arch ARCH] [--net MODE] [--accel ACCEL] [--firmware FILE] [--images DIR]

Checks this host before a long download, one line per check with ok, warn or fail and the fix:
QEMU for the guest architecture and its version (vmnet needs QEMU ≥ 7.1, hvf on Apple Silicon
6.2), qemu-img, UEFI firmware, the accelerator (tcg is a warning: slow, but it works), free
space in the images folder for the downloads (~5 GB) and an install, ssh and ssh-keygen, and
sudo when vmnet needs root. Exits 10 when a check fails, 0 otherwise.`,
  completion: `kubenet completion bash|zsh

Prints a completion script for commands, task names (03-cloud-image, 03, cloud-image), options
and their values.
  bash:  source <(kubenet completion bash)          (add it to ~/.bashrc)
  zsh:   source <(kubenet completion zsh)           (after compinit, in ~/.zshrc)
         or: kubenet completion zsh > "\${fpath[1]}/_kubenet"`,
};

export function mainHelp(tasks: string[]): string {
  return `kubenet — Kubernetes the harder way, chapter 1, as cached build tasks

Usage:
  kubenet list [--json]                 tasks, deps and status
  kubenet run <task…> [options]         run tasks (deps first); --dry-run prints the guide's commands
  kubenet prefetch [task…]              download and verify every artifact (for CI caches)
  kubenet reset <task> [--yes]          delete a VM's disk/overlay so the task starts over
  kubenet ssh [-- command…]             log in to the cloud VM
  kubenet guide                         the chapter's steps, their status and what to run next
  kubenet explain <task> [--step N]     a step's commands, option by option, guide vs this host
  kubenet doctor                        check QEMU, firmware, accelerator, disk space, ssh, sudo
  kubenet completion bash|zsh           shell completion script
  kubenet help <command>                options of a command

Tasks: ${tasks.join(', ')}

Common options: --arch aarch64|x86_64, --images DIR, --mirror BASE, --verbose, --dry-run.
Run "kubenet help run" for all options.`;
}
