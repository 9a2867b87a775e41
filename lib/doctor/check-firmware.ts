// UEFI firmware: what 00-qemu would pick, or the package that provides it.
import { fail, ok, type CheckResult } from './check.js';
import type { HostDescription } from './host-description.js';

export function checkFirmware(host: HostDescription): CheckResult {
  const fw = host.firmware;
  if ('error' in fw)
    return fail('firmware', fw.error, fw.hint ?? 'install UEFI firmware for QEMU, or pass --firmware FILE');
  const how = fw.mode === 'pflash' ? `pflash, variables from ${fw.vars}` : '-bios';
  return ok('firmware', `${fw.code} (${how}) — ${fw.why}`);
}
