// Root for vmnet: the macOS edition runs QEMU with sudo from step 6 on; -nic user needs none.
import { fail, ok, warn, type CheckResult } from './check.js';
import type { HostDescription } from './host-description.js';

export function checkSudo(host: HostDescription): CheckResult {
  if (!host.net.startsWith('vmnet')) return ok('sudo', `not needed (-nic ${host.net} runs without root)`);
  if (host.profile.hostOs !== 'darwin') return fail('sudo', `-nic ${host.net} exists only on macOS`, 'use --net user');
  if (host.isRoot) return ok('sudo', 'running as root');
  if (!host.tools.sudo)
    return fail(
      'sudo',
      `sudo not found, and -nic ${host.net} needs root`,
      'use an administrator account, or --net user',
    );
  if (host.sudoWithoutPassword) return ok('sudo', `works without asking now (-nic ${host.net} needs root)`);
  return warn(
    'sudo',
    `-nic ${host.net} needs root: sudo will ask for your password when a VM step starts (steps 6–11)`,
    'run sudo -v first, or --net user to need no root',
  );
}
