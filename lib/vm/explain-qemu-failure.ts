// QEMU's own messages are terse ("invalid accelerator hvf"). These are the ones users of the
// guide meet; each maps to what it means on this host and what to do about it.
import { ExitCode, KubenetError, type ExitCodeFamily } from '../errors.js';

export interface FailureContext {
  vm: string;
  exe?: string; // qemu-system-aarch64, …
  cwd?: string; // where relative file names resolve (images/)
}

interface Known {
  pattern: RegExp;
  code: ExitCodeFamily;
  summary(match: RegExpExecArray, context: FailureContext): string;
  explain(match: RegExpExecArray, context: FailureContext): string;
  fix(match: RegExpExecArray, context: FailureContext): string;
}

const known: Known[] = [
  {
    pattern: /invalid accelerator hvf/,
    code: ExitCode.host,
    summary: () => 'this QEMU has no hvf accelerator',
    explain: () =>
      'hvf is the accelerator of macOS (Hypervisor.framework). ' +
      'QEMU only offers it on a Mac, and only for a guest of the ' +
      "Mac's own architecture; on Linux the hardware accelerator is kvm, and without one QEMU emulates the CPU (tcg).",
    fix: () =>
      'let kubenet detect the accelerator for this host (accel=kvm on Linux ' +
      "with /dev/kvm, accel=tcg otherwise) instead of the guide's hvf",
  },
  {
    pattern: /Could not access KVM kernel module: ([^\n]+)|failed to initialize kvm[^\n]*/,
    code: ExitCode.host,
    summary: () => 'KVM is not available',
    explain: (m) =>
      /Permission denied/.test(m[0])
        ? 'QEMU found /dev/kvm but may not open it: the device belongs to the kvm group.'
        : 'QEMU was asked for accel=kvm, but /dev/kvm is missing: the CPU has no virtualization extensions, they are ' +
          ('switched off in the firmware, the kvm module is not loaded, ' +
            'or this is a VM or container without nested virtualization.'),
    fix: (m) =>
      /Permission denied/.test(m[0])
        ? 'add yourself to the kvm group (sudo usermod -aG kvm $USER, then log in again)'
        : 'load kvm_intel or kvm_amd (sudo modprobe kvm_intel), or run ' +
          'under emulation with accel=tcg and -cpu max (much slower)',
  },
  {
    // QEMU does not exit after this one: it stops the VM and waits (see run-state-watch.ts).
    pattern: /KVM internal error\.[^\n]*/,
    code: ExitCode.host,
    summary: (m) => `accel=kvm cannot run it here: QEMU stopped the VM with "${m[0].trim()}"`,
    explain: () =>
      "QEMU opened /dev/kvm, but KVM could not run the firmware's " +
      'first instructions ("emulation failure"), so QEMU paused the ' +
      ('VM instead of running it. This happens where /dev/kvm is not ' +
        'a full hypervisor: kvm_pvm (a paravirtual KVM that runs only ') +
      ('PVM-aware guest kernels; /sys/module/kvm_pvm exists) or a ' +
        'nested virtualization that lacks a feature the firmware uses.'),
    fix: () =>
      'run with --accel tcg (emulation: slower, but it runs the ' +
      'firmware), or rerun kubenet run 00-qemu --force without --accel so ' +
      'that its accelerator probe picks one that works here',
  },
  {
    // Another kvm_pvm (and broken nested KVM): QEMU gives up while handing the vCPU its state and
    // aborts before the firmware's first instruction, e.g. "error: failed to set MSR 0x10a to 0x69"
    // followed by an assertion in kvm_buf_set_msrs.
    pattern: /error: failed to (?:set|get) MSR[^\n]*|kvm_[a-z_]+: Assertion[^\n]*|kvm_init_vcpu failed[^\n]*/,
    code: ExitCode.host,
    summary: (m) =>
      `accel=kvm cannot run it here: QEMU aborted while setting up ` +
      `the vCPU with "${m[0].replace(/^.*?error: /, '').trim()}"`,
    explain: () =>
      'QEMU opened /dev/kvm, but KVM refused the CPU state QEMU gave ' +
      'it, so QEMU aborted before the firmware ran. This happens where ' +
      ('/dev/kvm is not a full hypervisor: kvm_pvm (a paravirtual KVM ' +
        'that runs only PVM-aware guest kernels; /sys/module/kvm_pvm ') +
      'exists) or a nested virtualization that lacks a feature QEMU uses.',
    fix: () =>
      'run with --accel tcg (emulation: slower, but it runs the ' +
      'firmware), or rerun kubenet run 00-qemu --force without --accel so ' +
      'that its accelerator probe picks one that works here',
  },
  {
    pattern: /unable to find CPU model 'host'/,
    code: ExitCode.host,
    summary: () => '-cpu host is not available without a hardware accelerator',
    explain: () =>
      '-cpu host hands the guest the real CPU, which only works with kvm ' +
      'or hvf. Under emulation (tcg) there is no host CPU to pass through.',
    fix: () => 'use -cpu max under tcg (on aarch64, max,pauth-impdef=on boots much faster), or enable kvm/hvf',
  },
  {
    pattern: /Could not open '([^']+)': No such file or directory/,
    code: ExitCode.vm,
    summary: (m) => `${m[1]} does not exist`,
    explain: (m, c) =>
      `QEMU could not find ${m[1]}${c.cwd ? ` (relative names resolve in ${c.cwd})` : ''}. ` +
      `The guide's disks, ISOs and ` +
      'seeds are made by earlier steps: a download, qemu-img create, or mkisofs.',
    fix: () =>
      'run the step that creates this file first (kubenet runs ' +
      'dependencies for you when you name the VM task), or fix the path',
  },
  {
    pattern: /device requires (\d+) bytes, block backend provides (\d+) bytes/,
    code: ExitCode.host,
    summary: () => 'the firmware file has the wrong size for pflash',
    explain: (m) =>
      `A pflash drive on this machine type must be exactly ${m[1]} bytes ` +
      `(${Number(m[1]) / 1048576} MiB), and this file has ${m[2]}. ` +
      'Files such as QEMU_EFI.fd (2 MiB) are meant for -bios, not for pflash.',
    fix: () =>
      'load this file with -bios, or use the 64 MiB AAVMF_CODE.fd ' +
      '/ edk2-aarch64-code.fd with a 64 MiB writable vars copy',
  },
  {
    pattern: /cannot use stdio by multiple character devices/,
    code: ExitCode.vm,
    summary: () => 'two devices want the terminal',
    explain: () =>
      '-nographic already connects the serial port and the monitor to this ' +
      'terminal; another "stdio" (such as -serial stdio) asks for it a second time.',
    fix: () => 'drop -serial stdio when using -nographic, or use -display none with a single -serial stdio',
  },
  {
    pattern: /Failed to get "write" lock/,
    code: ExitCode.vm,
    summary: () => 'the disk image is in use by another QEMU',
    explain: (_m, c) =>
      `Another process holds ${c.vm}'s disk image open for writing, ` +
      `usually a QEMU started earlier (in another terminal, or left over ` +
      'from a run that was killed). Two QEMUs writing one image would corrupt it, so QEMU refuses.',
    fix: () => 'stop the other QEMU first (pgrep -a qemu-system shows it), then run again',
  },
  {
    pattern: /cannot create vmnet interface[^\n]*|vmnet[^\n]*(?:permission|not permitted)[^\n]*/i,
    code: ExitCode.host,
    summary: () => 'QEMU may not create a vmnet interface',
    explain: () =>
      "-nic vmnet-shared uses macOS's vmnet framework, which only root may use: the guide runs this QEMU with sudo.",
    fix: () =>
      'run it with sudo (kubenet asks for your password and says why), or use -nic user, which needs no privileges',
  },
  {
    pattern: /Could not set up host forwarding rule '([^']+)'/,
    code: ExitCode.vm,
    summary: (m) => `port forwarding ${m[1]} failed`,
    explain: () =>
      'The host port of a -nic user,hostfwd=… rule is already taken, usually by another VM or an earlier run.',
    fix: () => 'stop whatever listens on that port (ss -ltnp shows it), or pick another port',
  },
];

// The explanation for the first known message in QEMU's stderr, or undefined for an unknown one.
export function explainQemuFailure(stderr: string, context: FailureContext): KubenetError | undefined {
  for (const entry of known) {
    entry.pattern.lastIndex = 0;
    const match = entry.pattern.exec(stderr);
    if (!match) continue;
    return new KubenetError(`${context.exe ?? 'QEMU'} could not run ${context.vm}: ${entry.summary(match, context)}`, {
      code: entry.code,
      details: entry.explain(match, context),
      hint: entry.fix(match, context),
    });
  }
  return undefined;
}
