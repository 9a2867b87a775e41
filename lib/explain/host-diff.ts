// Where this host's command differs from the guide's, option by option, and why. Options are
// compared by slot (-bios and pflash -drive are both "firmware"), in the order they appear.
import type { Command } from '../command.js';
import { editionName, editionOf } from '../task/editions.js';
import { defaultNet } from '../task/host-vars.js';
import { explainCommand } from './explain-command.js';
import { sideName, type Side } from './sides.js';

export interface HostDifference {
  slot: string;
  guide: string[]; // the guide's options in this slot, each as one printed option
  host: string[];
  why: string;
}

function slots(command: Command): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const { words, key } of explainCommand(command)) {
    const slot = key === '-bios' || key === '-drive if=pflash' ? 'firmware' : words[0]!;
    out.set(slot, [...(out.get(slot) ?? []), words.join(' ')]);
  }
  return out;
}

export function hostDifferences(
  guide: { command: Command; input: Side },
  host: { command: Command; input: Side },
): HostDifference[] {
  const g = slots(guide.command);
  const h = slots(host.command);
  const diffs: HostDifference[] = [];
  if (Boolean(guide.command.sudo) !== Boolean(host.command.sudo)) {
    diffs.push({
      slot: 'sudo',
      guide: guide.command.sudo ? ['sudo'] : [],
      host: host.command.sudo ? ['sudo'] : [],
      why: sudoWhy(host.input),
    });
  }
  for (const slot of new Set([...g.keys(), ...h.keys()])) {
    const a = g.get(slot) ?? [];
    const b = h.get(slot) ?? [];
    if (a.join('\n') === b.join('\n')) continue;
    diffs.push({
      slot,
      guide: a,
      host: b,
      why: editionWhy(a, b, guide.input, host.input) ?? reason(slot, guide.input, host.input, b),
    });
  }
  return diffs;
}

// An option only one side has, where the sides follow different editions: the editions' texts
// differ there (the Linux edition's disk step has none of the macOS edition's peripherals).
function editionWhy(guideWords: string[], hostWords: string[], guide: Side, host: Side): string | undefined {
  const edition = editionOf(host.hostOs);
  if (edition === editionOf(guide.hostOs) || (guideWords.length > 0 && hostWords.length > 0)) return undefined;
  return (
    `${editionName(edition)}, which this host follows, writes ` +
    `this step ${hostWords.length ? 'with' : 'without'} it`
  );
}

function sudoWhy(host: Side): string {
  const net = host.net ?? defaultNet(host.hostOs);
  return net.startsWith('vmnet')
    ? `-nic ${net} uses macOS vmnet, which needs root`
    : `-nic ${net} needs no root, so no sudo`;
}

// `here`: this host's options in the slot, as printed (-cdrom ubuntu-22.04.5-desktop-amd64.iso).
function reason(slot: string, guide: Side, host: Side, here: string[]): string {
  const accel = host.facts.accel;
  switch (slot) {
    case '-machine':
      return guide.facts.accel.accel === accel.accel
        ? `this host's board options differ (${sideName(host)})`
        : `accel=${accel.accel}: ${accel.why}`;
    case '-cpu':
      return accel.accel === 'tcg'
        ? `-cpu host needs hvf or kvm; under TCG it does not exist, so kubenet uses ` +
            `max${host.arch === 'aarch64' ? ' (with pauth-impdef=on, much faster to emulate)' : ''}`
        : "this host's CPU choice differs";
    case 'firmware': {
      const fw = host.facts.firmware;
      const resolved = `kubenet resolves the firmware instead of hard-coding the guide's path: ${fw.why}`;
      return fw.mode === 'pflash'
        ? `${resolved}. It is a split CODE/VARS image, loaded the long way (-drive if=pflash, ` +
            `step 4): code read-only, and this VM's own writable copy of the variables`
        : resolved;
    }
    case '-nic':
      if (host.net !== undefined) return `--net ${host.net}`;
      return host.hostOs === 'darwin'
        ? 'macOS: vmnet-shared, as the guide has it'
        : `vmnet is a macOS framework; on ${host.hostOs} kubenet uses user-mode ` +
            `networking, which needs no root (the Linux edition's -nic user)`;
    case '-display':
    case '-audiodev':
      return host.hostOs === 'darwin'
        ? 'cocoa and coreaudio, as the guide has them'
        : 'cocoa and coreaudio exist only on macOS; kubenet uses ' +
            'gtk and PulseAudio (pa), which Linux builds of QEMU have';
    case '-smp':
    case '-m':
      return 'your --smp / --memory';
    case '-cdrom':
    case '-hda':
    case '-drive':
      return (
        host.renamed?.find((r) => here.some((option) => option.endsWith(` ${r.here}`)))?.why ??
        'file names given to kubenet'
      );
    default:
      return `this host (${sideName(host)}) is not the guide's (${sideName(guide)})`;
  }
}
