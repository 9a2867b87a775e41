import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { firmwareStuckHint } from '../../lib/vm/firmware-stuck.js';

const test = suite('firmware-stuck');

// [case, serial tail, until, a word the hint must contain (undefined: no hint)]
const cases: Array<[string, string[], RegExp | undefined, string | undefined]> = [
  [
    'a failed boot option',
    ['BdsDxe: failed to load Boot0001 "UEFI Misc Device" from PciRoot(0x0): Not Found'],
    /login:/,
    'BdsDxe',
  ],
  ['the UEFI shell', ['UEFI Interactive Shell v2.2', 'Shell> '], /login:/, 'UEFI shell'],
  [
    'the UEFI shell when the shell is what we wait for',
    ['UEFI Interactive Shell v2.2', 'Shell> '],
    /Shell>|UEFI Interactive Shell/g,
    undefined,
  ],
  ['a GRUB prompt', ['grub> '], /login:/, 'GRUB'],
  ['Secure Boot refusing the loader', ['BdsDxe: failed to load Boot0002', 'Access Denied'], undefined, 'Secure Boot'],
  ['a normal boot', ['[    0.000000] Booting Linux on physical CPU 0x0'], /login:/, undefined],
];

for (const [name, lines, until, word] of cases) {
  test(name, () => {
    const hint = firmwareStuckHint(lines, until);
    if (word === undefined) assert.is(hint, undefined);
    else assert.ok(hint?.includes(word), `hint "${hint}" mentions ${word}`);
  });
}

test.run();
