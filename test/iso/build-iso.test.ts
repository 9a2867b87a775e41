import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { buildIso } from '../../lib/iso/build-iso.js';
import type { IsoFile } from '../../lib/iso/types.js';
import { isKubenetError } from '../../lib/errors.js';
import {
  readDirectory,
  readFile,
  readIso,
  readPathTable,
  rockRidge,
  SECTOR,
  suspEntries,
} from '../helpers/iso-reader.js';

// Bytes whose value depends on position, so a shifted or truncated copy cannot pass.
const pattern = (length: number, seed: number) => Buffer.from(Array.from({ length }, (_, i) => (i * 31 + seed) & 0xff));

const seed: IsoFile[] = [
  { name: 'user-data', data: '#cloud-config\npassword: ubuntu\n' },
  { name: 'meta-data', data: 'instance-id: ubuntu0\n' },
  { name: 'network-config', data: pattern(1, 1) },
  { name: 'vendor-data', data: '' },
  { name: 'big.bin', data: pattern(5000, 2) },
  { name: 'exact-sector', data: pattern(2048, 3) },
  { name: 'odd-2047', data: pattern(2047, 4) },
  { name: 'odd-2049', data: pattern(2049, 5) },
];
const bytesOf = (f: IsoFile) => (typeof f.data === 'string' ? Buffer.from(f.data, 'utf8') : f.data);

const image = buildIso(seed, { volumeId: 'cidata' });
const iso = readIso(image);

const structure = suite('buildIso: volume structure');

structure('the image is whole sectors and as long as the primary descriptor says', () => {
  assert.is(image.length % SECTOR, 0);
  assert.is(iso.descriptors.primary.volumeSectors * SECTOR, image.length);
  assert.is(iso.descriptors.joliet?.volumeSectors, iso.descriptors.primary.volumeSectors);
});

structure('the system area is zero and descriptors sit at 16 (primary), 17 (Joliet), 18 (terminator)', () => {
  assert.ok(image.subarray(0, 16 * SECTOR).every((b) => b === 0));
  assert.is(iso.descriptors.primary.sector, 16);
  assert.is(iso.descriptors.joliet?.sector, 17);
  assert.is(iso.descriptors.terminator, 18);
});

structure('both descriptors carry the volume id as given, 2048-byte blocks, and a root record', () => {
  for (const vd of [iso.descriptors.primary, iso.descriptors.joliet!]) {
    assert.is(vd.volumeId, 'cidata');
    assert.is(vd.blockSize, SECTOR);
    assert.is(vd.root.flags & 0x02, 0x02);
    assert.is(vd.root.identifier[0], 0);
  }
});

structure('the Joliet descriptor declares UCS-2 level 3 (%/E)', () => {
  assert.is(iso.descriptors.joliet!.escapes.toString('latin1', 0, 3), '%/E');
  assert.is(
    iso.descriptors.primary.escapes.every((b) => b === 0),
    true,
  );
});

structure('L and M path tables of each tree list the root as its own parent', () => {
  for (const vd of [iso.descriptors.primary, iso.descriptors.joliet!]) {
    assert.is(vd.pathTableSize, 10);
    for (const [sector, order] of [
      [vd.pathTableL, 'L'],
      [vd.pathTableM, 'M'],
    ] as const) {
      const entries = readPathTable(image, sector, vd.pathTableSize, order);
      assert.equal(
        entries.map((e) => [e.extent, e.parent, e.identifier.toString('hex')]),
        [[vd.root.extent, 1, '00']],
      );
    }
  }
});

structure('the default date is 2000-01-01T00:00:00Z everywhere', () => {
  assert.is(iso.descriptors.primary.created, '2000010100000000');
  assert.is(iso.descriptors.primary.root.date.toISOString(), '2000-01-01T00:00:00.000Z');
  for (const record of iso.primary.values()) assert.is(record.date.toISOString(), '2000-01-01T00:00:00.000Z');
});

const names = suite('buildIso: names in each tree');

names('the primary tree has level 1 names (8.3, upper case, ;1)', () => {
  assert.equal([...iso.primary.keys()].sort(), [
    'BIG.BIN;1',
    'EXACT_SE.;1',
    'META_DAT.;1',
    'NETWORK_.;1',
    'ODD_2047.;1',
    'ODD_2049.;1',
    'USER_DAT.;1',
    'VENDOR_D.;1',
  ]);
});

names('Joliet and Rock Ridge both keep the names as given', () => {
  const given = seed.map((f) => f.name).sort();
  assert.equal([...iso.joliet.keys()].sort(), given);
  assert.equal([...iso.rockRidge.keys()].sort(), given);
});

names('every tree lists its records sorted, after "." and ".."', () => {
  const primary = [...iso.primary.keys()];
  assert.equal(primary, [...primary].sort());
  const joliet = [...iso.joliet.keys()];
  assert.equal(joliet, [...joliet].sort());
});

names('colliding 8.3 names get a counter instead of overwriting each other', () => {
  const collided = buildIso(
    [
      { name: 'user-data', data: 'a' },
      { name: 'user-datb', data: 'b' },
      { name: 'USER_DATC', data: 'c' },
    ],
    { volumeId: 'cidata' },
  );
  const view = readIso(collided);
  const contentOf = (primaryName: string) => readFile(collided, view.primary.get(primaryName)!).toString();
  assert.equal([contentOf('USER_DAT.;1'), contentOf('USER_DA1.;1'), contentOf('USER_DA2.;1')], ['a', 'b', 'c']);
});

const rock = suite('buildIso: Rock Ridge');

rock('the root "." record starts with SP (BE EF) and announces RRIP_1991A in ER', () => {
  const [first] = iso.rootSelf;
  assert.is(first?.signature, 'SP');
  assert.is(first?.data.toString('hex'), 'beef00');
  const er = iso.rootSelf.find((e) => e.signature === 'ER');
  assert.ok(er, 'ER entry present');
  const idLength = er!.data[0]!;
  assert.is(er!.data.toString('latin1', 4, 4 + idLength), 'RRIP_1991A');
});

rock('the root directory is mode 0555 with two links, in "." and ".."', () => {
  for (const entries of [iso.rootSelf, iso.rootParent]) {
    const rr = rockRidge(entries);
    assert.is(rr.mode, 0o040555);
    assert.is(rr.links, 2);
  }
});

rock('files are regular, mode 0444, one link, owned by root', () => {
  for (const [name, { rr }] of iso.rockRidge) {
    assert.is(rr.mode, 0o100444, name);
    assert.is(rr.links, 1, name);
    assert.is(rr.uid, 0, name);
    assert.is(rr.gid, 0, name);
  }
});

rock('the Joliet tree carries no SUSP entries', () => {
  const records = readDirectory(image, iso.descriptors.joliet!.root);
  for (const record of records) assert.is(record.systemUse.length, 0, record.identifier.toString('hex'));
});

const contents = suite('buildIso: file contents');

for (const file of seed) {
  contents(`${file.name} (${bytesOf(file).length} bytes) reads back byte for byte through all three trees`, () => {
    const expected = bytesOf(file);
    const viaRock = iso.rockRidge.get(file.name)!.record;
    const viaJoliet = iso.joliet.get(file.name)!;
    for (const record of [viaRock, viaJoliet]) {
      assert.is(record.size, expected.length);
      assert.ok(readFile(image, record).equals(expected));
    }
    assert.is(viaJoliet.extent, viaRock.extent, 'both trees share one copy of the data');
  });
}

contents('file extents do not overlap each other, the directories or the descriptors', () => {
  const used: Array<[number, number, string]> = [
    [0, 23, 'system area, descriptors, path tables'],
    [iso.descriptors.primary.root.extent, iso.descriptors.primary.root.size / SECTOR, 'primary root'],
    [iso.descriptors.joliet!.root.extent, iso.descriptors.joliet!.root.size / SECTOR, 'Joliet root'],
  ];
  for (const [name, { record }] of iso.rockRidge) {
    if (record.size > 0) used.push([record.extent, Math.ceil(record.size / SECTOR), name]);
  }
  used.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < used.length; i++) {
    const [start, length, name] = used[i - 1]!;
    assert.ok(start + length <= used[i]![0], `${name} overlaps ${used[i]![2]}`);
  }
  const [lastStart, lastLength] = used.at(-1)!;
  assert.ok(lastStart + lastLength <= iso.descriptors.primary.volumeSectors);
});

contents("the tail of a file's last sector is zero", () => {
  const record = iso.rockRidge.get('odd-2049')!.record;
  const end = record.extent * SECTOR + record.size;
  assert.ok(image.subarray(end, (record.extent + 2) * SECTOR).every((b) => b === 0));
});

contents('an image with no files has only ".", ".." and the descriptors', () => {
  const view = readIso(buildIso([], { volumeId: 'cidata' }));
  assert.is(view.primary.size, 0);
  assert.is(view.joliet.size, 0);
  assert.is(view.descriptors.primary.volumeSectors, 25);
});

contents('many files spill the directories over several sectors and all stay readable', () => {
  const many = Array.from({ length: 120 }, (_, i) => ({
    name: `file-number-${String(i).padStart(3, '0')}-with-a-long-name`,
    data: `content ${i}\n`,
  }));
  const big = buildIso(many, { volumeId: 'cidata' });
  const view = readIso(big);
  assert.ok(view.descriptors.primary.root.size > SECTOR, 'primary root spans sectors');
  assert.ok(view.descriptors.joliet!.root.size > SECTOR, 'Joliet root spans sectors');
  assert.is(view.rockRidge.size, 120);
  assert.is(view.joliet.size, 120);
  assert.is(new Set([...view.primary.keys()]).size, 120);
  for (const file of many) {
    assert.is(readFile(big, view.rockRidge.get(file.name)!.record).toString(), file.data);
    assert.is(readFile(big, view.joliet.get(file.name)!).toString(), file.data);
  }
});

const determinism = suite('buildIso: determinism');

determinism('the same input gives the same bytes', () => {
  assert.ok(buildIso(seed, { volumeId: 'cidata' }).equals(image));
  const copy = seed.map((f) => ({ name: f.name, data: Buffer.from(bytesOf(f)) }));
  assert.ok(buildIso(copy, { volumeId: 'cidata' }).equals(image), 'a Buffer and its string give the same image');
});

determinism('a date given is the date written, and only the dates change', () => {
  const date = new Date(Date.UTC(2024, 1, 29, 13, 45, 7));
  const dated = buildIso(seed, { volumeId: 'cidata', date });
  const view = readIso(dated);
  assert.is(view.descriptors.primary.created, '2024022913450700');
  assert.is(view.rockRidge.get('user-data')!.record.date.toISOString(), date.toISOString());
  assert.is(dated.length, image.length);
  assert.not.ok(dated.equals(image));
  assert.ok(readFile(dated, view.rockRidge.get('big.bin')!.record).equals(bytesOf(seed[4]!)));
});

determinism('file data is laid out in the order given, so order changes the bytes but not the contents', () => {
  const reversed = buildIso([...seed].reverse(), { volumeId: 'cidata' });
  const view = readIso(reversed);
  for (const file of seed) assert.ok(readFile(reversed, view.rockRidge.get(file.name)!.record).equals(bytesOf(file)));
});

const rejects = suite('buildIso: what it refuses');

const invalid: Array<[string, IsoFile[], string]> = [
  ['an empty name', [{ name: '', data: 'x' }], ''],
  ['a name with a slash', [{ name: 'a/b', data: 'x' }], 'a/b'],
  ['a name with a semicolon', [{ name: 'a;1', data: 'x' }], 'a;1'],
  ['a name with a control character', [{ name: 'a\nb', data: 'x' }], 'a\\nb'],
  ['a name outside UCS-2', [{ name: 'seed-\u{1F600}', data: 'x' }], 'seed-'],
  ['a Joliet name over 64 characters', [{ name: 'n'.repeat(65), data: 'x' }], 'nnn'],
  [
    'two files with one name',
    [
      { name: 'user-data', data: 'a' },
      { name: 'user-data', data: 'b' },
    ],
    'user-data',
  ],
];
for (const [what, files, mention] of invalid) {
  rejects(`${what}, with a KubenetError naming it`, () => {
    try {
      buildIso(files, { volumeId: 'cidata' });
      assert.unreachable('should have thrown');
    } catch (error) {
      assert.ok(isKubenetError(error), String(error));
      assert.ok(error.message.includes(mention), error.message);
      assert.ok(error.hint);
    }
  });
}

for (const volumeId of ['', ' cidata', 'x'.repeat(17), 'ci\u00e9data']) {
  rejects(`volume id ${JSON.stringify(volumeId)}`, () => {
    assert.throws(
      () => buildIso(seed, { volumeId }),
      (e: unknown) => isKubenetError(e) && e.message.includes('volume id'),
    );
  });
}

rejects('dates ISO 9660 cannot hold', () => {
  for (const date of [new Date(Date.UTC(1899, 11, 31)), new Date(Date.UTC(2156, 0, 1)), new Date(NaN)]) {
    assert.throws(
      () => buildIso(seed, { volumeId: 'cidata', date }),
      (e: unknown) => isKubenetError(e),
    );
  }
});

rejects('nothing, for the four cloud-init names', () => {
  const cloudInit = ['user-data', 'meta-data', 'network-config', 'vendor-data'];
  const built = buildIso(
    cloudInit.map((name) => ({ name, data: name })),
    { volumeId: 'cidata' },
  );
  const view = readIso(built);
  assert.equal([...view.rockRidge.keys()].sort(), [...cloudInit].sort());
  for (const name of cloudInit) {
    assert.ok(
      suspEntries(built, view.rockRidge.get(name)!.record).some((e) => e.signature === 'NM'),
      name,
    );
  }
});

structure.run();
names.run();
rock.run();
contents.run();
determinism.run();
rejects.run();
