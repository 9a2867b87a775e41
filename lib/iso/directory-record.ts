// One directory record (ECMA-119 9.1). Records never cross a sector boundary and have even length.
import { both16, both32 } from './bytes.js';
import { recordDate } from './dates.js';

export const FLAG_DIRECTORY = 0x02;

export interface RecordFields {
  identifier: Buffer; // 0x00 for ".", 0x01 for "..", else the encoded name
  extent: number; // first sector
  size: number; // bytes
  date: Date;
  flags: number;
  systemUse?: Buffer; // SUSP / Rock Ridge entries
}

export function directoryRecord(fields: RecordFields): Buffer {
  const idLength = fields.identifier.length;
  const padId = idLength % 2 === 0 ? 1 : 0; // keeps the System Use field at an even offset
  const systemUse = fields.systemUse ?? Buffer.alloc(0);
  let length = 33 + idLength + padId + systemUse.length;
  length += length % 2;
  if (length > 255)
    throw new Error(`directory record too long (${length} bytes) for ${fields.identifier.toString('latin1')}`);
  const record = Buffer.alloc(length);
  record[0] = length;
  record[1] = 0; // no extended attribute record
  both32(record, 2, fields.extent);
  both32(record, 10, fields.size);
  recordDate(fields.date).copy(record, 18);
  record[25] = fields.flags;
  record[26] = 0; // not interleaved
  record[27] = 0;
  both16(record, 28, 1); // volume sequence number
  record[32] = idLength;
  fields.identifier.copy(record, 33);
  systemUse.copy(record, 33 + idLength + padId);
  return record;
}

// Lays records into whole sectors, starting a new sector when the next record would not fit.
export function packSectors(records: Buffer[], sector = 2048): Buffer {
  const sectors: Buffer[] = [];
  let current = Buffer.alloc(sector);
  let used = 0;
  for (const record of records) {
    if (used + record.length > sector) {
      sectors.push(current);
      current = Buffer.alloc(sector);
      used = 0;
    }
    record.copy(current, used);
    used += record.length;
  }
  sectors.push(current);
  return Buffer.concat(sectors);
}

// How many bytes packSectors will produce, without building the records' sectors.
export function packedSize(lengths: number[], sector = 2048): number {
  let sectors = 1;
  let used = 0;
  for (const length of lengths) {
    if (used + length > sector) {
      sectors++;
      used = 0;
    }
    used += length;
  }
  return sectors * sector;
}
