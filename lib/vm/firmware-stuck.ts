// A guest that cannot boot does not exit: the firmware waits in its shell or boot manager, GRUB
// at its prompt. When a wait for the console times out, these lines say why.
const stuck: Array<{ pattern: RegExp; hint: string }> = [
  {
    pattern: /Access Denied/,
    hint:
      'the firmware refused the boot loader ("Access Denied"): it ' +
      'enforces Secure Boot; choose firmware without secure boot',
  },
  {
    pattern: /BdsDxe: failed to (?:load|start)/,
    hint:
      'the firmware found nothing it could boot ("BdsDxe: failed"): check ' +
      'that the ISO or disk is attached and holds an EFI boot loader',
  },
  {
    pattern: /Shell>|UEFI Interactive Shell/,
    hint:
      'the firmware fell through to the UEFI shell: no boot device ' +
      'worked; check the disk/ISO arguments and the boot order',
  },
  {
    pattern: /grub>|grub rescue>/,
    hint: 'GRUB stopped at its prompt: it could not find its configuration or the kernel on the boot disk',
  },
];

// The first stuck-firmware sign in the serial tail, unless `until` was waiting for exactly that.
export function firmwareStuckHint(lines: string[], until?: RegExp): string | undefined {
  for (const { pattern, hint } of stuck) {
    const line = lines.find((l) => pattern.test(l));
    if (line === undefined) continue;
    if (until && new RegExp(until.source, until.flags.replace(/[gy]/g, '')).test(line)) continue;
    return hint;
  }
  return undefined;
}
