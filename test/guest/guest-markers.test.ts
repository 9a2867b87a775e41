import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { GUEST_MARKERS, guestMarkers } from '../helpers/test-guest.js';

const test = suite('guestMarkers');

const cases: Array<{ sentence: string; log: string; expected: string[] }> = [
  {
    sentence: 'keeps marker lines in order and drops firmware and kernel lines',
    log:
      'BdsDxe: starting Boot0001\r\nEFI stub: Booting Linux Kernel...\r\nKUBENET-GUEST: ' +
      'cloud booted\r\n[    3.1] virtio_blk virtio1: [vda]\r\nKUBENET-GUEST: done\r\n',
    expected: [GUEST_MARKERS.cloudBooted, GUEST_MARKERS.done],
  },
  {
    sentence: 'finds a marker behind escape sequences or a kernel message on the same line',
    log: '\x1b[2J\x1b[01;01HKUBENET-GUEST: live booted\n[    2.0] random: crng init done KUBENET-GUEST: done  \n',
    expected: [GUEST_MARKERS.liveBooted, GUEST_MARKERS.done],
  },
  {
    sentence: 'finds nothing in a log of a guest that never reached its init',
    log: 'BdsDxe: failed to load Boot0001 "UEFI Misc Device": Not Found\r\nShell> ',
    expected: [],
  },
];

for (const c of cases) {
  test(c.sentence, () => {
    assert.equal(guestMarkers(c.log), c.expected);
  });
}

test.run();
