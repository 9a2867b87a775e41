import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { er, file, nm, px, rootSelf, rr, sp } from '../../lib/iso/rock-ridge.js';

const test = suite('Rock Ridge entries');

// entry, signature, length byte (SUSP: 4-byte header included)
const entries: Array<[string, Buffer, string, number]> = [
  ['SP', sp(), 'SP', 7],
  ['RR for a file', rr(true), 'RR', 5],
  ['PX (1991A, no serial number)', px(0o100444, 1), 'PX', 36],
  ['NM user-data', nm('user-data'), 'NM', 5 + 9],
  ['NM with UTF-8', nm('d\u00e9j\u00e0'), 'NM', 5 + 6],
  ['ER', er(), 'ER', er().length],
];
for (const [what, entry, signature, length] of entries) {
  test(`${what} is a ${length}-byte ${signature} entry, version 1`, () => {
    assert.is(entry.toString('latin1', 0, 2), signature);
    assert.is(entry[2], length);
    assert.is(entry.length, length);
    assert.is(entry[3], 1);
  });
}

test('RR flags say PX, and NM only when a name follows', () => {
  assert.is(rr(false)[4], 0x01);
  assert.is(rr(true)[4], 0x09);
});

test('PX stores mode, links, uid and gid both-endian', () => {
  const entry = px(0o040555, 2);
  assert.is(entry.readUInt32LE(4), 0o040555);
  assert.is(entry.readUInt32BE(8), 0o040555);
  assert.is(entry.readUInt32LE(12), 2);
  assert.is(entry.readUInt32BE(16), 2);
});

test('ER names RRIP_1991A with lengths that add up', () => {
  const entry = er();
  const [idLength, descLength, srcLength, version] = entry.subarray(4, 8);
  assert.is(entry.toString('latin1', 8, 8 + idLength!), 'RRIP_1991A');
  assert.is(8 + idLength! + descLength! + srcLength!, entry.length);
  assert.is(version, 1);
});

test('the root "." record starts with SP, and files carry RR, NM, PX in that order', () => {
  assert.is(rootSelf().toString('latin1', 0, 2), 'SP');
  const entriesOf = (area: Buffer) => {
    const out: string[] = [];
    for (let at = 0; at < area.length; at += area[at + 2]!) out.push(area.toString('latin1', at, at + 2));
    return out;
  };
  assert.equal(entriesOf(rootSelf()), ['SP', 'RR', 'PX', 'ER']);
  assert.equal(entriesOf(file('meta-data')), ['RR', 'NM', 'PX']);
});

test.run();
