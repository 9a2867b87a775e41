// A QEMU argv read as options: `-m 2G` is one option, `-nodefaults` another. The one list of
// QEMU flags that take no value lives here; printing, explaining and boot control all use it.
export const valuelessFlags: ReadonlySet<string> = new Set([
  '-nographic',
  '-nodefaults',
  '-no-reboot',
  '-no-shutdown',
  '-S',
  '-snapshot',
  '-daemonize',
  '-enable-kvm',
]);

export type Option = string[]; // [flag] | [flag, value] | [positional]

// [-m, 2G, -nodefaults, file] → [[-m, 2G], [-nodefaults], [file]]
export function groupArgs(args: readonly string[], valueless: ReadonlySet<string> = valuelessFlags): Option[] {
  const groups: Option[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const takesValue = word.startsWith('-') && !valueless.has(word) && i + 1 < args.length;
    groups.push(takesValue ? [word, args[++i]!] : [word]);
  }
  return groups;
}

// `vc,id=monitor` → { head: 'vc', props: { id: 'monitor' } }; a doubled comma is a literal one.
export function readOpts(value: string): { head: string; props: Map<string, string> } {
  const parts = value
    .replaceAll(',,', '\0')
    .split(',')
    .map((p) => p.replaceAll('\0', ','));
  const props = new Map<string, string>();
  let head = '';
  parts.forEach((part, i) => {
    const eq = part.indexOf('=');
    if (eq === -1 && i === 0) head = part;
    else if (eq === -1) props.set(part, 'on');
    else props.set(part.slice(0, eq), part.slice(eq + 1));
  });
  return { head, props };
}

// QEMU doubles a comma inside a value.
export const escapeOptValue = (value: string): string => value.replaceAll(',', ',,');
