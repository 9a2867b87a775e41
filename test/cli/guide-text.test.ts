// Golden test of what kubenet prints — `run N --dry-run` and `explain` — against the guide's own
// text (test/helpers/guide-steps.ts): the Linux edition's commands on a Linux x86_64 host, the
// macOS edition's under `explain --arch aarch64`, a step in one edition only shown as that
// edition's. With the guide's own facts (kvm, its firmware path) the printed commands are the
// guide's, token for token; with a host's without KVM, only the differences named below.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { guideSideFor } from '../../lib/explain/sides.js';
import { detectFacts } from '../../lib/host-probe/detect.js';
import { detectProfile } from '../../lib/host/profile.js';
import type { FirmwareChoice, GuestArch, QemuFacts } from '../../lib/host/types.js';
import { which } from '../../lib/host/which.js';
import { editionOf } from '../../lib/task/editions.js';
import { guideFirmware } from '../../lib/task/host-vars.js';
import { chapterTasks } from '../helpers/chapter-tasks.js';
import { kubenetAsync } from '../helpers/cli.js';
import type { Recorded } from '../helpers/guide-record.js';
import { chaptersTwoThree } from '../helpers/guide-cluster-steps.js';
import { mismatch, own, rewrite, type Difference, type StepText } from '../helpers/guide-differences.js';
import { chapterOne, download, liveIsoUrl } from '../helpers/guide-steps.js';
import { blockIn, readChapter, whyCannotRead } from '../helpers/guide-text.js';
import { between, printedCommands } from '../helpers/printed-commands.js';
import { testOnHost, testWhen } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite("what kubenet prints, against the guide's text");
const hasQemu = Boolean(which('qemu-system-aarch64') && which('qemu-system-x86_64') && which('qemu-img'));
const linuxX86 = process.platform === 'linux' && process.arch === 'x64';
const why = whyCannotRead() ?? '';
const canRead = why === '';
const text = canRead
  ? {
      linux: [...chapterOne('linux'), ...chaptersTwoThree('linux')],
      macos: [...chapterOne('macos'), ...chaptersTwoThree('macos')],
    }
  : undefined;

let dir: ReturnType<typeof tempDir>;
test.before.each(() => {
  dir = tempDir();
});
test.after.each(() => dir.remove());

function recordFacts(images: string, arch: GuestArch, facts: Pick<QemuFacts, 'accel' | 'firmware'>): void {
  mkdirSync(images, { recursive: true });
  const binaries = {
    qemu: `/usr/bin/qemu-system-${arch}`,
    qemuImg: '/usr/bin/qemu-img',
    version: '7.2.22',
    semver: [7, 2, 22] as [number, number, number],
  };
  const full: QemuFacts = { ...binaries, profile: detectProfile(arch), ...facts };
  writeFileSync(join(images, 'qemu.json'), JSON.stringify(full));
}
const guideFacts = (arch: GuestArch): Pick<QemuFacts, 'accel' | 'firmware'> => ({
  accel: { accel: arch === 'x86_64' ? 'kvm' : 'hvf', why: "the guide's" },
  firmware: { mode: 'bios', code: guideFirmware[arch], source: 'distro', why: "the guide's path" },
});

// A few CLI runs at a time: each is a process of its own.
async function inTurns<T, R>(items: readonly T[], each: (item: T) => Promise<R>, width = 4): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width) out.push(...(await Promise.all(items.slice(i, i + width).map(each))));
  return out;
}

// The section of a run's output for one task: from its ▶ line to its ✔ or ✖ line.
const sectionOf = (stdout: string, start: string) => between(stdout, start, ['✔ ', '✖ ']);

// A host without KVM, as CI machines are: accel=tcg and -cpu max, and the firmware it found (its
// variables, for split firmware, in the VM's own folder: the step's VM, or a cluster VM's).
function tcgHost(
  firmware: Pick<FirmwareChoice, 'mode' | 'code' | 'vars'>,
  stepVm: string | undefined,
  guide: readonly Recorded[],
): Difference[] {
  const vmOf = (argv: string[]) => /^(\w+)\/disk\.img$/.exec(argv[argv.indexOf('-hda') + 1] ?? '')?.[1] ?? stepVm;
  const code = ['-drive', `if=pflash,readonly=on,format=raw,file=${firmware.code}`];
  const words = (argv: string[]): string[] =>
    firmware.mode === 'bios'
      ? ['-bios', firmware.code]
      : [...code, ...(firmware.vars ? ['-drive', `if=pflash,format=raw,file=vm/${vmOf(argv)}/efivars.fd`] : [])];
  const isGuides = (argv: string[], i: number) => argv[i] === '-bios' && argv[i + 1] === guideFirmware.x86_64;
  const resolved = (argv: string[]) =>
    argv.flatMap((w, i) => (isGuides(argv, i) ? words(argv) : isGuides(argv, i - 1) ? [] : [w]));
  const same =
    (firmware.mode === 'bios' && firmware.code === guideFirmware.x86_64) ||
    !guide.some((c) => c.argv.includes('-bios'));
  return [
    rewrite('no KVM here: accel=tcg, QEMU emulates', (argv) =>
      argv.map((w) => w.replace(/(^|,)accel=kvm(?=,|$)/, '$1accel=tcg')),
    ),
    rewrite('-cpu host exists only with an accelerator: max under TCG', (argv) =>
      argv.map((w, i) => (argv[i - 1] === '-cpu' && w === 'host' ? 'max' : w)),
    ),
    ...(same
      ? []
      : [rewrite(`kubenet resolves the firmware (${firmware.code}) instead of the guide's path`, resolved)]),
  ];
}

// Step N as `run N --dry-run` prints it: the guide's commands of the steps it needs first (step
// 9's disk for 10 and 11), its download's wget printed rather than left out, and what a dry run
// prints of kubenet's own.
function dryRunText(steps: StepText[], n: number, extra: Difference[] = []): StepText {
  const step = steps.find((s) => s.key === String(n))!;
  const all = n === 10 || n === 11 ? [steps.find((s) => s.key === '9')!, step] : [step];
  return {
    key: `${n} (run ${n} --dry-run)`,
    guide: all.flatMap((s) => s.guide),
    differences: [
      ...new Set(all.flatMap((s) => s.differences).filter((d) => d !== download)),
      ...(n >= 6 && n <= 8
        ? [
            own(
              /^wget https:\/\/\S+-amd64\.iso$/,
              'the step fetches the live ISO it boots first (the guide downloads it once, in step 5)',
            ),
          ]
        : []),
      ...(n >= 5 && n <= 8 ? [liveIsoUrl('amd64')] : []),
      ...(n === 11
        ? [
            own(
              /^ssh-keygen -q -t ed25519 -N {2}-C kubenet -f \S+\/ssh\/id_ed25519$/,
              'kubenet makes an SSH key once, when you have none',
            ),
          ]
        : []),
      ...extra,
    ],
  };
}

const vmOf = (n: number) => chapterTasks.flatMap((t) => t.steps).find((s) => s.step === n)?.vm;

for (const facts of [
  "the guide's (kvm, its firmware path)",
  'a host without KVM (tcg, the firmware found here)',
] as const) {
  const guideOwn = facts.startsWith('the guide');
  const title =
    `run N --dry-run on Linux x86_64 with ${facts} prints the Linux edition's ` +
    `commands${guideOwn ? ', token for token' : ', but for the differences named'}`;
  // A Linux x86_64 host is a property of the machine (skipped, counted, everywhere); QEMU and the
  // guide's text are things CI has.
  const register = linuxX86
    ? (body: () => Promise<void>) =>
        testWhen(test, canRead && hasQemu, canRead ? 'QEMU is not installed' : why, title, body)
    : (body: () => Promise<void>) =>
        testOnHost(test, false, 'the Linux edition is run on a Linux x86_64 host', title, body);
  register(async () => {
    const images = join(dir.path, 'images');
    const detected = guideOwn ? undefined : (await detectFacts({ profile: detectProfile('x86_64') })).firmware;
    recordFacts(
      images,
      'x86_64',
      guideOwn ? guideFacts('x86_64') : { accel: { accel: 'tcg', why: 'no KVM' }, firmware: detected! },
    );
    const steps = text!.linux;
    const problems: string[] = [];
    const env = { HOME: join(dir.path, 'home') };
    const runs = await inTurns(
      [2, 3, 4, 5, 6, 7, 8, 9, 10, 11],
      async (n) =>
        [
          n,
          await kubenetAsync(['run', String(n), '--dry-run', '--arch', 'x86_64', '--images', images], { env }),
        ] as const,
    );
    for (const [n, r] of runs) {
      assert.is(r.code, 0, r.stderr);
      const task = chapterTasks.find((t) => t.steps.some((s) => s.step === n))!;
      const got = printedCommands(sectionOf(r.stdout, `▶ ${task.name}: step ${n},`));
      const boots = got.some((c) => c.argv[0]!.startsWith('qemu-system-'));
      const plain = dryRunText(steps, n);
      const problem = mismatch(
        detected && boots ? dryRunText(steps, n, tcgHost(detected, vmOf(n), plain.guide)) : plain,
        got,
      );
      if (problem) problems.push(problem);
      // Step 1, which every run does first: the macOS edition's --version, with this host's emulator.
      const first = mismatch(steps.find((s) => s.key === '1')!, printedCommands(sectionOf(r.stdout, '▶ 00-qemu:')));
      if (first) problems.push(first);
    }
    if (problems.length) assert.unreachable(problems.join('\n\n'));
  });
}

// Every step, by number, and 22-host-network's by name.
const explained = chapterTasks
  .filter((t) => t.name < '40')
  .flatMap((t) =>
    t.steps.filter((s) => s.step !== undefined || t.name === '22-host-network').map((s) => ({ task: t.name, step: s })),
  );

for (const arch of ['x86_64', 'aarch64'] as const) {
  const named = arch === 'x86_64' ? 'Linux' : 'macOS';
  const title =
    `explain --arch ${arch}: "The guide" is the ${named} edition's ` +
    `text for every step (the other's for a step only it has)`;
  testWhen(
    test,
    canRead && hasQemu,
    canRead ? 'QEMU is not installed' : why,
    `${title}${arch === 'x86_64' ? ", and this host's command differs only as named" : ''}`,
    async () => {
      const images = join(dir.path, 'images');
      const detected = (await detectFacts({ profile: detectProfile(arch) })).firmware;
      recordFacts(images, arch, { accel: { accel: 'tcg', why: 'no KVM' }, firmware: detected });
      const problems: string[] = [];
      const runs = await inTurns(explained, async ({ task, step }) => {
        const args =
          step.step === undefined ? ['explain', task, '--step', step.name] : ['explain', '--step', String(step.step)];
        return [step, await kubenetAsync([...args, '--arch', arch, '--images', images])] as const;
      });
      for (const [step, r] of runs) {
        assert.is(r.code, 0, r.stderr);
        const key = String(step.step ?? step.name);
        const edition = editionOf(guideSideFor(step, arch).hostOs);
        // explain has no --vm: step 21 shows vmlaunch.sh for every VM, as vmlaunchall.sh's panes run it.
        const expected = text![edition].find((s) => s.key === (key === '21' ? '22' : key))!;
        if (step.step === 1) {
          // The pipeline, as the macOS edition's earlier text writes it.
          assert.ok(
            r.stdout.split('\n').includes(blockIn(readChapter('macos-earlier', 1), 'UEFI', '$ QEMU_VERSION')),
            "step 1 shows the guide's QEMU_VERSION line",
          );
          continue;
        }
        const guide = printedCommands(between(r.stdout, 'The guide (', ['This host']));
        const problem = mismatch({ ...expected, key: `${key} (explain --arch ${arch}, the guide)` }, guide);
        if (problem) problems.push(problem);
        if (arch !== 'x86_64' || edition !== 'linux') continue;
        const exact = r.stdout.includes("runs exactly the guide's command.");
        const host = exact
          ? guide
          : printedCommands(between(r.stdout, 'This host (', ['Where this host differs', 'Every option']));
        const boots = host.some((c) => /^(sudo )?qemu-system-/.test(c.argv.join(' ')) && c.argv.length > 2);
        const differences = [...expected.differences, ...(boots ? tcgHost(detected, step.vm, expected.guide) : [])];
        const hostProblem = mismatch(
          { ...expected, key: `${key} (explain --arch x86_64, this host)`, differences },
          host,
        );
        if (hostProblem) problems.push(hostProblem);
      }
      if (problems.length) assert.unreachable(problems.join('\n\n'));
    },
  );
}

test.run();
