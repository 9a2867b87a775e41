// The tiny guests that stand in for the guide's Ubuntu images in tests that boot QEMU.
// scripts/build-test-guest.sh builds them from Debian packages into a cache, so only the first
// call on a machine takes long (about half a minute); later calls cost well under a second.
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { required, runGuestScript } from './guest-script.js';
import { qemuProcessesIn } from './processes.js';

export type TestGuestArch = 'aarch64' | 'x86_64';

export interface TestGuest {
  liveIso: string; // stands in for jammy-desktop-<arch>.iso: boot it with -cdrom
  cloudImage: string; // stands in for jammy-server-cloudimg-<arch>.img (qcow2): back an overlay with it
  dir: string;
}

// What the guests' /init prints on the serial console (ttyAMA0 on aarch64, ttyS0 on x86_64;
// scripts/test-guest/*.sh).
// Entries ending in a space or '=' are prefixes: a value follows on the same line.
export const GUEST_MARKERS = {
  liveBooted: 'KUBENET-GUEST: live booted',
  liveMedium: 'KUBENET-GUEST: live medium ', // the device the live ISO was read from
  cloudBooted: 'KUBENET-GUEST: cloud booted',
  disk: 'KUBENET-GUEST: disk ', // `/dev/vda size=<bytes>`, one line per writable disk without ISO 9660
  cidataFound: 'KUBENET-GUEST: cidata found',
  seed: 'KUBENET-GUEST: seed ', // the device the cidata volume was read from
  cidataMissing: 'KUBENET-GUEST: cidata missing',
  localHostname: 'KUBENET-GUEST: local-hostname=',
  instanceId: 'KUBENET-GUEST: instance-id=',
  userData: 'KUBENET-GUEST: user-data=', // the first line of user-data
  networkConfig: 'KUBENET-GUEST: network-config=', // the first line of network-config, when the seed has one
  // When the seed's user-data says `#kubenet-test-guest: ping NAME…` (the cluster's tests):
  ip: 'KUBENET-GUEST: ip=', // the address and length DHCP gave, e.g. 192.168.1.10/24
  resolver: 'KUBENET-GUEST: resolv ', // `search kubenet nameserver 192.168.1.1`, from the lease
  resolved: 'KUBENET-GUEST: resolve ', // `NAME ADDRESS`, per peer
  ping: 'KUBENET-GUEST: ping ', // `NAME ok` or `NAME failed`, per peer
  done: 'KUBENET-GUEST: done',
} as const;

const MARKER = 'KUBENET-GUEST: ';

// The marker lines of a serial log, from the marker on, in order. Firmware output uses CR LF and
// escape sequences, and a stray kernel message may precede a marker on its line.
export function guestMarkers(serialLog: string): string[] {
  const found: string[] = [];
  for (const line of serialLog.split(/\r?\n/)) {
    const at = line.indexOf(MARKER);
    if (at >= 0) found.push(line.slice(at).trimEnd());
  }
  return found;
}

const builds = new Map<TestGuestArch, Promise<TestGuest>>();

// Paths of the built guests, building them first when the cache is missing or stale.
// One build per process; concurrent processes are serialised by the script's lock.
export function testGuest(arch: TestGuestArch = 'aarch64'): Promise<TestGuest> {
  let build = builds.get(arch);
  if (!build) {
    build = runBuildScript(arch);
    builds.set(arch, build);
    build.catch(() => builds.delete(arch)); // a later call may try again
  }
  return build;
}

async function runBuildScript(arch: TestGuestArch): Promise<TestGuest> {
  const script = 'build-test-guest.sh';
  const values = await runGuestScript(script, [arch], `the ${arch} test guests`);
  const [dir, liveIso, cloudImage] = required(values, ['dir', 'live_iso', 'cloud_image'], script) as [
    string,
    string,
    string,
  ];
  return { dir, liveIso, cloudImage };
}

// `kubenet run 03-cloud-image` of a test guest, headless, until `until` shows on its console within
// `timeoutS`, with `flags` (--mirror URL, --accel kvm, --offline…): the boot each host's tests make.
export const cloudImageBoot = (until: string, timeoutS: number, flags: readonly string[] = []): string[] => [
  'run',
  '03-cloud-image',
  ...flags,
  '--headless',
  '--until',
  until,
  '--timeout',
  String(timeoutS),
];

// The guest of that boot found its cloud-init seed, and no QEMU of it is left running.
export function assertSeedFoundAndQemuGone(images: string): void {
  const markers = guestMarkers(readFileSync(join(images, 'vm/ubuntu0/serial.log'), 'utf8'));
  assert.ok(markers.includes(GUEST_MARKERS.cidataFound), markers.join('\n'));
  assert.equal(qemuProcessesIn(images), []);
}
