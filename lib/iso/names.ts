// One name per tree: ISO 9660 level 1 (8.3, upper case, ';1') for the primary tree, UCS-2 for
// Joliet, and the name as given for Rock Ridge NM. Linux shows the Rock Ridge name, Windows and
// macOS the Joliet one; the primary name is only the fallback every reader understands.
import { ExitCode, KubenetError } from '../errors.js';

export interface IsoNames {
  given: string; // Rock Ridge NM (UTF-8)
  primary: string; // e.g. USER_DAT.;1
  joliet: string; // e.g. user-data (encoded as UCS-2 when written; no ';1', as genisoimage writes it)
}

const JOLIET_MAX = 64; // UCS-2 characters in a Joliet file identifier
const ROCK_RIDGE_MAX = 150; // UTF-8 bytes; keeps a file's directory record within 255 bytes
// Characters Joliet forbids in identifiers, besides control characters.
const JOLIET_FORBIDDEN = /[*/:;?\\]/;

function invalid(name: string, why: string): KubenetError {
  return new KubenetError(`cannot put ${JSON.stringify(name)} in an ISO image: ${why}`, {
    code: ExitCode.usage,
    hint: 'Use a plain file name such as user-data, meta-data, network-config or vendor-data.',
  });
}

export function checkName(name: string): void {
  if (name === '' || name === '.' || name === '..') throw invalid(name, 'it is not a file name');
  if (/[\u0000-\u001f]/.test(name) || JOLIET_FORBIDDEN.test(name)) {
    throw invalid(name, 'it contains a control character or one of * / : ; ? \\');
  }
  if (/[\ud800-\udfff]/.test(name))
    throw invalid(name, 'Joliet names hold only UCS-2 (no emoji or other astral characters)');
  if (name.length > JOLIET_MAX) throw invalid(name, `Joliet names are at most ${JOLIET_MAX} characters`);
  if (Buffer.byteLength(name, 'utf8') > ROCK_RIDGE_MAX)
    throw invalid(name, `names are at most ${ROCK_RIDGE_MAX} UTF-8 bytes`);
}

// d-characters only: A-Z, 0-9 and '_'; everything else becomes '_'.
const dChars = (text: string) => text.toUpperCase().replace(/[^A-Z0-9_]/g, '_');

function splitLevel1(name: string): { base: string; ext: string } {
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 ? name.slice(0, dot) : name;
  const ext = dot > 0 ? name.slice(dot + 1) : '';
  return { base: dChars(stem).slice(0, 8) || '_', ext: dChars(ext).slice(0, 3) };
}

// Gives every file a distinct 8.3 name: user-data and user-datb both shorten to USER_DAT, so
// later ones end in a counter (USER_DA1, USER_DA2, …).
export function assignNames(given: string[]): IsoNames[] {
  const seen = new Set<string>();
  const exact = new Set<string>();
  return given.map((name) => {
    checkName(name);
    if (exact.has(name)) throw invalid(name, 'two files have this name');
    exact.add(name);
    const { base, ext } = splitLevel1(name);
    let candidate = base;
    for (let n = 1; seen.has(`${candidate}.${ext}`); n++) {
      const suffix = String(n);
      candidate = base.slice(0, 8 - suffix.length) + suffix;
    }
    seen.add(`${candidate}.${ext}`);
    return { given: name, primary: `${candidate}.${ext};1`, joliet: name };
  });
}

// ECMA-119 9.3: records sort by name, then extension, each compared as if padded with spaces.
export function comparePrimary(a: string, b: string): number {
  const parts = (id: string) => {
    const [file = '', version = ''] = id.split(';');
    const dot = file.indexOf('.');
    return { name: dot < 0 ? file : file.slice(0, dot), ext: dot < 0 ? '' : file.slice(dot + 1), version };
  };
  const pa = parts(a);
  const pb = parts(b);
  const width = (x: string, y: string) => Math.max(x.length, y.length);
  const byName = compareBytes(pa.name.padEnd(width(pa.name, pb.name)), pb.name.padEnd(width(pa.name, pb.name)));
  if (byName !== 0) return byName;
  return compareBytes(pa.ext.padEnd(width(pa.ext, pb.ext)), pb.ext.padEnd(width(pa.ext, pb.ext)));
}

// Joliet trees sort by the UCS-2 code units of the identifier.
export function compareJoliet(a: string, b: string): number {
  return compareBytes(a, b);
}

function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// Volume ids go into the primary descriptor (32 bytes) and the Joliet one (16 UCS-2 characters).
// Like genisoimage, kubenet keeps the case given: blkid then reports LABEL="cidata".
export function checkVolumeId(volumeId: string): void {
  if (!/^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(volumeId) || volumeId.length > 16) {
    throw new KubenetError(`invalid ISO volume id ${JSON.stringify(volumeId)}`, {
      code: ExitCode.usage,
      hint: 'Use 1 to 16 printable ASCII characters, e.g. cidata (the label cloud-init NoCloud looks for).',
    });
  }
}
