// What a qcow2 image says about its backing file, read from its header in-process (no qemu-img
// needed): the name as written — relative names resolve from the overlay's own folder — and the
// backing format when the image records it. Layout: QEMU's docs/interop/qcow2.txt.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

export interface Qcow2Backing {
  backing?: string; // the backing file name, as written in the header
  backingFormat?: string; // the "backing file format name" header extension
}

const magic = 0x514649fb; // 'QFI\xfb'
const backingFormatExtension = 0xe2792aca;
const maxBackingName = 1023; // QEMU refuses longer names

// undefined when the file is not a qcow2 image (raw disks, ISOs, anything else).
export async function readQcow2Backing(path: string): Promise<Qcow2Backing | undefined> {
  const file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK); // a FIFO never blocks the scan
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    if (bytesRead < 72 || head.readUInt32BE(0) !== magic) return undefined;
    const version = head.readUInt32BE(4);
    if (version !== 2 && version !== 3) return undefined;
    const result: Qcow2Backing = {};
    const nameOffset = head.readBigUInt64BE(8);
    const nameSize = head.readUInt32BE(16);
    if (nameOffset > 0n && nameSize > 0 && nameSize <= maxBackingName) {
      const name = Buffer.alloc(nameSize);
      const read = await file.read(name, 0, nameSize, Number(nameOffset));
      result.backing = name.subarray(0, read.bytesRead).toString('utf8');
    }
    // Header extensions follow the header (72 bytes in version 2, header_length in version 3).
    let at = version === 3 ? head.readUInt32BE(100) : 72;
    while (at + 8 <= bytesRead) {
      const type = head.readUInt32BE(at);
      const length = head.readUInt32BE(at + 4);
      if (type === 0 || at + 8 + length > bytesRead) break;
      if (type === backingFormatExtension)
        result.backingFormat = head.subarray(at + 8, at + 8 + length).toString('utf8');
      at += 8 + Math.ceil(length / 8) * 8;
    }
    return result;
  } finally {
    await file.close();
  }
}
