// Every check, in the order a user fixes things, and the exit code they add up to.
import { ExitCode } from '../errors.js';
import { checkAccel } from './check-accel.js';
import { checkCluster } from './check-cluster.js';
import { checkAuthTools } from './check-auth-tools.js';
import { checkDisk } from './check-disk.js';
import { checkFirmware } from './check-firmware.js';
import { checkQemu, checkQemuImg } from './check-qemu.js';
import { checkSsh } from './check-ssh.js';
import { checkSudo } from './check-sudo.js';
import type { CheckResult } from './check.js';
import type { HostDescription } from './host-description.js';

export function runChecks(host: HostDescription): CheckResult[] {
  return [
    checkQemu(host),
    checkQemuImg(host),
    checkFirmware(host),
    checkAccel(host),
    checkDisk(host),
    ...checkSsh(host),
    checkSudo(host),
    ...checkCluster(host),
    ...checkAuthTools(host),
  ];
}

export const doctorExitCode = (results: CheckResult[]): number =>
  results.some((r) => r.level === 'fail') ? ExitCode.host : ExitCode.ok;

export function formatResults(results: CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.check.length));
  const lines = results.map(
    (r) =>
      `${r.level.padEnd(4)}  ${r.check.padEnd(width)}  ${r.text}${r.fix ? `\n${' '.repeat(width + 8)}→ ${r.fix}` : ''}`,
  );
  const fails = results.filter((r) => r.level === 'fail').length;
  const warns = results.filter((r) => r.level === 'warn').length;
  lines.push(
    '',
    fails
      ? `${fails} failed, ${warns} warning${warns === 1 ? '' : 's'}: fix the failures before kubenet run`
      : `ready${warns ? ` (${warns} warning${warns === 1 ? '' : 's'})` : ''}`,
  );
  return lines.join('\n');
}
