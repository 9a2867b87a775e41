// Reading Ubuntu's SHA256SUMS: "<64 hex> *<name>" (binary) or "<64 hex>  <name>" (text) per line,
// maybe with a byte-order mark and CRLF line ends (a file saved on Windows).
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
