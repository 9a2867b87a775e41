// Path tables (ECMA-119 9.4) list every directory for fast lookup. kubenet's images have only the
// root, so each table holds one 10-byte entry; the L table is little-endian, the M table big-endian.

export const PATH_TABLE_SIZE = 10;

export function pathTable(rootExtent: number, order: 'L' | 'M'): Buffer {
  const entry = Buffer.alloc(PATH_TABLE_SIZE);
  entry[0] = 1; // identifier length: the root's identifier is one 0x00 byte
  entry[1] = 0; // no extended attribute record
  if (order === 'L') {
    entry.writeUInt32LE(rootExtent, 2);
    entry.writeUInt16LE(1, 6); // the root is its own parent
  } else {
    entry.writeUInt32BE(rootExtent, 2);
    entry.writeUInt16BE(1, 6);
  }
  entry[8] = 0x00; // identifier, then one pad byte to keep entries even
  return entry;
}
