// Chapter 1, step by step, beside the guide's own text: the code blocks of the edition's
// chapter each step mirrors, the commands they run (read by the edition's shell, run by nothing:
// guide-shell.ts), and every place kubenet does otherwise by design, each named with its reason.
// The golden tests compare what kubenet plans, prints and explains with these, token for token.
import type { Edition } from '../../lib/host/types.js';
import { notRun, rewrite, type Difference, type StepText } from './guide-differences.js';
import { argvLine } from './guide-record.js';
import { recordBlocks } from './guide-shell.js';
import { blockIn, hasSection, readChapter, type GuideText } from './guide-text.js';

type UbuntuArch = 'amd64' | 'arm64';

// A download is not a step's command.
export const download = notRun(
  /^wget https:\/\//,
  "a download is a file target: fetched from wget's URL and verified against " +
    'the SHA256SUMS beside it before the step runs (--dry-run prints it as wget)',
);

// The guide's daily-live ISO is gone (its issue #19): kubenet finds jammy's released one, and
// names it by its shape (22.04.N) before it has found it. Where it is the guide's file again
// (the guide's URL back, or --live-iso), these may take no effect.
const releasedIso: Record<UbuntuArch, RegExp> = {
  amd64: /ubuntu-22\.04\.(\d+|N)-desktop-amd64\.iso$/,
  arm64: /ubuntu-22\.04\.(\d+|N)-live-server-arm64\.iso$/,
};
const releasedDir: Record<UbuntuArch, string> = {
  amd64: 'https://releases.ubuntu.com/jammy/',
  arm64: 'https://cdimage.ubuntu.com/releases/22.04/release/',
};
const liveIsoName = (arch: UbuntuArch): Difference => ({
  kind: 'token',
  guide: `jammy-desktop-${arch}.iso`,
  kubenet: new RegExp(`^${releasedIso[arch].source}`),
  why:
    "the guide's daily-live ISO is gone (its issue #19): kubenet " +
    'boots the released jammy ISO it found, by its real name',
  optional: "the guide's file, when its URL serves it again",
});
export const liveIsoUrl = (arch: UbuntuArch): Difference => ({
  kind: 'token',
  guide: `https://cdimage.ubuntu.com/jammy/daily-live/current/jammy-desktop-${arch}.iso`,
  kubenet: new RegExp(`^${releasedDir[arch].replaceAll('.', '\\.').replaceAll('/', '\\/')}${releasedIso[arch].source}`),
  why: "the guide's daily-live ISO is gone (its issue #19): kubenet fetches the released jammy ISO it found",
  optional: "the guide's URL, when it serves the file again",
});

export const qemuBlock = /^(sudo )?qemu-system-/;

// Chapter 1 of one edition, steps 1–11.
export function chapterOne(edition: Edition): StepText[] {
  const text = readChapter(edition, 1);
  const arch: UbuntuArch = edition === 'macos' ? 'arm64' : 'amd64';
  const run = (t: GuideText, ...refs: [string, string | RegExp][]) =>
    recordBlocks(
      refs.map(([heading, first]) => blockIn(t, heading, first)),
      { shell: t.shell },
    );
  const iso = liveIsoName(arch);
  return [
    stepOne(edition),
    { key: '2', guide: run(text, ['Starting a VM with QEMU', qemuBlock]), differences: [] },
    { key: '3', guide: run(text, ['Starting QEMU _the hard way_', qemuBlock]), differences: [] },
    { key: '4', guide: run(text, ['UEFI', qemuBlock]), differences: [] },
    {
      key: '5',
      guide: run(text, ['Running a Ubuntu Live CD', 'wget'], ['Running a Ubuntu Live CD', qemuBlock]),
      differences: [download, iso],
    },
    { key: '6', guide: run(text, ['Adding a network', qemuBlock]), differences: [iso] },
    edition === 'macos'
      ? { key: '7', guide: run(text, ['Graphics and peripherals', qemuBlock]), differences: [iso] }
      : linuxStepSeven(text, iso),
    { key: '8', guide: run(text, ['Disk drive', 'qemu-img create'], ['Disk drive', qemuBlock]), differences: [iso] },
    {
      key: '9',
      guide: run(text, ['The cloud image', 'wget'], ['QCOW2 images', 'qemu-img create']),
      differences: [download],
    },
    { key: '10', guide: run(text, ['Running a headless VM', qemuBlock]), differences: [] },
    {
      key: '11',
      guide: run(text, ['`cloud-init`', 'mkdir cloud-init'], ['`cloud-init`', 'mkisofs'], ['`cloud-init`', qemuBlock]),
      differences: [
        notRun(/^mkdir cloud-init$/, 'kubenet writes cloud-init/user-data and meta-data itself'),
        notRun(
          /^touch cloud-init\/user-data cloud-init\/meta-data$/,
          'kubenet writes cloud-init/user-data and meta-data itself',
        ),
      ],
    },
  ];
}

// Step 1 is in the macOS edition's earlier text only: QEMU_VERSION=$(… --version | head -n 1 | sed …).
function stepOne(edition: Edition): StepText {
  const earlier = readChapter('macos-earlier', 1);
  const block = blockIn(earlier, 'UEFI', '$ QEMU_VERSION').replace(/^\$ /, '');
  const linux = edition === 'linux';
  return {
    key: '1',
    guide: recordBlocks([block], { shell: earlier.shell }),
    differences: [
      notRun(/^head -n 1$/, 'kubenet keeps the first line of --version itself'),
      notRun(/^sed s\/\^QEMU emulator version \/\/$/, 'kubenet cuts the prefix itself'),
      ...(linux
        ? [
            rewrite("the macOS edition's step, run on a Linux host with its emulator", (argv) =>
              argv.map((w) => w.replace('qemu-system-aarch64', 'qemu-system-x86_64')),
            ),
          ]
        : []),
    ],
    ...(linux ? { only: 'macos' as const } : {}),
  };
}

// The Linux edition has no step 7: kubenet runs the macOS edition's — the Linux network step
// with the devices the macOS step 7 adds to its own network step.
function linuxStepSeven(text: GuideText, iso: Difference): StepText {
  const mac = readChapter('macos', 1);
  const run = (t: GuideText, heading: string) => recordBlocks([blockIn(t, heading, qemuBlock)], { shell: t.shell })[0]!;
  const [macSix, macSeven, six] = [
    run(mac, 'Adding a network'),
    run(mac, 'Graphics and peripherals'),
    run(text, 'Adding a network'),
  ];
  if (!argvLine(macSeven).startsWith(argvLine(macSix)))
    throw new Error("the macOS edition's step 7 is no longer its step 6 plus devices");
  return {
    key: '7',
    only: 'macos',
    guide: [{ argv: [...six.argv, ...macSeven.argv.slice(macSix.argv.length)] }],
    differences: [
      iso,
      rewrite(
        'cocoa and coreaudio exist only on macOS: a Linux QEMU shows ' +
          'the window with gtk and plays sound through PulseAudio (pa)',
        (argv) => argv.map((w) => w.replace(/^cocoa,/, 'gtk,').replace(/^coreaudio,/, 'pa,')),
      ),
    ],
  };
}

// The sections of one edition's steps that the other edition's text does not have.
export const absentSections: Record<Edition, { chapter: number; heading: string }[]> = {
  linux: [{ chapter: 1, heading: 'Graphics and peripherals' }],
  macos: [
    { chapter: 2, heading: 'Virtual bridge' },
    { chapter: 2, heading: 'Connecting TAP interfaces to the bridge' },
    { chapter: 2, heading: 'Enabling IP forwarding on the host machine' },
    { chapter: 2, heading: 'Setting up NAT' },
  ],
};
export const sectionIn = (edition: Edition, chapter: number, heading: string): boolean =>
  hasSection(readChapter(edition, chapter), heading);
