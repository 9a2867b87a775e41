// The ranges a VM's numbers must fall in, checked once wherever they are given (the command line,
// KUBENET_*, kubenet.yaml and its cluster:), so a typo is a usage error up front — not QEMU's
// words half-way through a run, a zero-sized disk, or 10^11 vCPUs. The bounds are wide: what a
// QEMU machine or qcow2 could take at all, not what this host can give (q35 takes 288 vCPUs and
// virt 512 on QEMU 7.2; qcow2 with its default clusters up to about 2 PiB).
import { ExitCode, KubenetError } from '../errors.js';

const units = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 } as const;
// `plain`: what a number without a unit counts — QEMU's -m takes MiB, qemu-img's size bytes.
export const sizeRanges = {
  memory: { min: 16 * units.M, max: 16 * units.T, shown: '16M to 16T', plain: units.M },
  disk: { min: units.M, max: 1024 * units.T, shown: '1M to 1024T', plain: 1 },
} as const;
export const maxCpus = 1024;

const usage = (message: string, hint: string) => new KubenetError(message, { code: ExitCode.usage, hint });

// A size as QEMU and qemu-img take it (2G, 512M, a number of bytes), within `range`; `what`
// names the setting as the user gave it (--memory, KUBENET_DISK_SIZE, "memory: in FILE,").
export function checkedSize(what: string, value: string, range: (typeof sizeRanges)[keyof typeof sizeRanges], example: string): string {
  const m = /^(\d+)([KMGT]?)$/.exec(value);
  if (!m) throw usage(`${what} ${value} is not a size like ${example}`, `a number with K, M, G or T (e.g. ${example})`);
  const bytes = Number(m[1]) * (m[2] ? units[m[2] as keyof typeof units] : range.plain);
  if (!(bytes >= range.min && bytes <= range.max)) throw usage(`${what} ${value} is out of range: from ${range.shown}`, `e.g. ${example}`);
  return value;
}

// A count of vCPUs: a whole number from 1 to maxCpus.
export function checkedCpus(what: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1 || value > maxCpus) throw usage(`${what} ${value} is not a whole number from 1 to ${maxCpus}`, 'e.g. 2 (QEMU may allow fewer: q35 takes up to 288, virt 512)');
  return value;
}

// A yes/no setting written as text (KUBENET_OFFLINE=1): only these words, so a typo is no silent "no".
export function checkedSwitch(what: string, value: string): boolean {
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw usage(`${what}=${value} is not yes or no`, `${what}=1 (or true, yes, on) turns it on; 0 (false, no, off) or unset turns it off`);
}
