// Every option any guide step produces — both editions, accelerated or TCG, -bios or pflash
// firmware, every network mode — has an explanation. A new option without one fails here.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { explainCommand, noteKey } from '../../lib/explain/explain-command.js';
import type { Accel, FirmwareChoice, HostOs, GuestArch, NetMode } from '../../lib/host/types.js';
import { chapterDownloads, chapterTasks, planGuideStep } from '../helpers/chapter-tasks.js';

const test = suite('explain: every option has a note');

const hosts: [HostOs, GuestArch][] = [
  ['darwin', 'aarch64'],
  ['linux', 'x86_64'],
  ['linux', 'aarch64'],
];
const firmwares: Pick<FirmwareChoice, 'mode' | 'code' | 'vars'>[] = [
  { mode: 'bios', code: '/fw/code.fd' },
  { mode: 'pflash', code: '/fw/CODE.fd', vars: '/fw/VARS.fd' },
];
const accels: Accel[] = ['hvf', 'kvm', 'tcg'];
const nets: (NetMode | undefined)[] = [undefined, 'user', 'vmnet-shared', 'none'];
const steps = chapterTasks.filter((t) => t.name < '04').flatMap((t) => t.steps.map((s) => s.step!));

test('all steps × hosts × firmware × accelerators × networks', async () => {
  let options = 0;
  for (const [hostOs, arch] of hosts)
    for (const firmware of firmwares)
      for (const accel of accels)
        for (const net of nets)
          for (const step of steps) {
            const plan = await planGuideStep(step, {
              hostOs,
              arch,
              accel,
              firmware,
              ...(net ? { settings: { net } } : {}),
            });
            for (const command of [...plan.commands, ...(plan.boot ? [plan.boot] : [])]) {
              for (const o of explainCommand(command)) {
                options++;
                assert.ok(
                  o.note,
                  `step ${step} on ${hostOs}/${arch}: no explanation for ` +
                    `${command.exe} ${o.words.join(' ')} (key ${o.key})`,
                );
                const text =
                  typeof o.note!.what === 'function' ? o.note!.what(o.words[1] ?? o.words[0]!) : o.note!.what;
                assert.ok(text.length > 10 && o.note!.why.length > 10, `a real sentence for ${o.key}`);
              }
            }
          }
  assert.ok(options > 1000, `checked ${options} options`);
});

test(
  'chapters 2 and 3: every command of every step, on both ' +
    'editions and a Linux host with arm64 guests, is explained',
  async () => {
    let explained = 0;
    const { planStep } = await import('../../lib/task/plan-step.js');
    for (const [hostOs, arch] of hosts)
      for (const mode of ['bridge', 'root-free'] as const) {
        for (const task of chapterTasks.filter(
          (t) => Number(t.name.slice(0, 2)) >= 20 && Number(t.name.slice(0, 2)) < 40,
        )) {
          for (const step of task.steps) {
            const plan = await planStep(task, step, {
              arch,
              hostOs,
              settings: { cluster: { 'network-mode': mode } },
              facts: {
                accel: { accel: 'tcg', why: 'test' },
                firmware: { mode: 'bios', code: '/fw.fd', source: 'distro', why: 'test' },
              },
              downloads: async (n) => chapterDownloads.find((d) => d.name === n),
            });
            for (const command of [...plan.commands, ...plan.boots]) {
              for (const o of explainCommand(command)) {
                explained++;
                assert.ok(
                  o.note,
                  `${task.name} ${step.name} on ${hostOs}/${arch}: no explanation ` +
                    `for ${command.exe} ${o.words.join(' ')} (key ${o.key})`,
                );
              }
            }
          }
        }
      }
    assert.ok(explained > 300, `checked ${explained}`);
  },
);

test(
  'chapter 4: every cfssl, cfssljson, kubectl and scp ' + 'option, on both editions, is explained in a sentence',
  async () => {
    const { planStep } = await import('../../lib/task/plan-step.js');
    const keys = new Set<string>();
    for (const [hostOs, arch] of hosts) {
      for (const task of chapterTasks.filter((t) => Number(t.name.slice(0, 2)) >= 40)) {
        for (const step of task.steps) {
          const plan = await planStep(task, step, { arch, hostOs, facts: undefined });
          for (const command of plan.commands) {
            for (const o of explainCommand(command)) {
              keys.add(o.key);
              assert.ok(
                o.note,
                `${task.name} ${step.name}: no explanation for ${o.exe} ${o.words.join(' ')} (key ${o.key})`,
              );
              const text = typeof o.note!.what === 'function' ? o.note!.what(o.words[1] ?? o.words[0]!) : o.note!.what;
              assert.ok(text.length > 10 && o.note!.why.length > 10, `a real sentence for ${o.key}`);
            }
          }
        }
      }
    }
    // Every option the chapter uses: the CA's and the certificates' cfssl, cfssljson, the four kubectl config commands,
    // scp.
    for (const key of [
      'cfssl -initca',
      'cfssl -ca',
      'cfssl -ca-key',
      'cfssl -config',
      'cfssl -profile',
      'cfssl CSR',
      'cfssljson -bare',
      'kubectl --embed-certs',
      'kubectl --server',
      'kubectl --client-key',
      'kubectl use-context NAME',
      'scp TARGET',
    ])
      assert.ok(keys.has(key), key);
  },
);

test('a pipeline is explained command by command, and -flag=value splits at the =', () => {
  const [first, ...rest] = explainCommand({
    exe: 'cfssl',
    args: ['gencert', '-ca=ca.pem', 'admin-csr.json'],
    pipe: { exe: 'cfssljson', args: ['-bare', 'admin'] },
  });
  assert.equal(
    [first, ...rest].map((o) => [o.exe, o.key, o.words]),
    [
      ['cfssl', 'cfssl gencert', ['gencert']],
      ['cfssl', 'cfssl -ca', ['-ca', 'ca.pem']],
      ['cfssl', 'cfssl CSR', ['admin-csr.json']],
      ['cfssljson', 'cfssljson -bare', ['-bare', 'admin']],
    ],
  );
});

test('an option nobody wrote a note for comes back without one', () => {
  const [o] = explainCommand({ exe: 'qemu-system-aarch64', args: ['-device', 'virtio-rng-pci'] });
  assert.is(o!.key, '-device virtio-rng-pci');
  assert.is(o!.note, undefined);
});

const keys: [string, string | undefined, string][] = [
  ['-device', 'hda-output,audiodev=audio0', '-device hda-output'],
  ['-nic', 'user,hostfwd=tcp:127.0.0.1:2222-:22', '-nic user'],
  ['-drive', 'if=pflash,readonly=on,format=raw,file=x.fd', '-drive if=pflash'],
  ['-drive', 'file=cidata.iso,driver=raw,if=virtio', '-drive if=virtio'],
  ['-machine', 'virt,accel=hvf', '-machine'],
  ['-nodefaults', undefined, '-nodefaults'],
];
for (const [flag, value, key] of keys) {
  test(`${flag} ${value ?? ''} is looked up as "${key}"`, () => assert.is(noteKey(flag, value), key));
}

test('qemu-img and mkisofs words are split into options and positionals', () => {
  const words = explainCommand({
    exe: 'qemu-img',
    args: ['create', '-F', 'qcow2', '-b', 'base.img', '-f', 'qcow2', 'ubuntu0.img', '128G'],
  }).map((o) => o.key);
  assert.equal(words, [
    'qemu-img create',
    'qemu-img -F',
    'qemu-img -b',
    'qemu-img -f',
    'qemu-img FILE',
    'qemu-img SIZE',
  ]);
  const iso = explainCommand({
    exe: 'mkisofs',
    args: ['-output', 'cidata.iso', '-volid', 'cidata', '-joliet', '-rock', 'a', 'b'],
  }).map((o) => o.key);
  assert.equal(iso, [
    'mkisofs -output',
    'mkisofs -volid',
    'mkisofs -joliet',
    'mkisofs -rock',
    'mkisofs INPUT',
    'mkisofs INPUT',
  ]);
});

test('the long forms the guide mentions are given', () => {
  const forms = (args: string[]) =>
    explainCommand({ exe: 'qemu-system-aarch64', args })[0]!.note!.longForms!.join('\n');
  assert.match(forms(['-cdrom', 'x.iso']), 'media=cdrom');
  assert.match(forms(['-cdrom', 'x.iso']), '-device virtio-blk-pci,drive=cdrom');
  assert.match(forms(['-hda', 'ubuntu.img']), 'index=0,media=disk');
  assert.match(forms(['-hda', 'ubuntu.img']), '-device virtio-blk-pci,drive=disk');
  assert.match(forms(['-nic', 'vmnet-shared']), '-netdev vmnet-shared,id=net0 -device virtio-net-pci,netdev=net0');
  assert.match(forms(['-nic', 'user']), '-device virtio-net-pci');
  assert.match(forms(['-bios', 'fw.fd']), '-drive if=pflash,readonly=on,format=raw,file=');
});

test.run();
