// Reading Ubuntu's SHA256SUMS: "<64 hex> *<name>" (binary) or "<64 hex>  <name>" (text) per line.
const line = /^([0-9a-fA-F]{64}) [ *](.+)$/;

export function parseSha256Sums(text: string): Map<string, string> {
  const sums = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const match = line.exec(raw.trimEnd());
    if (match) sums.set(match[2]!.replace(/^\.\//, ''), match[1]!.toLowerCase());
  }
  return sums;
}
