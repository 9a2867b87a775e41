// Builds a cloud-init NoCloud seed (or any flat, read-only ISO) in memory, with no external tool:
// ISO 9660 primary tree + Rock Ridge for Linux, Joliet for everyone else. Same input, same bytes.
//
// Layout, in 2048-byte sectors:
//   0-15 system area (zeros) | 16 primary descriptor | 17 Joliet descriptor | 18 terminator
//   19-20 primary path tables L, M | 21-22 Joliet path tables L, M
//   primary root directory | Joliet root directory | file data, each file from a sector start
import { sectorsFor, ucs2 } from './bytes.js';
import { directoryRecord, FLAG_DIRECTORY, packedSize, packSectors } from './directory-record.js';
import { assignNames, checkVolumeId, comparePrimary, compareJoliet, type IsoNames } from './names.js';
import { PATH_TABLE_SIZE, pathTable } from './path-table.js';
import * as rock from './rock-ridge.js';
import { DEFAULT_DATE, SECTOR, type IsoFile, type IsoOptions } from './types.js';
import { jolietDescriptor, primaryDescriptor, terminator } from './volume-descriptor.js';
import { ExitCode, KubenetError } from '../errors.js';

export type { IsoFile, IsoOptions } from './types.js';

interface Entry extends IsoNames {
  data: Buffer;
  extent: number;
}

const FIRST_DIRECTORY = 23;
const SELF = Buffer.from([0]);
const PARENT = Buffer.from([1]);

type Tree = 'primary' | 'joliet';

// The records of one root directory: ".", "..", then the files in the order the standard asks.
function rootRecords(tree: Tree, entries: Entry[], extent: number, size: number, date: Date): Buffer[] {
  const rockRidge = tree === 'primary';
  const dir = { extent, size, date, flags: FLAG_DIRECTORY };
  const records = [
    directoryRecord({ ...dir, identifier: SELF, ...(rockRidge && { systemUse: rock.rootSelf() }) }),
    directoryRecord({ ...dir, identifier: PARENT, ...(rockRidge && { systemUse: rock.rootParent() }) }),
  ];
  const sorted = [...entries].sort((a, b) =>
    tree === 'primary' ? comparePrimary(a.primary, b.primary) : compareJoliet(a.joliet, b.joliet),
  );
  for (const entry of sorted) {
    records.push(
      directoryRecord({
        identifier: tree === 'primary' ? Buffer.from(entry.primary, 'latin1') : ucs2(entry.joliet),
        extent: entry.extent,
        size: entry.data.length,
        date,
        flags: 0,
        ...(rockRidge && { systemUse: rock.file(entry.given) }),
      }),
    );
  }
  return records;
}

function checkDate(date: Date): void {
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || year < 1900 || year > 2155) {
    throw new KubenetError(`ISO timestamps must fall in 1900-2155, got ${String(date)}`, {
      code: ExitCode.usage,
      hint: 'Pass a date between 1900 and 2155, or leave it out for the fixed default (2000-01-01).',
    });
  }
}

// Returns the whole image. Seeds are a few kilobytes, so building in memory is the simple choice.
export function buildIso(files: IsoFile[], options: IsoOptions): Buffer {
  checkVolumeId(options.volumeId);
  const date = options.date ?? DEFAULT_DATE;
  checkDate(date);
  const names = assignNames(files.map((f) => f.name));
  const entries: Entry[] = files.map((f, i) => ({
    ...names[i]!,
    data: typeof f.data === 'string' ? Buffer.from(f.data, 'utf8') : f.data,
    extent: 0,
  }));

  // Record lengths do not depend on extents, so measure with placeholders, then place everything.
  const measure = (tree: Tree) => packedSize(rootRecords(tree, entries, 0, 0, date).map((r) => r.length));
  const primarySize = measure('primary');
  const jolietSize = measure('joliet');
  const primaryExtent = FIRST_DIRECTORY;
  const jolietExtent = primaryExtent + primarySize / SECTOR;
  let next = jolietExtent + jolietSize / SECTOR;
  for (const entry of entries) {
    // Empty files own no sector; extent 0 is what ISO tools write for them.
    entry.extent = entry.data.length === 0 ? 0 : next;
    next += sectorsFor(entry.data.length);
  }
  const volumeSectors = next;

  const image = Buffer.alloc(volumeSectors * SECTOR);
  const at = (sector: number) => sector * SECTOR;
  const primaryDir = packSectors(rootRecords('primary', entries, primaryExtent, primarySize, date));
  const jolietDir = packSectors(rootRecords('joliet', entries, jolietExtent, jolietSize, date));
  const rootOf = (extent: number, size: number) =>
    directoryRecord({ identifier: SELF, extent, size, date, flags: FLAG_DIRECTORY });
  const common = { volumeId: options.volumeId, volumeSectors, pathTableSize: PATH_TABLE_SIZE, date };

  primaryDescriptor({ ...common, pathTableL: 19, pathTableM: 20, rootRecord: rootOf(primaryExtent, primarySize) }).copy(
    image,
    at(16),
  );
  jolietDescriptor({ ...common, pathTableL: 21, pathTableM: 22, rootRecord: rootOf(jolietExtent, jolietSize) }).copy(
    image,
    at(17),
  );
  terminator().copy(image, at(18));
  pathTable(primaryExtent, 'L').copy(image, at(19));
  pathTable(primaryExtent, 'M').copy(image, at(20));
  pathTable(jolietExtent, 'L').copy(image, at(21));
  pathTable(jolietExtent, 'M').copy(image, at(22));
  primaryDir.copy(image, at(primaryExtent));
  jolietDir.copy(image, at(jolietExtent));
  for (const entry of entries) entry.data.copy(image, at(entry.extent));
  return image;
}
