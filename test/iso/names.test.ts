import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { assignNames, checkVolumeId, comparePrimary } from '../../lib/iso/names.js';

const level1 = suite('assignNames: ISO 9660 level 1 names');

const cases: Array<[string, string]> = [
  ['user-data', 'USER_DAT.;1'],
  ['meta-data', 'META_DAT.;1'],
  ['network-config', 'NETWORK_.;1'],
  ['vendor-data', 'VENDOR_D.;1'],
  ['a', 'A.;1'],
  ['seed.yaml', 'SEED.YAM;1'],
  ['archive.tar.gz', 'ARCHIVE_.GZ;1'],
  ['.hidden', '_HIDDEN.;1'],
  ['ünïcode', '_N_CODE.;1'],
];
for (const [given, primary] of cases) {
  level1(`${given} becomes ${primary}`, () => {
    const [names] = assignNames([given]);
    assert.equal(names, { given, primary, joliet: given });
  });
}

level1('names that shorten alike are told apart by a counter', () => {
  const primaries = assignNames(['user-data', 'user-datb', 'user-datc']).map((n) => n.primary);
  assert.equal(primaries, ['USER_DAT.;1', 'USER_DA1.;1', 'USER_DA2.;1']);
});

level1('counters keep the extension and grow into the name', () => {
  const names = Array.from({ length: 12 }, (_, i) => `longname-${i}.txt`);
  const primaries = assignNames(names).map((n) => n.primary);
  assert.is(new Set(primaries).size, 12);
  assert.is(primaries[11], 'LONGNA11.TXT;1');
  for (const p of primaries) assert.match(p, /^[A-Z0-9_]{1,8}\.[A-Z0-9_]{0,3};1$/);
});

const order = suite('comparePrimary: ECMA-119 9.3 order');

const sorted: Array<[string[], string[]]> = [
  [
    ['USER_DAT.;1', 'META_DAT.;1'],
    ['META_DAT.;1', 'USER_DAT.;1'],
  ],
  // names compare as if padded with spaces, so A sorts before A_ and A.B before AB
  [
    ['A_.;1', 'A.;1'],
    ['A.;1', 'A_.;1'],
  ],
  [
    ['AB.;1', 'A.B;1'],
    ['A.B;1', 'AB.;1'],
  ],
  [
    ['A.TXT;1', 'A.T;1'],
    ['A.T;1', 'A.TXT;1'],
  ],
];
for (const [input, expected] of sorted) {
  order(`${input.join(' ')} sorts as ${expected.join(' ')}`, () => {
    assert.equal([...input].sort(comparePrimary), expected);
  });
}

const label = suite('checkVolumeId');

for (const ok of ['cidata', 'CIDATA', 'seed 1', 'x'.repeat(16)]) {
  label(`accepts ${JSON.stringify(ok)}`, () => checkVolumeId(ok));
}
for (const bad of ['', 'cidata ', '\tcidata', 'x'.repeat(17), 'é']) {
  label(`refuses ${JSON.stringify(bad)}`, () => {
    assert.throws(() => checkVolumeId(bad), /invalid ISO volume id/);
  });
}

level1.run();
order.run();
label.run();
