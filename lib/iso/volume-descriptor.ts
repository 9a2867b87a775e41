// Volume descriptors (ECMA-119 8): the primary one, the Joliet supplementary one (same layout,
// UCS-2 text, escape sequence %/E for UCS-2 level 3), and the set terminator.
import { both16, both32, padAscii, padUcs2 } from './bytes.js';
import { descriptorDate } from './dates.js';
import { SECTOR } from './types.js';

export interface DescriptorFields {
  volumeId: string;
  volumeSectors: number;
  pathTableSize: number;
  pathTableL: number; // sector of the little-endian path table
  pathTableM: number; // sector of the big-endian path table
  rootRecord: Buffer; // the 34-byte record of the root directory
  date: Date;
}

const APPLICATION_ID = 'KUBENET';
const JOLIET_UCS2_LEVEL3 = Buffer.from('%/E', 'latin1');

function header(type: number): Buffer {
  const sector = Buffer.alloc(SECTOR);
  sector[0] = type;
  sector.write('CD001', 1, 'latin1');
  sector[6] = 1; // version
  return sector;
}

function describe(type: 1 | 2, fields: DescriptorFields): Buffer {
  const sector = header(type);
  const pad = type === 1 ? padAscii : padUcs2;
  pad(sector, 8, 32, ''); // system id
  pad(sector, 40, 32, fields.volumeId);
  both32(sector, 80, fields.volumeSectors);
  if (type === 2) JOLIET_UCS2_LEVEL3.copy(sector, 88);
  both16(sector, 120, 1); // volume set size
  both16(sector, 124, 1); // volume sequence number
  both16(sector, 128, SECTOR); // logical block size
  both32(sector, 132, fields.pathTableSize);
  sector.writeUInt32LE(fields.pathTableL, 140);
  sector.writeUInt32BE(fields.pathTableM, 148);
  fields.rootRecord.copy(sector, 156);
  pad(sector, 190, 128, ''); // volume set id
  pad(sector, 318, 128, ''); // publisher
  pad(sector, 446, 128, ''); // data preparer
  pad(sector, 574, 128, APPLICATION_ID);
  pad(sector, 702, 37, ''); // copyright file
  pad(sector, 739, 37, ''); // abstract file
  pad(sector, 776, 37, ''); // bibliographic file
  descriptorDate(fields.date).copy(sector, 813); // created
  descriptorDate(fields.date).copy(sector, 830); // modified
  descriptorDate(undefined).copy(sector, 847); // expires: never
  descriptorDate(fields.date).copy(sector, 864); // effective
  sector[881] = 1; // file structure version
  return sector;
}

export const primaryDescriptor = (fields: DescriptorFields): Buffer => describe(1, fields);
export const jolietDescriptor = (fields: DescriptorFields): Buffer => describe(2, fields);
export const terminator = (): Buffer => header(255);
