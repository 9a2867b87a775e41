import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  formatAny,
  formatChanges,
  formatCommand,
  formatCommandLine,
  shellQuote,
} from '../../lib/qemu/format-command.js';
import { bootOf, type TestHost } from '../helpers/chapter-tasks.js';

const darwin: TestHost = {
  hostOs: 'darwin',
  arch: 'aarch64',
  accel: 'hvf',
  firmware: { mode: 'bios', code: '/opt/homebrew/share/qemu/edk2-aarch64-code.fd' },
};

const test = suite('formatCommand');

test('step 7 prints as the guide prints it', async () => {
  const expected = [
    '$ sudo qemu-system-aarch64 \\',
    '    -nodefaults \\',
    '    -machine virt,accel=hvf,highmem=on \\',
    '    -cpu host \\',
    '    -smp 2 \\',
    '    -m 2G \\',
    '    -chardev vc,id=monitor \\',
    '    -mon monitor \\',
    '    -serial vc \\',
    '    -bios /opt/homebrew/share/qemu/edk2-aarch64-code.fd \\',
    '    -cdrom jammy-desktop-arm64.iso \\',
    '    -nic vmnet-shared \\',
    '    -device virtio-gpu-pci \\',
    '    -display cocoa,show-cursor=on \\',
    '    -device nec-usb-xhci \\',
    '    -device usb-mouse \\',
    '    -device usb-tablet \\',
    '    -device usb-kbd \\',
    '    -audiodev coreaudio,id=audio0 \\',
    '    -device ich9-intel-hda \\',
    '    -device hda-output,audiodev=audio0',
  ].join('\n');
  assert.is(formatCommand(await bootOf(7, darwin)), expected);
});

test('valueless flags stand alone and the prompt can be left out', () => {
  const out = formatCommand({ exe: 'qemu-system-aarch64', args: ['-nographic', '-S', '-m', '2G'] }, { prompt: false });
  assert.is(out, 'qemu-system-aarch64 \\\n    -nographic \\\n    -S \\\n    -m 2G');
});

test('a command without arguments is one line', () => {
  assert.is(formatCommand({ exe: 'qemu-img', args: [] }), '$ qemu-img');
});

test('values that need it are single-quoted', () => {
  const out = formatCommand({ exe: 'qemu-system-aarch64', args: ['-chardev', "file,id=s,path=/tmp/it's here/log"] });
  assert.is(out, "$ qemu-system-aarch64 \\\n    -chardev 'file,id=s,path=/tmp/it'\\''s here/log'");
});

test("short commands print on one line with a prompt, long QEMU boots in the guide's form", () => {
  assert.is(formatAny({ exe: 'qemu-system-x86_64', args: ['--version'] }), '$ qemu-system-x86_64 --version');
  assert.is(
    formatAny({ exe: 'qemu-img', args: ['create', '-f', 'qcow2', 'ubuntu.img', '128G'] }),
    '$ qemu-img create -f qcow2 ubuntu.img 128G',
  );
  assert.match(
    formatAny({ exe: 'qemu-system-x86_64', args: ['-m', '2G', '-smp', '2', '-nographic'] }),
    /^\$ qemu-system-x86_64 \\\n {4}-m 2G/,
  );
});

test('changes print removed and added options, then the reason', () => {
  const text = formatChanges([
    { removed: [['-serial', 'vc']], added: [['-serial', 'chardev:serial0']], why: 'a log of the console' },
  ]);
  assert.equal(text.split('\n').slice(1), [
    '    - -serial vc',
    '    + -serial chardev:serial0',
    '      a log of the console',
  ]);
});

test('a pipeline prints as the guide writes it, command by command', () => {
  assert.is(
    formatAny({
      exe: 'cfssl',
      args: ['gencert', '-initca', 'ca-csr.json'],
      pipe: { exe: 'cfssljson', args: ['-bare', 'ca'] },
    }),
    '$ cfssl gencert -initca ca-csr.json | cfssljson -bare ca',
  );
});

test.run();

const line = suite('formatCommandLine');

line("the guide's qemu-img line", () => {
  assert.is(
    formatCommandLine({ exe: 'qemu-img', args: ['create', '-f', 'qcow2', 'ubuntu.img', '128G'] }),
    'qemu-img create -f qcow2 ubuntu.img 128G',
  );
});

line('sudo and a prompt on request', () => {
  assert.is(
    formatCommandLine({ exe: 'qemu-system-aarch64', args: ['-nic', 'vmnet-shared'], sudo: true }, { prompt: true }),
    '$ sudo qemu-system-aarch64 -nic vmnet-shared',
  );
});

line.run();

const quote = suite('shellQuote');

const quoteCases: [string, string][] = [
  ['virt,accel=hvf,highmem=on', 'virt,accel=hvf,highmem=on'],
  ['/opt/homebrew/share/qemu/edk2-aarch64-code.fd', '/opt/homebrew/share/qemu/edk2-aarch64-code.fd'],
  ['a b', "'a b'"],
  ['$HOME', "'$HOME'"],
  ["it's", "'it'\\''s'"],
  ['', "''"],
  ['cloud-init/{user-data,meta-data}', "'cloud-init/{user-data,meta-data}'"],
  ['ubuntu@control0:~', 'ubuntu@control0:~'], // a ~ inside a word is literal
  ['~/x', "'~/x'"], // at its start it would be your home
];

for (const [word, quoted] of quoteCases)
  quote(`${JSON.stringify(word)} → ${quoted}`, () => assert.is(shellQuote(word), quoted));

quote.run();
