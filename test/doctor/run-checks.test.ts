// doctor's checks against hosts described as data: a good one, then each thing that can be
// wrong with it, one at a time.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { HostDescription } from '../../lib/doctor/host-description.js';
import { doctorExitCode, formatResults, runChecks } from '../../lib/doctor/run-checks.js';
import { ExitCode } from '../../lib/errors.js';

const test = suite('doctor: checks over a described host');

const linux: HostDescription = {
  profile: { hostOs: 'linux', hostArch: 'x86_64', guestArch: 'x86_64' },
  net: 'user',
  tools: {
    qemu: '/usr/bin/qemu-system-x86_64',
    'qemu-img': '/usr/bin/qemu-img',
    ssh: '/usr/bin/ssh',
    'ssh-keygen': '/usr/bin/ssh-keygen',
    cfssl: '/usr/bin/cfssl',
    cfssljson: '/usr/bin/cfssljson',
    kubectl: '/usr/bin/kubectl',
  },
  qemuVersionOutput:
    'QEMU emulator version 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)\nCopyright ' +
    '(c) 2003-2022 Fabrice Bellard and the QEMU Project developers\n',
  firmware: { mode: 'bios', code: '/usr/share/ovmf/OVMF.fd', source: 'distro', why: 'distro firmware' },
  accel: { accel: 'kvm', why: '/dev/kvm is usable' },
  kvmDevice: 'usable',
  isRoot: false,
  disk: { path: '/home/me/images', freeBytes: 100e9 },
  pending: [
    { file: 'jammy-desktop-amd64.iso', bytes: 5e9 },
    { file: 'jammy-server-cloudimg-amd64.img', bytes: 0.7e9 },
  ],
};

const mac: HostDescription = {
  ...linux,
  profile: { hostOs: 'darwin', hostArch: 'aarch64', guestArch: 'aarch64' },
  net: 'vmnet-shared',
  tools: { ...linux.tools, qemu: '/opt/homebrew/bin/qemu-system-aarch64', sudo: '/usr/bin/sudo' },
  qemuVersionOutput: 'QEMU emulator version 8.2.0\n',
  firmware: {
    mode: 'bios',
    code: '/opt/homebrew/share/qemu/edk2-aarch64-code.fd',
    source: 'homebrew',
    why: 'Homebrew prefix',
  },
  accel: { accel: 'hvf', why: 'macOS Hypervisor Framework' },
  sudoWithoutPassword: true,
};

const levels = (host: HostDescription) => Object.fromEntries(runChecks(host).map((r) => [r.check, r.level]));
const result = (host: HostDescription, check: string) => runChecks(host).find((r) => r.check === check)!;

test('a good Linux host and a good Mac pass every check', () => {
  for (const host of [linux, mac]) {
    const results = runChecks(host);
    assert.equal(
      results.filter((r) => r.level !== 'ok'),
      [],
      host.profile.hostOs,
    );
    assert.is(doctorExitCode(results), ExitCode.ok);
  }
});

test('kvm that ran the firmware in its probe is ok, and says so', () => {
  const probe = {
    accel: 'kvm',
    verdict: 'usable',
    reason: 'the firmware ran for 1.5 s under accel=kvm',
    ms: 1600,
  } as const;
  const r = result({ ...linux, accel: { accel: 'kvm', why: '/dev/kvm is usable', probe } }, 'accelerator');
  assert.is(r.level, 'ok');
  assert.is(r.text, 'kvm — /dev/kvm is usable; the firmware ran for 1.5 s under accel=kvm');
});

test('there is one line per check, each named', () => {
  assert.equal(Object.keys(levels(linux)), [
    'qemu',
    'qemu-img',
    'firmware',
    'accelerator',
    'disk',
    'ssh',
    'ssh-keygen',
    'sudo',
    'cfssl',
    'cfssljson',
    'kubectl',
  ]);
});

test(
  "chapters 2–3 on Linux: the cluster's /24, ip, iptables, dnsmasq, tmux, the " +
    'bridge module and /dev/net/tun — each missing one a warning with its install hint',
  () => {
    const cluster = {
      mode: 'bridge' as const,
      subnet: '192.168.1.0/24',
      collisions: [],
      tools: { ip: '/usr/bin/ip', iptables: '/usr/sbin/iptables', dnsmasq: '/usr/sbin/dnsmasq', tmux: '/usr/bin/tmux' },
      bridgeModule: 'loaded' as const,
      tun: 'present' as const,
    };
    const good = runChecks({ ...linux, cluster });
    const names = ['cluster network', 'ip', 'iptables', 'dnsmasq', 'tmux', 'bridge module', '/dev/net/tun'];
    assert.equal(
      good.filter((r) => names.includes(r.check)).map((r) => [r.check, r.level]),
      names.map((n) => [n, 'ok']),
    );
    const bad = runChecks({
      ...linux,
      cluster: {
        ...cluster,
        collisions: [{ dev: 'wlan0', what: '192.168.1.23/24' }],
        free: '192.168.100',
        tools: {},
        bridgeModule: 'missing',
        tun: 'missing',
      },
    });
    const by = (check: string) => bad.find((r) => r.check === check)!;
    assert.is(by('cluster network').level, 'warn');
    assert.match(by('cluster network').text, '192.168.1.0/24 is in use on this host: wlan0 (192.168.1.23/24)');
    assert.match(by('cluster network').fix!, 'cluster: network: 192.168.100');
    assert.match(by('dnsmasq').fix!, 'apt-get install dnsmasq-base');
    assert.match(by('iptables').fix!, 'apt-get install iptables');
    assert.match(by('ip').fix!, 'apt-get install iproute2');
    assert.match(by('tmux').fix!, 'apt-get install tmux');
    assert.match(by('/dev/net/tun').fix!, 'modprobe tun');
    assert.is(by('bridge module').level, 'warn');
    assert.is(doctorExitCode(bad), ExitCode.ok, 'chapter 1 needs none of it: warnings only');
    assert.equal(
      runChecks({ ...linux, cluster: { ...cluster, mode: 'root-free', tools: {} } })
        .filter((r) => names.includes(r.check))
        .map((r) => [r.check, r.level]),
      [['cluster network', 'ok']],
    );
  },
);

const cases: {
  name: string;
  host: HostDescription;
  check: string;
  level: 'warn' | 'fail';
  text: RegExp;
  fix: RegExp;
}[] = [
  {
    name: 'missing QEMU',
    host: { ...linux, tools: { ...linux.tools, qemu: undefined } },
    check: 'qemu',
    level: 'fail',
    text: /qemu-system-x86_64 not found/,
    fix: /apt-get install qemu-system-x86/,
  },
  {
    name: 'QEMU that does not start',
    host: { ...linux, qemuVersionOutput: undefined },
    check: 'qemu',
    level: 'fail',
    text: /--version did not run/,
    fix: /reinstall/,
  },
  {
    name: 'something else called qemu',
    host: { ...linux, qemuVersionOutput: 'hello\n' },
    check: 'qemu',
    level: 'fail',
    text: /cannot read a QEMU version/,
    fix: /--version/,
  },
  {
    name: 'QEMU too old for vmnet on macOS',
    host: { ...mac, qemuVersionOutput: 'QEMU emulator version 7.0.0\n' },
    check: 'qemu',
    level: 'fail',
    text: /older than 7\.1\.0: -nic vmnet-shared/,
    fix: /brew upgrade qemu/,
  },
  {
    name: 'QEMU too old for hvf on Apple Silicon',
    host: { ...mac, net: 'user', qemuVersionOutput: 'QEMU emulator version 6.1.0\n' },
    check: 'qemu',
    level: 'fail',
    text: /older than 6\.2\.0: hvf/,
    fix: /brew upgrade/,
  },
  {
    name: 'QEMU older than tested on Linux',
    host: { ...linux, qemuVersionOutput: 'QEMU emulator version 6.2.0 (Debian 1:6.2+dfsg-2ubuntu6)\n' },
    check: 'qemu',
    level: 'warn',
    text: /older than 7\.2\.0; kubenet is tested/,
    fix: /newer QEMU/,
  },
  {
    name: 'ancient QEMU on Linux',
    host: { ...linux, qemuVersionOutput: 'QEMU emulator version 3.1.0\n' },
    check: 'qemu',
    level: 'fail',
    text: /older than 4\.0\.0: -audiodev/,
    fix: /newer QEMU/,
  },
  {
    name: 'missing qemu-img',
    host: { ...linux, tools: { ...linux.tools, 'qemu-img': undefined } },
    check: 'qemu-img',
    level: 'fail',
    text: /qemu-img not found/,
    fix: /qemu-utils/,
  },
  {
    name: 'no firmware',
    host: {
      ...linux,
      firmware: { error: 'no UEFI firmware for x86_64 guests found', hint: 'install it: sudo apt-get install ovmf' },
    },
    check: 'firmware',
    level: 'fail',
    text: /no UEFI firmware/,
    fix: /apt-get install ovmf/,
  },
  {
    name: 'no /dev/kvm',
    host: { ...linux, kvmDevice: 'missing', accel: { accel: 'tcg', why: '/dev/kvm is missing' } },
    check: 'accelerator',
    level: 'warn',
    text: /^tcg/,
    fix: /enable virtualization/,
  },
  {
    name: '/dev/kvm without access',
    host: { ...linux, kvmDevice: 'no-access', accel: { accel: 'tcg', why: '/dev/kvm is not accessible' } },
    check: 'accelerator',
    level: 'warn',
    text: /^tcg/,
    fix: /usermod -aG kvm/,
  },
  {
    name: 'kvm that cannot run the firmware (kvm_pvm)',
    host: {
      ...linux,
      kvmModule: 'kvm_pvm',
      accel: {
        accel: 'tcg',
        why:
          'accel=kvm cannot run a VM here: QEMU stopped the VM (internal-error) ' +
          'with "KVM internal error. Suberror: 1"; emulating (TCG, slow)',
        probe: {
          accel: 'kvm',
          verdict: 'unusable',
          reason: 'QEMU stopped the VM (internal-error) with "KVM internal error. Suberror: 1"',
          ms: 150,
        },
      },
    },
    check: 'accelerator',
    level: 'warn',
    text: /^tcg .*KVM internal error\. Suberror: 1/,
    fix: /^nothing to do: kubenet uses accel=tcg on this host; \/dev\/kvm here is kvm_pvm/,
  },
  {
    name: '--accel kvm that failed its probe',
    host: {
      ...linux,
      accel: {
        accel: 'kvm',
        why: '--accel kvm, although its probe failed: QEMU exited (code 1) with "failed to initialize kvm"',
        probe: {
          accel: 'kvm',
          verdict: 'unusable',
          reason: 'QEMU exited (code 1) with "failed to initialize kvm"',
          ms: 40,
        },
      },
    },
    check: 'accelerator',
    level: 'warn',
    text: /^kvm — --accel kvm, although its probe failed/,
    fix: /^drop --accel kvm: kubenet then uses accel=tcg/,
  },
  {
    name: 'kvm whose probe could not tell',
    host: {
      ...linux,
      accel: {
        accel: 'kvm',
        why: '/dev/kvm is usable; its probe could not tell (QEMU did not answer on QMP within 5 s)',
        probe: { accel: 'kvm', verdict: 'unknown', reason: 'QEMU did not answer on QMP within 5 s', ms: 5000 },
      },
    },
    check: 'accelerator',
    level: 'warn',
    text: /could not tell/,
    fix: /--accel tcg/,
  },
  {
    name: 'arm64 guests on an x86 host',
    host: {
      ...linux,
      profile: { ...linux.profile, guestArch: 'aarch64' },
      accel: { accel: 'tcg', why: 'KVM runs only x86_64 guests' },
    },
    check: 'accelerator',
    level: 'warn',
    text: /emulation/,
    fix: /--arch x86_64/,
  },
  {
    name: 'low disk',
    host: { ...linux, disk: { path: '/home/me/images', freeBytes: 3e9 } },
    check: 'disk',
    level: 'fail',
    text: /3\.0 GB free in \/home\/me\/images; 5\.7 GB still to download/,
    fix: /--images DIR/,
  },
  {
    name: 'room for the downloads only',
    host: { ...linux, disk: { path: '/i', freeBytes: 9e9 } },
    check: 'disk',
    level: 'warn',
    text: /installing Ubuntu onto ubuntu\.img/,
    fix: /free some space/,
  },
  {
    name: 'unknown free space',
    host: { ...linux, disk: { path: '/i', error: 'EACCES' } },
    check: 'disk',
    level: 'warn',
    text: /cannot tell the free space of \/i: EACCES/,
    fix: /df -h/,
  },
  {
    name: 'no ssh',
    host: { ...linux, tools: { ...linux.tools, ssh: undefined } },
    check: 'ssh',
    level: 'warn',
    text: /kubenet ssh cannot log in/,
    fix: /openssh-client/,
  },
  {
    name: 'no ssh-keygen',
    host: { ...linux, tools: { ...linux.tools, 'ssh-keygen': undefined } },
    check: 'ssh-keygen',
    level: 'warn',
    text: /cannot make a key/,
    fix: /openssh-client/,
  },
  {
    name: 'vmnet with a password to type',
    host: { ...mac, sudoWithoutPassword: false },
    check: 'sudo',
    level: 'warn',
    text: /sudo will ask for your password/,
    fix: /sudo -v/,
  },
  {
    name: 'no cfssl (Linux)',
    host: { ...linux, tools: { ...linux.tools, cfssl: undefined } },
    check: 'cfssl',
    level: 'warn',
    text: /cfssl not found on PATH: chapter 4/,
    fix: /apt-get install golang-cfssl/,
  },
  {
    name: 'no cfssljson (macOS)',
    host: { ...mac, tools: { ...mac.tools, cfssljson: undefined } },
    check: 'cfssljson',
    level: 'warn',
    text: /cfssljson not found/,
    fix: /^brew install cfssl$/,
  },
  {
    name: 'no kubectl (Linux)',
    host: { ...linux, tools: { ...linux.tools, kubectl: undefined } },
    check: 'kubectl',
    level: 'warn',
    text: /kubectl not found.*kubeconfigs/,
    fix: /apt-get install kubectl, from the Kubernetes apt repository/,
  },
  {
    name: "a kubectl that crashes (Debian 12's kubernetes-client)",
    host: { ...linux, kubectlWorks: false },
    check: 'kubectl',
    level: 'warn',
    text: /\/usr\/bin\/kubectl crashes writing a kubeconfig/,
    fix: /pkgs\.k8s\.io.*not Debian 12's kubernetes-client/,
  },
  {
    name: 'no kubectl (macOS)',
    host: { ...mac, tools: { ...mac.tools, kubectl: undefined } },
    check: 'kubectl',
    level: 'warn',
    text: /kubectl not found/,
    fix: /^brew install kubernetes-cli$/,
  },
  {
    name: 'vmnet without sudo',
    host: { ...mac, tools: { ...mac.tools, sudo: undefined } },
    check: 'sudo',
    level: 'fail',
    text: /sudo not found/,
    fix: /--net user/,
  },
  {
    name: 'vmnet asked for on Linux',
    host: { ...linux, net: 'vmnet-shared' },
    check: 'sudo',
    level: 'fail',
    text: /only on macOS/,
    fix: /--net user/,
  },
];

for (const c of cases) {
  test(`${c.name}: ${c.check} ${c.level}s with a fix`, () => {
    const r = result(c.host, c.check);
    assert.is(r.level, c.level, r.text);
    assert.match(r.text, c.text);
    assert.match(r.fix ?? '', c.fix);
    assert.is(doctorExitCode(runChecks(c.host)), c.level === 'fail' ? ExitCode.host : ExitCode.ok);
    const others = runChecks(c.host).filter((x) => x.check !== c.check && x.level !== 'ok');
    assert.equal(others, [], 'nothing else is wrong with this host');
  });
}

test('downloads already present need no space', () => {
  const r = result({ ...linux, pending: [], disk: { path: '/i', freeBytes: 12e9 } }, 'disk');
  assert.is(r.level, 'ok');
  assert.match(r.text, 'every download is already there');
});

test('the report has one line per check, the fix under it, and a verdict', () => {
  const text = formatResults(runChecks({ ...linux, tools: { ...linux.tools, qemu: undefined } }));
  const lines = text.split('\n');
  assert.match(lines[0]!, /^fail {2}qemu +qemu-system-x86_64 not found on PATH$/);
  assert.match(lines[1]!, /^ +→ sudo apt-get install/);
  assert.match(lines.at(-1)!, '1 failed, 0 warnings');
});

test.run();
