// `kubenet console VM`: attaches this terminal to a running VM's serial console (vm/console-client.ts)
// until Ctrl-]; the VM runs on. One console at a time per VM (QEMU serves one client): a second is
// refused, naming the first. A VM whose console is elsewhere — the terminal of a foreground run,
// QEMU's window — is said so.
import { ExitCode, KubenetError } from '../../errors.js';
import type { CommandInput } from '../command-input.js';
import { vmNames } from '../../vm/vm-report.js';
import { namedVm, unknownVm } from '../../ssh/vm-target.js';
import { runningVm } from '../../vm/already-up.js';
import { existsSync } from 'node:fs';
import { attachConsole } from '../../vm/attach-console.js';
import { escapeName } from '../../vm/console-client.js';

export async function consoleCommand({ line, paths, settings }: CommandInput): Promise<number> {
  const known = await vmNames(paths);
  if (line.words.length !== 1) {
    throw new KubenetError('console takes one VM', {
      code: ExitCode.usage,
      hint: `e.g. kubenet console ${known[0] ?? 'ubuntu0'} (kubenet status lists the VMs)`,
    });
  }
  const { vm } = await namedVm(settings, line.words[0]!);
  if (!known.includes(vm)) throw unknownVm(line.words[0]!, known, paths.vms);
  const up = await runningVm(paths, vm);
  if (!up)
    throw new KubenetError(`${vm} is not running`, {
      code: ExitCode.vm,
      hint: `its last console output is in ${paths.vmFile(vm, 'serial.log')}`,
    });
  const socketPath = paths.vmFile(vm, 'console.sock');
  if (!existsSync(socketPath)) {
    const where =
      up.record?.console === 'terminal'
        ? `the terminal where kubenet runs it (pid ${up.record.kubenet})`
        : up.record?.console === 'window'
          ? "QEMU's window"
          : `not on a socket: its output is in ${paths.vmFile(vm, 'serial.log')}`;
    throw new KubenetError(`${vm}'s console is ${where}`, {
      code: ExitCode.vm,
      hint: 'a VM kubenet started headless, detached or at a terminal has a console kubenet console attaches to',
    });
  }
  const say = (text: string) => process.stderr.write(`${text}\r\n`);
  const end = await attachConsole(
    paths,
    vm,
    socketPath,
    { input: process.stdin, output: process.stdout },
    {
      attached: () =>
        say(
          `attached to ${vm}'s serial console: ${escapeName} leaves it, and the VM ` +
            `keeps running${process.stdin.isTTY ? ' (press Enter for a prompt)' : ''}`,
        ),
    },
  );
  if (end === 'vm-stopped') say(`\r\n${vm}'s console closed: the VM has stopped (see kubenet status)`);
  else
    say(
      `\r\nleft ${vm}'s console; it keeps running (kubenet console ${vm} comes back, kubenet stop ${vm} powers it off)`,
    );
  return ExitCode.ok;
}
