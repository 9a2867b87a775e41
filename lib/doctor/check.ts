// One line of `kubenet doctor`: what was checked, how it went, and the fix when it is not ok.
export type Level = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  check: string; // short name: qemu, qemu-img, firmware, accelerator, disk, ssh, sudo
  level: Level;
  text: string;
  fix?: string;
}

export const ok = (check: string, text: string): CheckResult => ({ check, level: 'ok', text });
export const warn = (check: string, text: string, fix: string): CheckResult => ({ check, level: 'warn', text, fix });
export const fail = (check: string, text: string, fix: string): CheckResult => ({ check, level: 'fail', text, fix });
