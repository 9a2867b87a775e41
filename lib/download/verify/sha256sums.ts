// Reading Ubuntu's SHA256SUMS: "<64 hex> *<name>" (binary) or "<64 hex>  <name>" (text) per line,
// maybe with a byte-order mark and CRLF line ends (a file saved on Windows) — upstream's, a
// mirror's, or one a user keeps beside a file they downloaded themselves.
import { readSmallFile } from '../../fs/read-small-file.js';
import { join } from 'node:path';
import { ExitCode, KubenetError } from '../../errors.js';

const line = /^([0-9a-fA-F]{64}) [ *](.+)$/;

// Every distinct digest listed for each name: more than one is a broken file, not a choice.
export function parseSha256Sums(text: string): Map<string, string[]> {
  const sums = new Map<string, string[]>();
  for (const raw of text.replace(/^\uFEFF/, '').split('\n')) {
    const match = line.exec(raw.trimEnd());
    if (!match) continue;
    const name = match[2]!.replace(/^\.\//, '');
    const digest = match[1]!.toLowerCase();
    const known = sums.get(name) ?? [];
    if (!known.includes(digest)) sums.set(name, [...known, digest]);
  }
  return sums;
}

// The one digest `text` lists for `name`, or undefined when it lists none. `from` names the file
// in the error when it lists two: a SHA256SUMS that contradicts itself verifies nothing.
export const digestIn = (text: string, name: string, from: string): string | undefined =>
  digestOf(parseSha256Sums(text), name, from);

// The same, from a SHA256SUMS already read.
export function digestOf(listing: Map<string, string[]>, name: string, from: string): string | undefined {
  const digests = listing.get(name);
  if (digests && digests.length > 1) {
    throw new KubenetError(`${from} lists two different digests for ${name}: ${digests.join(' and ')}`, {
      code: ExitCode.download,
      hint:
        'A SHA256SUMS that contradicts itself cannot verify anything: it is ' +
        'broken, or was being updated. Fetch it again, or use another mirror.',
    });
  }
  return digests?.[0];
}

// A SHA256SUMS on this machine (`path`, or the one in the folder `path`): undefined when there is
// none; else the file and the digest it lists for `name`, if any.
export async function localSums(
  path: string,
  name: string,
  { folder = false } = {},
): Promise<{ from: string; sha256?: string } | undefined> {
  const from = folder ? join(path, 'SHA256SUMS') : path;
  let text: string;
  try {
    text = readSmallFile(from, from);
  } catch (error) {
    if (error instanceof KubenetError) throw error; // a FIFO, a device, a file too big
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && folder) return undefined;
    throw new KubenetError(
      `cannot read ${from}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      { code: ExitCode.usage, cause: error, hint: 'Give the SHA256SUMS published beside the image (--sums FILE).' },
    );
  }
  const sha256 = digestIn(text, name, from);
  return sha256 ? { from, sha256 } : { from };
}
