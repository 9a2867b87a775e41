// QEMU's `head,key=value,…` option syntax. A comma inside a value is written as two commas,
// so a path such as `/tmp/a,b/serial.log` cannot split into a bogus extra option.
import type { Props } from './vm-spec.js';

export const escapeOptValue = (value: string): string => value.replaceAll(',', ',,');

const propValue = (value: string | number | boolean): string =>
  typeof value === 'boolean' ? (value ? 'on' : 'off') : escapeOptValue(String(value));

// `virt` + { accel: 'hvf', highmem: 'on' } → `virt,accel=hvf,highmem=on`; the head is not escaped
// because it is a backend or driver name chosen by code, never a path.
export function qemuOpts(head: string | undefined, props: Props = {}): string {
  const parts = head === undefined ? [] : [head];
  for (const [key, value] of Object.entries(props)) parts.push(`${key}=${propValue(value)}`);
  return parts.join(',');
}
