// Rock Ridge (RRIP 1991A) on top of SUSP: the System Use entries that give Linux the real
// file name (NM) and POSIX mode (PX). Each entry is: 2-letter signature, length, version 1, data.
import { both32 } from './bytes.js';

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
export const DIR_MODE = S_IFDIR | 0o555; // read-only medium: r-xr-xr-x
export const FILE_MODE = S_IFREG | 0o444; // r--r--r--

function entry(signature: string, data: Buffer): Buffer {
  const head = Buffer.from([signature.charCodeAt(0), signature.charCodeAt(1), 4 + data.length, 1]);
  return Buffer.concat([head, data]);
}

// SP: "SUSP is in use here", only in the first record ("." ) of the root directory.
export const sp = (): Buffer => entry('SP', Buffer.from([0xbe, 0xef, 0]));

// RR (RRIP 1.09): which Rock Ridge entries follow; older readers rely on it.
const RR_PX = 0x01;
const RR_NM = 0x08;
export const rr = (hasName: boolean): Buffer => entry('RR', Buffer.from([RR_PX | (hasName ? RR_NM : 0)]));

// PX: mode, links, uid, gid, each both-endian (the 36-byte 1991A form, without a serial number).
export function px(mode: number, links: number): Buffer {
  const data = Buffer.alloc(32);
  both32(data, 0, mode);
  both32(data, 8, links);
  both32(data, 16, 0); // uid root
  both32(data, 24, 0); // gid root
  return entry('PX', data);
}

// NM: the name as given, flags 0 (complete, not a continuation).
export const nm = (name: string): Buffer => entry('NM', Buffer.concat([Buffer.from([0]), Buffer.from(name, 'utf8')]));

// ER: names the extension in use. The identifier is what readers check; the two texts are free.
const ER_ID = 'RRIP_1991A';
const ER_DESCRIPTOR = 'ROCK RIDGE INTERCHANGE PROTOCOL: POSIX NAMES AND MODES ON ISO 9660';
const ER_SOURCE = 'IEEE P1282';
export function er(): Buffer {
  const head = Buffer.from([ER_ID.length, ER_DESCRIPTOR.length, ER_SOURCE.length, 1]);
  return entry('ER', Buffer.concat([head, Buffer.from(ER_ID + ER_DESCRIPTOR + ER_SOURCE, 'latin1')]));
}

// What each kind of record carries in its System Use field.
export const rootSelf = (): Buffer => Buffer.concat([sp(), rr(false), px(DIR_MODE, 2), er()]);
export const rootParent = (): Buffer => Buffer.concat([rr(false), px(DIR_MODE, 2)]);
export const file = (name: string): Buffer => Buffer.concat([rr(true), nm(name), px(FILE_MODE, 1)]);
