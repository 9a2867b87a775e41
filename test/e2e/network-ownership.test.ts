// End to end, as root in a network namespace of the test's own: the network you made is not
// kubenet's to change. A learner who did chapter 2 by hand has the bridge kubr0 and the chain
// KUBENET_NAT (the guide's names): kubenet uses them when they fit and never changes or deletes
// them; when they do not fit it stops before changing anything — as it does when the cluster's
// /24 is in use on the host. One consent for the whole run; dnsmasq that cannot bind undoes what
// the run made and names who holds the port. No VM boots here: the network steps alone.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { which } from '../../lib/host/which.js';
import { binPath, kubenetAsync } from '../helpers/cli.js';
import { canMakeNetns, createNetns, type Netns } from '../helpers/netns.js';
import { ptySession } from '../helpers/pty-session.js';
import { skipUnless } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('e2e: the network you made is yours');
const ready = canMakeNetns() && which('dnsmasq') !== undefined && which('iptables') !== undefined;
const why = 'needs root, iproute2, iptables and dnsmasq (apt-get install iproute2 iptables dnsmasq-base)';
let ns: Netns | undefined;
let dir: ReturnType<typeof tempDir> | undefined;
let holder: ChildProcess | undefined;

test.before.each(() => {
  if (!ready) return;
  dir = tempDir('kubenet-e2e-own-');
  ns = createNetns();
});
test.after.each(() => {
  holder?.kill('SIGKILL');
  holder = undefined;
  ns?.remove();
  dir?.remove();
});

const images = () => join(dir!.path, 'images');
const kubenet = (args: string[]) =>
  kubenetAsync([...args, '--images', images(), ...(args[0] === 'run' ? ['--arch', 'aarch64', '--accel', 'tcg'] : [])], {
    cwd: dir!.path,
    env: { HOME: join(dir!.path, 'home') },
    wrapper: ns!.argv([]),
    timeoutMs: 120_000,
  });
const sh = (...argv: string[]) => {
  const r = ns!.run(argv);
  assert.is(r.code, 0, `${argv.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const rules = () => ns!.run(['iptables', '-t', 'nat', '-S']).stdout;
const forwarding = () => ns!.run(['cat', '/proc/sys/net/ipv4/ip_forward']).stdout.trim();
const hasLink = (name: string) => ns!.run(['ip', 'link', 'show', name]).code === 0;
// The guide's set-up by hand: the bridge with the host's address, and kubenet-nat.sh's chain —
// with a rule of the learner's own that no one else should remove.
function guideByHand() {
  sh('ip', 'link', 'add', 'kubr0', 'type', 'bridge');
  sh('ip', 'link', 'set', 'kubr0', 'up');
  sh('ip', 'addr', 'add', '192.168.1.1/24', 'dev', 'kubr0');
  sh('iptables', '-t', 'nat', '-N', 'KUBENET_NAT');
  sh('iptables', '-t', 'nat', '-A', 'POSTROUTING', '-j', 'KUBENET_NAT');
  sh('iptables', '-t', 'nat', '-A', 'KUBENET_NAT', '!', '-o', 'kubr0', '-s', '192.168.1.0/24', '-j', 'MASQUERADE');
  sh('iptables', '-t', 'nat', '-A', 'KUBENET_NAT', '-d', '10.9.9.0/24', '-j', 'RETURN');
}

test(
  "the learner's bridge and chain are used as they are, " + "and reset leaves them: only kubenet's dnsmasq goes",
  async () => {
    if (skipUnless(ready, why)) return;
    guideByHand();
    const index = JSON.parse(sh('ip', '-j', 'link', 'show', 'kubr0'))[0].ifindex;
    const r = await kubenet(['run', '21-shared-network', '--yes']);
    assert.is(r.code, 0, r.stdout + r.stderr);
    assert.match(
      r.stdout,
      "kubr0 was there before kubenet (yours, or the guide's persistent " +
        'set-up): used as it is, and never changed or deleted by kubenet',
    );
    assert.match(r.stdout, 'the chain KUBENET_NAT was there before kubenet');
    assert.not.match(r.stdout, 'ip link add');
    assert.not.match(r.stdout, 'iptables -t nat -F');
    assert.match(rules(), '-A KUBENET_NAT -d 10.9.9.0/24 -j RETURN', "the learner's rule is still there");
    assert.not.ok(
      existsSync(join(images(), 'gateway')),
      'the network alone: no VM disks or seeds (that is 20-vm-images)',
    );
    const pid = Number(readFileSync(join(images(), 'network/dnsmasq.pid'), 'utf8'));
    const reset = await kubenet(['reset', '21-shared-network', '--yes']);
    assert.is(reset.code, 0, reset.stdout + reset.stderr);
    assert.match(reset.stdout, 'kubr0 was there before kubenet: left as it is');
    assert.match(reset.stdout, 'the chain KUBENET_NAT was there before kubenet: left as it is');
    assert.ok(hasLink('kubr0'), 'the bridge is still there');
    assert.is(JSON.parse(sh('ip', '-j', 'link', 'show', 'kubr0'))[0].ifindex, index, 'the same bridge');
    assert.match(rules(), '-A KUBENET_NAT -d 10.9.9.0/24 -j RETURN');
    assert.match(rules(), '-A POSTROUTING -j KUBENET_NAT');
    assert.throws(() => process.kill(pid, 0), "kubenet's dnsmasq is gone");
  },
);

test("a bridge of the learner's that does not fit stops the run before anything changes", async () => {
  if (skipUnless(ready, why)) return;
  sh('ip', 'link', 'add', 'kubr0', 'type', 'bridge');
  sh('ip', 'addr', 'add', '10.0.0.1/24', 'dev', 'kubr0');
  const r = await kubenet(['run', '21-shared-network', '--yes']);
  assert.is(r.code, 10, r.stdout + r.stderr);
  assert.match(
    r.stderr,
    'kubr0 was there before kubenet and does not fit the cluster: it is down and it does not have ' +
      '192.168.1.1/24 (it has 10.0.0.1/24). kubenet changes no bridge it did not make; nothing was changed',
  );
  assert.not.match(r.stdout, 'This run needs root', 'refused before the question');
  assert.is(forwarding(), '0');
  assert.not.match(rules(), 'KUBENET_NAT');
  assert.not.ok(existsSync(join(images(), 'network/dnsmasq.pid')));
});

test("a chain of the learner's that does not fit stops the run before the bridge is made", async () => {
  if (skipUnless(ready, why)) return;
  sh('iptables', '-t', 'nat', '-N', 'KUBENET_NAT');
  sh('iptables', '-t', 'nat', '-A', 'KUBENET_NAT', '-d', '10.9.9.0/24', '-j', 'RETURN');
  const r = await kubenet(['run', '21-shared-network', '--yes']);
  assert.is(r.code, 10, r.stdout + r.stderr);
  assert.match(
    r.stderr,
    'the iptables chain KUBENET_NAT was there before kubenet and ' +
      'does not fit the cluster: POSTROUTING does not jump to it',
  );
  assert.not.ok(hasLink('kubr0'), 'no bridge was made');
  assert.is(forwarding(), '0');
  assert.match(rules(), '-A KUBENET_NAT -d 10.9.9.0/24 -j RETURN');
});

test(
  "the cluster's /24 in use on the host (a home LAN): stopped " +
    'before anything, naming the interface and a free range',
  async () => {
    if (skipUnless(ready, why)) return;
    sh('ip', 'link', 'add', 'lan0', 'type', 'veth', 'peer', 'name', 'lan1');
    sh('ip', 'addr', 'add', '192.168.1.23/24', 'dev', 'lan0');
    const r = await kubenet(['run', '21-shared-network', '--yes']);
    assert.is(r.code, 10, r.stdout + r.stderr);
    assert.match(r.stderr, "the cluster's network 192.168.1.0/24 is in use on this host: lan0 (192.168.1.23/24)");
    assert.match(r.stderr, 'network: 192.168.100');
    assert.not.ok(hasLink('kubr0'));
    assert.is(forwarding(), '0');
    const doctor = await kubenet(['doctor']);
    assert.match(doctor.stdout, /cluster network.*192\.168\.1\.0\/24 is in use.*lan0/);
  },
);

test(
  'one consent for the run: every root command under its reason, ' +
    'one question; without --yes and a terminal, nothing changes',
  async () => {
    if (skipUnless(ready, why)) return;
    const refused = await kubenet(['run', '21-shared-network']);
    assert.is(refused.code, 2, refused.stdout + refused.stderr);
    assert.match(refused.stdout, /This run needs root: kubenet runs these \d+ commands as root/);
    for (const part of [
      'ip link add kubr0 type bridge',
      'sysctl net.ipv4.ip_forward=1',
      'iptables -t nat -N KUBENET_NAT',
      'dnsmasq --conf-file=network/dnsmasq.conf',
    ])
      assert.match(refused.stdout, part);
    assert.not.match(refused.stdout, /\bsudo /, 'kubenet runs as root: no sudo shown');
    assert.match(refused.stderr, 'nothing was run or changed');
    assert.not.ok(hasLink('kubr0'));
    if (!which('script')) return;
    const { CI: _ci, ...plain } = process.env;
    const pty = ptySession(
      [
        process.execPath,
        binPath,
        'run',
        '21-shared-network',
        '--images',
        images(),
        '--arch',
        'aarch64',
        '--accel',
        'tcg',
      ],
      { env: { ...plain, HOME: join(dir!.path, 'home') }, cwd: dir!.path, wrapper: ns!.argv([]) },
    );
    try {
      await pty.waitFor(/Run them as root\? \[y\/N\]/, 60_000);
      pty.type('y\r');
      assert.is(await pty.exited, 0, pty.output());
      assert.is(pty.output().match(/\[y\/N\]/g)!.length, 1, 'asked once');
    } finally {
      pty.close();
    }
    assert.ok(hasLink('kubr0'));
  },
);

test('dnsmasq that cannot bind: what the run made goes again, and who holds the port is named', async () => {
  if (skipUnless(ready, why)) return;
  const [exe, ...args] = ns!.argv([
    process.execPath,
    '-e',
    "require('dgram').createSocket('udp4').bind(53, '0.0.0.0'); setInterval(() => {}, 1000)",
  ]);
  holder = spawn(exe!, args, { stdio: 'ignore' });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const r = await kubenet(['run', '21-shared-network', '--yes']);
  assert.is(r.code, 10, r.stdout + r.stderr);
  assert.match(
    r.stderr,
    new RegExp(
      /dnsmasq could not start on kubr0: port 53 \(DNS\) is taken by node \(pid \d+\); /.source +
        /this run's changes were undone \(the chain KUBENET_NAT, the bridge kubr0, IP forwarding\)/.source,
    ),
  );
  assert.not.ok(hasLink('kubr0'), 'the bridge it made is gone');
  assert.not.match(rules(), 'KUBENET_NAT');
  assert.is(forwarding(), '0');
});

test.run();
