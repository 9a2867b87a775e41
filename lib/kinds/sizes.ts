// Sizes as QEMU and qemu-img take them (2G, 512M, a plain number), each within the range a QEMU
// machine or a qcow2 could take at all — not what this host can give — so a typo is a usage error
// up front, not QEMU's words half-way through a run or a zero-sized disk (qcow2 with its default
// clusters takes up to about 2 PiB). The number is written in digits, as every number is.
import { type Kind, usage } from './kind.js';

const units = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 } as const;
// `plain`: what a number without a unit counts — QEMU's -m takes MiB, qemu-img's size bytes.
export const sizeRanges = {
  memory: { min: 16 * units.M, max: 16 * units.T, shown: '16M to 16T', plain: units.M },
  disk: { min: units.M, max: 1024 * units.T, shown: '1M to 1024T', plain: 1 },
} as const;
type SizeRange = (typeof sizeRanges)[keyof typeof sizeRanges];

// The size as given, checked; `what` names it as the user gave it (--memory, KUBENET_DISK_SIZE,
// "memory: in FILE,", "kubenet.yaml cluster: disk-size").
export function checkedSize(what: string, value: string, range: SizeRange, example: string): string {
  const m = /^(\d+)([KMGT]?)$/.exec(value);
  if (!m) throw usage(`${what} ${value} is not a size like ${example}`, `a number with K, M, G or T (e.g. ${example})`);
  const bytes = Number(m[1]) * (m[2] ? units[m[2] as keyof typeof units] : range.plain);
  if (!(bytes >= range.min && bytes <= range.max)) {
    throw usage(`${what} ${value} is out of range: from ${range.shown}`, `e.g. ${example}`);
  }
  return value;
}

export const size = (range: SizeRange, example: string): Kind<string> => ({
  word: 'SIZE',
  parse: (text, at) => checkedSize(at.name, text, range, example),
});
