import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { directoryRecord, packedSize, packSectors } from '../../lib/iso/directory-record.js';
import { parseRecord } from '../helpers/iso-reader.js';

const date = new Date(Date.UTC(2000, 0, 1));
const test = suite('directoryRecord');

// identifier length, System Use length → record length (33 + id + pad-if-even-id + SU, rounded to even)
const lengths: Array<[number, number, number]> = [
  [1, 0, 34],
  [11, 0, 44],
  [10, 0, 44],
  [11, 5, 50],
  [10, 5, 50],
  [1, 7, 42],
];
for (const [idLength, suLength, expected] of lengths) {
  test(`a ${idLength}-byte name with ${suLength} bytes of System Use makes a ${expected}-byte record`, () => {
    const record = directoryRecord({
      identifier: Buffer.alloc(idLength, 0x41),
      extent: 7,
      size: 9,
      date,
      flags: 0,
      systemUse: Buffer.alloc(suLength, 0x53),
    });
    assert.is(record.length, expected);
    const parsed = parseRecord(record, 0);
    assert.is(parsed.extent, 7);
    assert.is(parsed.size, 9);
    assert.is(parsed.identifier.length, idLength);
    assert.ok(parsed.systemUse.subarray(0, suLength).every((b) => b === 0x53));
  });
}

test('a record over 255 bytes is refused', () => {
  assert.throws(
    () =>
      directoryRecord({
        identifier: Buffer.alloc(30),
        extent: 0,
        size: 0,
        date,
        flags: 0,
        systemUse: Buffer.alloc(200),
      }),
    /too long/,
  );
});

test('packSectors never splits a record and packedSize predicts its length', () => {
  const records = Array.from({ length: 50 }, (_, i) =>
    directoryRecord({
      identifier: Buffer.alloc(1 + (i % 30), 0x41),
      extent: i,
      size: i,
      date,
      flags: 0,
      systemUse: Buffer.alloc(60),
    }),
  );
  const packed = packSectors(records);
  assert.is(packed.length, packedSize(records.map((r) => r.length)));
  assert.ok(packed.length > 2048);
  let found = 0;
  for (let at = 0; at < packed.length; ) {
    if (packed[at] === 0) {
      at = (Math.floor(at / 2048) + 1) * 2048;
      continue;
    }
    const record = parseRecord(packed, at); // throws if the record crosses a sector
    assert.is(record.extent, found++);
    at += record.length;
  }
  assert.is(found, 50);
});

test.run();
