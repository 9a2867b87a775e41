// A small, strict ISO 9660 reader for tests: volume descriptors, path tables, root directories
// of the primary and Joliet trees, SUSP/Rock Ridge entries, file contents. It throws on anything
// malformed (both-endian halves that disagree, records crossing sectors, bad signatures) so a
// test that reads an image also checks its structure.

export const SECTOR = 2048;

export interface DirRecord {
  length: number;
  extent: number;
  size: number;
  date: Date;
  flags: number;
  identifier: Buffer;
  systemUse: Buffer;
  offset: number; // byte offset of the record in the image
}

export interface VolumeDescriptor {
  type: number;
  sector: number;
  systemId: string;
  volumeId: string;
  volumeSectors: number;
  escapes: Buffer; // 32 bytes at 88: '%/E' marks Joliet UCS-2 level 3
  blockSize: number;
  pathTableSize: number;
  pathTableL: number;
  pathTableM: number;
  root: DirRecord;
  applicationId: string;
  created: string; // the 16 digits
}

export interface PathTableEntry {
  extent: number;
  parent: number;
  identifier: Buffer;
}

export interface SuspEntry {
  signature: string;
  version: number;
  data: Buffer;
}

export function both16(buf: Buffer, offset: number, what: string): number {
  const le = buf.readUInt16LE(offset);
  const be = buf.readUInt16BE(offset + 2);
  if (le !== be) throw new Error(`${what}: both-endian halves disagree (LE ${le}, BE ${be})`);
  return le;
}

export function both32(buf: Buffer, offset: number, what: string): number {
  const le = buf.readUInt32LE(offset);
  const be = buf.readUInt32BE(offset + 4);
  if (le !== be) throw new Error(`${what}: both-endian halves disagree (LE ${le}, BE ${be})`);
  return le;
}

export function ucs2ToString(bytes: Buffer): string {
  return Buffer.from(bytes).swap16().toString('utf16le');
}

const trimmed = (text: string) => text.replace(/[ \u0000]+$/, '');

export function parseRecord(image: Buffer, offset: number): DirRecord {
  const length = image[offset]!;
  if (length < 34) throw new Error(`directory record at ${offset} is ${length} bytes, less than 34`);
  if (length % 2 !== 0) throw new Error(`directory record at ${offset} has odd length ${length}`);
  if (Math.floor(offset / SECTOR) !== Math.floor((offset + length - 1) / SECTOR)) {
    throw new Error(`directory record at ${offset} crosses a sector boundary`);
  }
  const rec = image.subarray(offset, offset + length);
  const idLength = rec[32]!;
  const padded = 33 + idLength + (idLength % 2 === 0 ? 1 : 0);
  if (padded > length) throw new Error(`directory record at ${offset}: identifier runs past the record`);
  const [y, mo, d, h, mi, s, gmt] = rec.subarray(18, 25);
  if (both16(rec, 28, 'volume sequence number') !== 1) throw new Error('volume sequence number is not 1');
  return {
    length,
    extent: both32(rec, 2, 'extent'),
    size: both32(rec, 10, 'data length'),
    date: new Date(Date.UTC(1900 + y!, mo! - 1, d!, h!, mi!, s!) - ((gmt! << 24) >> 24) * 15 * 60_000),
    flags: rec[25]!,
    identifier: Buffer.from(rec.subarray(33, 33 + idLength)),
    systemUse: Buffer.from(rec.subarray(padded, length)),
    offset,
  };
}

export function readDescriptors(image: Buffer): {
  primary: VolumeDescriptor;
  joliet?: VolumeDescriptor;
  terminator: number;
} {
  let primary: VolumeDescriptor | undefined;
  let joliet: VolumeDescriptor | undefined;
  for (let sector = 16; (sector + 1) * SECTOR <= image.length; sector++) {
    const vd = image.subarray(sector * SECTOR, (sector + 1) * SECTOR);
    if (vd.toString('latin1', 1, 6) !== 'CD001' || vd[6] !== 1)
      throw new Error(`sector ${sector} is not a volume descriptor`);
    const type = vd[0]!;
    if (type === 255) {
      if (!primary) throw new Error('terminator before any primary volume descriptor');
      return { primary, ...(joliet && { joliet }), terminator: sector };
    }
    if (type !== 1 && type !== 2) continue;
    const escapes = Buffer.from(vd.subarray(88, 120));
    const isJoliet =
      type === 2 &&
      escapes
        .subarray(0, 3)
        .toString('latin1')
        .match(/^%\/[@CE]$/) !== null;
    const text = (start: number, width: number) =>
      trimmed(
        isJoliet
          ? ucs2ToString(vd.subarray(start, start + width - (width % 2)))
          : vd.toString('latin1', start, start + width),
      );
    const descriptor: VolumeDescriptor = {
      type,
      sector,
      systemId: text(8, 32),
      volumeId: text(40, 32),
      volumeSectors: both32(vd, 80, 'volume space size'),
      escapes,
      blockSize: both16(vd, 128, 'logical block size'),
      pathTableSize: both32(vd, 132, 'path table size'),
      pathTableL: vd.readUInt32LE(140),
      pathTableM: vd.readUInt32BE(148),
      root: parseRecord(image, sector * SECTOR + 156),
      applicationId: text(574, 128),
      created: vd.toString('latin1', 813, 829),
    };
    if (type === 1 && !primary) primary = descriptor;
    if (isJoliet && !joliet) joliet = descriptor;
  }
  throw new Error('no volume descriptor set terminator');
}

export function readPathTable(image: Buffer, sector: number, size: number, order: 'L' | 'M'): PathTableEntry[] {
  const table = image.subarray(sector * SECTOR, sector * SECTOR + size);
  const entries: PathTableEntry[] = [];
  for (let at = 0; at < table.length; ) {
    const idLength = table[at]!;
    if (idLength === 0) throw new Error(`path table entry at ${at} has an empty identifier`);
    entries.push({
      extent: order === 'L' ? table.readUInt32LE(at + 2) : table.readUInt32BE(at + 2),
      parent: order === 'L' ? table.readUInt16LE(at + 6) : table.readUInt16BE(at + 6),
      identifier: Buffer.from(table.subarray(at + 8, at + 8 + idLength)),
    });
    at += 8 + idLength + (idLength % 2);
  }
  return entries;
}

// All records of a directory, in on-disc order, including "." and "..".
export function readDirectory(image: Buffer, dir: DirRecord): DirRecord[] {
  if ((dir.flags & 0x02) === 0) throw new Error('not a directory');
  if (dir.size % SECTOR !== 0) throw new Error(`directory size ${dir.size} is not whole sectors`);
  const start = dir.extent * SECTOR;
  const end = start + dir.size;
  if (end > image.length) throw new Error('directory extends past the end of the image');
  const records: DirRecord[] = [];
  for (let at = start; at < end; ) {
    if (image[at] === 0) {
      at = (Math.floor(at / SECTOR) + 1) * SECTOR; // rest of this sector is padding
      continue;
    }
    const record = parseRecord(image, at);
    records.push(record);
    at += record.length;
  }
  return records;
}

// SUSP entries of a record, following CE continuation areas.
export function suspEntries(image: Buffer, record: DirRecord, skip = 0): SuspEntry[] {
  const entries: SuspEntry[] = [];
  let area = record.systemUse.subarray(skip);
  for (let guard = 0; guard < 32; guard++) {
    let next: Buffer | undefined;
    for (let at = 0; at + 4 <= area.length; ) {
      const length = area[at + 2]!;
      if (length < 4 || at + length > area.length) throw new Error(`bad SUSP entry length ${length}`);
      const entry = {
        signature: area.toString('latin1', at, at + 2),
        version: area[at + 3]!,
        data: Buffer.from(area.subarray(at + 4, at + length)),
      };
      if (entry.signature === 'ST') return entries;
      if (entry.signature === 'CE') {
        const block = both32(entry.data, 0, 'CE block');
        const offset = both32(entry.data, 8, 'CE offset');
        const size = both32(entry.data, 16, 'CE length');
        next = image.subarray(block * SECTOR + offset, block * SECTOR + offset + size);
      }
      entries.push(entry);
      at += length;
    }
    if (!next) return entries;
    area = next;
  }
  throw new Error('too many CE continuation areas');
}

export interface RockRidge {
  name?: string;
  mode?: number;
  links?: number;
  uid?: number;
  gid?: number;
}

// NM (joined across continuation entries) and PX.
export function rockRidge(entries: SuspEntry[]): RockRidge {
  const out: RockRidge = {};
  const nameParts: Buffer[] = [];
  for (const e of entries) {
    if (e.signature === 'NM') nameParts.push(e.data.subarray(1));
    if (e.signature === 'PX') {
      out.mode = both32(e.data, 0, 'PX mode');
      out.links = both32(e.data, 8, 'PX links');
      out.uid = both32(e.data, 16, 'PX uid');
      out.gid = both32(e.data, 24, 'PX gid');
    }
  }
  if (nameParts.length > 0) out.name = Buffer.concat(nameParts).toString('utf8');
  return out;
}

export function readFile(image: Buffer, record: DirRecord): Buffer {
  if (record.size === 0) return Buffer.alloc(0);
  const start = record.extent * SECTOR;
  if (start + record.size > image.length) throw new Error('file extends past the end of the image');
  return Buffer.from(image.subarray(start, start + record.size));
}

// The files of the root directory of each tree, keyed by the name that tree shows.
export interface IsoView {
  descriptors: ReturnType<typeof readDescriptors>;
  primary: Map<string, DirRecord>; // USER_DAT.;1
  joliet: Map<string, DirRecord>; // user-data
  rockRidge: Map<string, { record: DirRecord; rr: RockRidge }>; // user-data
  rootSelf: SuspEntry[]; // SUSP entries of the primary root's "." record
  rootParent: SuspEntry[];
}

export function readIso(image: Buffer): IsoView {
  const descriptors = readDescriptors(image);
  const primaryRecords = readDirectory(image, descriptors.primary.root);
  const [self, parent, ...files] = primaryRecords;
  if (!self || !parent || !self.identifier.equals(Buffer.from([0])) || !parent.identifier.equals(Buffer.from([1]))) {
    throw new Error('root directory does not start with "." and ".."');
  }
  const primary = new Map<string, DirRecord>();
  const rock = new Map<string, { record: DirRecord; rr: RockRidge }>();
  for (const record of files) {
    primary.set(record.identifier.toString('latin1'), record);
    const rr = rockRidge(suspEntries(image, record));
    if (rr.name !== undefined) rock.set(rr.name, { record, rr });
  }
  const joliet = new Map<string, DirRecord>();
  if (descriptors.joliet) {
    for (const record of readDirectory(image, descriptors.joliet.root).slice(2)) {
      joliet.set(ucs2ToString(record.identifier), record);
    }
  }
  return {
    descriptors,
    primary,
    joliet,
    rockRidge: rock,
    rootSelf: suspEntries(image, self),
    rootParent: suspEntries(image, parent),
  };
}
