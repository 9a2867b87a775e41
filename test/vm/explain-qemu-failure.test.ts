import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execa } from 'execa';
import { ExitCode } from '../../lib/errors.js';
import { explainQemuFailure } from '../../lib/vm/explain-qemu-failure.js';
import { firmware } from '../helpers/vm-qemu.js';

const test = suite('explain-qemu-failure');
const context = { vm: 'ubuntu0', exe: 'qemu-system-aarch64', cwd: '/home/u/images' };

// [QEMU's stderr, exit code family, words the message must hold, words the fix must hold]
const cases: Array<[string, number, string, string]> = [
  ['qemu-system-aarch64: invalid accelerator hvf', ExitCode.host, 'hvf', 'accel=tcg'],
  [
    'qemu-system-x86_64: Could not access KVM kernel module: No such file or ' +
      'directory\nqemu-system-x86_64: failed to initialize kvm: No such file or directory',
    ExitCode.host,
    'KVM',
    'modprobe',
  ],
  ['Could not access KVM kernel module: Permission denied', ExitCode.host, 'KVM', 'kvm group'],
  ["qemu-system-aarch64: unable to find CPU model 'host'", ExitCode.host, '-cpu host', '-cpu max'],
  [
    'KVM internal error. Suberror: 1\nextra data[0]: 0x0000000000000001\nemulation ' +
      'failure\nRAX=0000000000000000 RBX=0000000000000000',
    ExitCode.host,
    '"KVM internal error. Suberror: 1"',
    '--accel tcg',
  ],
  // kvm_pvm on some kernels: QEMU aborts while handing KVM the vCPU's registers (seen 2026-12-06).
  [
    'qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69\nqemu-system-x86_64: ' +
      "../../target/i386/kvm/kvm.c:3183: kvm_buf_set_msrs: Assertion `ret == cpu->kvm_msr_buf->nmsrs' failed.",
    ExitCode.host,
    'accel=kvm cannot run it here: QEMU aborted while setting up the vCPU with "failed to set MSR 0x10a to 0x69"',
    '--accel tcg',
  ],
  [
    'qemu-system-aarch64: -drive file=jammy.iso,format=raw,if=virtio: ' +
      "Could not open 'jammy.iso': No such file or directory",
    ExitCode.vm,
    'jammy.iso',
    'creates this file',
  ],
  [
    'qemu-system-aarch64: device requires 67108864 bytes, block backend provides 2097152 bytes',
    ExitCode.host,
    'pflash',
    '-bios',
  ],
  [
    'qemu-system-aarch64: -serial stdio: cannot use stdio by multiple character devices',
    ExitCode.vm,
    'terminal',
    '-serial stdio',
  ],
  [
    'qemu-system-aarch64: -drive file=ubuntu0.img,if=virtio: Failed to ' +
      'get "write" lock\nIs another process using the image [ubuntu0.img]?',
    ExitCode.vm,
    'in use',
    'pgrep',
  ],
  [
    'qemu-system-aarch64: -nic vmnet-shared: cannot create vmnet ' +
      'interface: general failure (possibly not enough privileges)',
    ExitCode.host,
    'vmnet',
    'sudo',
  ],
  ['qemu-system-aarch64: -netdev vmnet-shared,id=net0: vmnet: permission denied', ExitCode.host, 'vmnet', 'sudo'],
  [
    "qemu-system-aarch64: -nic user,hostfwd=tcp::2222-:22: Could not set up host forwarding rule 'tcp::2222-:22'",
    ExitCode.vm,
    'tcp::2222-:22',
    'another port',
  ],
];

for (const [stderr, code, inMessage, inFix] of cases) {
  test(`explains: ${stderr.split('\n')[0]}`, () => {
    const error = explainQemuFailure(stderr, context);
    assert.ok(error, 'recognised');
    assert.is(error!.code, code);
    assert.ok(error!.message.startsWith('qemu-system-aarch64 could not run ubuntu0: '), error!.message);
    assert.ok(error!.message.includes(inMessage), `"${error!.message}" mentions ${inMessage}`);
    assert.ok(error!.hint?.includes(inFix), `"${error!.hint}" mentions ${inFix}`);
    assert.ok((error!.details ?? '').length > 40, 'explains in a paragraph');
  });
}

test('an unknown message is left alone', () => {
  assert.is(explainQemuFailure('qemu-system-aarch64: -bogus: invalid option', context), undefined);
  assert.is(explainQemuFailure('', context), undefined);
});

// The real QEMU's words, so the table above does not drift from what QEMU prints.
const base = ['-nodefaults', '-display', 'none', '-machine', 'virt,accel=tcg'];
const live: Array<[string, string[], string]> = [
  ['hvf on Linux', ['-nodefaults', '-display', 'none', '-machine', 'virt,accel=hvf', '-cpu', 'max'], 'hvf'],
  ['-cpu host under TCG', [...base, '-cpu', 'host'], '-cpu host'],
  [
    'a missing ISO',
    [...base, '-cpu', 'max', '-drive', 'file=kubenet-missing.iso,format=raw,if=virtio'],
    'kubenet-missing.iso',
  ],
  [
    'the 2 MiB firmware as pflash',
    [...base, '-cpu', 'max', '-drive', `if=pflash,format=raw,readonly=on,file=${firmware}`],
    'pflash',
  ],
  [
    '-nographic with -serial stdio',
    ['-machine', 'virt,accel=tcg', '-cpu', 'max', '-nographic', '-serial', 'stdio'],
    'terminal',
  ],
];

for (const [name, args, inMessage] of live) {
  test(`recognises what QEMU 7 really prints for ${name}`, async () => {
    const run = await execa('qemu-system-aarch64', args, { reject: false, stdin: 'ignore', timeout: 30_000, cwd: '/' });
    assert.is.not(run.exitCode, 0);
    const error = explainQemuFailure(run.stderr, context);
    assert.ok(error, `recognised: ${run.stderr}`);
    assert.ok(error!.message.includes(inMessage), error!.message);
  });
}

test.run();
