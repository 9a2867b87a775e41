// ISO 9660 stores most numbers twice, little-endian then big-endian ("both-byte order"), so readers
// on either kind of machine can use them as is (ECMA-119 7.2.3 and 7.3.3).

export function both16(buffer: Buffer, offset: number, value: number): void {
  buffer.writeUInt16LE(value, offset);
  buffer.writeUInt16BE(value, offset + 2);
}

export function both32(buffer: Buffer, offset: number, value: number): void {
  buffer.writeUInt32LE(value, offset);
  buffer.writeUInt32BE(value, offset + 4);
}

// Fixed-width text fields are padded with spaces; Joliet fields hold UCS-2 big-endian spaces.
export function padAscii(buffer: Buffer, offset: number, width: number, text: string): void {
  buffer.fill(0x20, offset, offset + width);
  buffer.write(text.slice(0, width), offset, 'latin1');
}

export function padUcs2(buffer: Buffer, offset: number, width: number, text: string): void {
  for (let i = 0; i + 1 < width; i += 2) buffer.writeUInt16BE(0x0020, offset + i);
  if (width % 2 === 1) buffer[offset + width - 1] = 0x00; // odd-width fields (file ids) end in a NUL
  ucs2(text).copy(buffer, offset, 0, Math.min(width - (width % 2), text.length * 2));
}

// UCS-2 big-endian, as Joliet requires (Node's 'utf16le' is little-endian, so swap).
export function ucs2(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

export const sectorsFor = (bytes: number, sector = 2048): number => Math.ceil(bytes / sector);
