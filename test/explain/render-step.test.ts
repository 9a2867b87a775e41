// The text of `kubenet explain`: the guide's command, this host's, the differences and every option.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { renderStep } from '../../lib/explain/render-step.js';
import { guideSide, guideSideFor, hostSide, type Side } from '../../lib/explain/sides.js';
import type { QemuFacts } from '../../lib/host/types.js';
import type { StepPlan } from '../../lib/task/types.js';
import { chapterTasks, planGuideStep } from '../helpers/chapter-tasks.js';

const test = suite('explain: rendered step');

const tcgFacts: QemuFacts = {
  profile: { hostOs: 'linux', hostArch: 'x86_64', guestArch: 'aarch64' },
  qemu: '/usr/bin/qemu-system-aarch64',
  qemuImg: '/usr/bin/qemu-img',
  version: '7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)',
  semver: [7, 2, 22],
  firmware: {
    mode: 'bios',
    code: '/usr/share/qemu-efi-aarch64/QEMU_EFI.fd',
    source: 'distro',
    why: 'distro firmware /usr/share/qemu-efi-aarch64/QEMU_EFI.fd',
  },
  accel: { accel: 'tcg', why: 'KVM runs only x86_64 guests; aarch64 is emulated (TCG, slow)' },
};

const stepOf = (n: number) => chapterTasks.flatMap((t) => t.steps).find((s) => s.step === n)!;
const planFor = (n: number, side: Side): Promise<StepPlan> =>
  planGuideStep(n, {
    hostOs: side.hostOs,
    arch: side.arch,
    accel: side.facts.accel.accel,
    firmware: side.facts.firmware,
  });
const render = async (n: number, guide: Side, host: Side | { error: string }) =>
  renderStep({
    step: stepOf(n),
    run: `kubenet run ${n}`,
    hostOs: 'error' in host ? 'linux' : host.hostOs,
    guide: { side: guide, plan: await planFor(n, guide) },
    host: 'error' in host ? host : { side: host, plan: await planFor(n, host) },
  });

test('step 6 shows both commands, why they differ, and every option once', async () => {
  const text = await render(6, guideSide('aarch64'), hostSide(tcgFacts));
  assert.match(text, 'run it: kubenet run 6');
  assert.match(text, '$ sudo qemu-system-aarch64');
  assert.match(text, 'This host (linux-x86_64) runs:');
  assert.match(text, '  guide: -cpu host\n  here:  -cpu max,pauth-impdef=on');
  assert.match(text, 'same as: -netdev user,id=net0 -device virtio-net-pci,netdev=net0');
  assert.match(text, 'same as: -netdev vmnet-shared,id=net0');
  assert.not.match(text, 'no explanation yet');
  assert.is(
    text.split('\n').filter((l) => l === '  -nodefaults').length,
    1,
    'an option shared by both commands is explained once',
  );
});

test("on the guide's own host the command is the guide's", async () => {
  const text = await render(3, guideSide('x86_64'), guideSide('x86_64'));
  assert.match(text, "runs exactly the guide's command");
  assert.not.match(text, 'Where this host differs');
});

test('without QEMU facts it still explains the guide and says how to find out more', async () => {
  const text = await render(9, guideSide('aarch64'), { error: 'qemu-system-aarch64 not found' });
  assert.match(text, 'qemu-img create -F qcow2 -b jammy-server-cloudimg-arm64.img -f qcow2 ubuntu0.img 128G');
  assert.match(text, 'This host: unknown (qemu-system-aarch64 not found); run kubenet doctor.');
  assert.match(text, 'qemu-img -b jammy-server-cloudimg-arm64.img');
});

test("step 11 shows the guide's mkisofs line and says kubenet writes the seed itself", async () => {
  const text = await render(11, guideSide('aarch64'), hostSide(tcgFacts));
  assert.match(
    text,
    '$ mkisofs -output cidata.iso -volid cidata -joliet -rock cloud-init/user-data cloud-init/meta-data',
  );
  assert.match(text, 'kubenet writes cloud-init/user-data, cloud-init/meta-data and cidata.iso itself');
});

test("step 1 explains the QEMU_VERSION line and shows this host's value", async () => {
  const text = await render(1, guideSide('aarch64'), hostSide(tcgFacts));
  assert.match(text, 'QEMU_VERSION=$(qemu-system-aarch64 --version | head -n 1 | sed "s/^QEMU emulator version //")');
  assert.match(text, 'QEMU_VERSION=7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3) (/usr/bin/qemu-system-aarch64)');
});

const x86Facts: QemuFacts = {
  ...tcgFacts,
  profile: { hostOs: 'linux', hostArch: 'x86_64', guestArch: 'x86_64' },
  qemu: '/usr/bin/qemu-system-x86_64',
  firmware: {
    mode: 'bios',
    code: '/usr/share/ovmf/OVMF.fd',
    source: 'distro',
    why: 'distro firmware /usr/share/ovmf/OVMF.fd',
  },
};

test("step 7 on a Linux x86_64 host: the macOS edition's step, said so, beside this host's", async () => {
  const guide = guideSideFor(stepOf(7), 'x86_64');
  assert.is(guide.hostOs, 'darwin', 'the guide side is the edition that has the step');
  const text = await render(7, guide, hostSide(x86Facts));
  assert.match(
    text,
    'Step 7 (Graphics and peripherals) is in the macOS edition only: the Linux edition ' +
      'goes from the network straight to the disk, with no graphics or peripheral devices; ' +
      "this host follows the Linux edition: kubenet runs the macOS edition's step here.",
  );
  assert.match(text, 'The guide (darwin-aarch64):\n$ sudo qemu-system-aarch64');
  assert.match(text, 'This host (linux-x86_64) runs:\n$ qemu-system-x86_64');
});

test('a step in one edition only, on a host of that edition, says what the other does and no more', async () => {
  const darwin = guideSide('aarch64');
  const text = await render(7, darwin, darwin);
  assert.match(
    text,
    'is in the macOS edition only: the Linux edition goes from the ' +
      'network straight to the disk, with no graphics or peripheral devices.',
  );
  assert.not.match(text, 'this host follows');
});

test("on macOS, the Linux edition's bridge step says it has nothing to do there", async () => {
  const guide = guideSideFor(stepOf(15), 'aarch64');
  assert.is(guide.hostOs, 'linux');
  const text = await render(15, guide, guideSide('aarch64'));
  assert.match(
    text,
    'Step 15 (Virtual bridge) is in the Linux edition only: in the macOS edition vmnet-shared makes the ' +
      "VMs' bridge while a VM runs; this host follows the macOS edition: the step has nothing to do there.",
  );
  assert.match(text, '$ sudo ip link add kubr0 type bridge');
});

test("the Linux edition's steps 3 and 4 keep the serial console; -vga std comes with the live CD", async () => {
  const linux = guideSide('x86_64');
  for (const [n, console] of [
    [3, '-serial vc'],
    [4, '-serial vc'],
    [5, '-vga std'],
  ] as const) {
    const text = await render(n, linux, linux);
    assert.match(text, new RegExp(`\\n {4}${console}( \\\\)?\\n`), `step ${n}`);
  }
});

test.run();
