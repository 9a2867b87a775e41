// The QEMU command as a pure function of a VM description: same spec, same argv, and no
// probing of the host. Options come out in the guide's order (chapter 1, steps 2–11), so the
// argv of a guide step is the guide's command token for token.
import { ExitCode, KubenetError } from '../errors.js';
import type { Command } from '../command.js';
import { ArgList } from './arg-list.js';
import { qemuOpts } from './qemu-opts.js';
import type { Firmware, Nic, Peripheral, VmSpec } from './vm-spec.js';

export type QemuCommand = Command & { sudo: boolean };

export function buildCommand(spec: VmSpec): QemuCommand {
  const a = new ArgList();
  if (spec.nographic) a.add('-nographic');
  if (spec.nodefaults) a.add('-nodefaults');
  const { type, accel, props } = spec.machine;
  a.add('-machine', qemuOpts(type, { ...(accel ? { accel } : {}), ...props }));
  if (spec.cpu) a.add('-cpu', qemuOpts(spec.cpu.model, spec.cpu.props));
  if (spec.smp !== undefined) a.add('-smp', String(spec.smp));
  if (spec.memory !== undefined) a.add('-m', spec.memory);

  const consoles = spec.consoles ?? {};
  checkUniqueIds((consoles.chardevs ?? []).map((c) => c.id));
  for (const c of consoles.chardevs ?? []) a.add('-chardev', qemuOpts(c.backend, { id: c.id, ...c.props }));
  for (const id of consoles.mons ?? []) a.add('-mon', id);
  for (const serial of consoles.serials ?? []) a.add('-serial', serial);
  if (consoles.vga !== undefined) a.add('-vga', consoles.vga);

  if (spec.firmware) addFirmware(a, spec.firmware);
  if (spec.cdrom !== undefined) a.add('-cdrom', spec.cdrom);
  for (const nic of spec.nics ?? []) a.add('-nic', nicOpts(nic));
  if (spec.hda !== undefined) a.add('-hda', spec.hda);
  for (const p of spec.peripherals ?? []) addPeripheral(a, p);
  for (const drive of spec.drives ?? []) a.add('-drive', qemuOpts(undefined, drive));

  // kubenet's own controls come last, after everything the guide wrote.
  if (spec.display) a.add('-display', qemuOpts(spec.display.backend, spec.display.props));
  if (spec.monitor) a.add('-monitor', spec.monitor);
  if (spec.qmp !== undefined) a.add('-qmp', spec.qmp);
  if (spec.pidFile !== undefined) a.add('-pidfile', spec.pidFile);
  if (spec.noReboot) a.add('-no-reboot');
  if (spec.startPaused) a.add('-S');

  const command: QemuCommand = { exe: spec.exe, args: a.toArray(), sudo: spec.sudo !== undefined };
  if (spec.sudo) command.sudoReason = spec.sudo.reason;
  return command;
}

// `-bios FILE`, or the long form the guide shows in step 4 plus a writable variables store.
function addFirmware(a: ArgList, firmware: Firmware): void {
  if (firmware.mode === 'bios') {
    a.add('-bios', firmware.file);
    return;
  }
  a.add('-drive', qemuOpts(undefined, { if: 'pflash', readonly: 'on', format: 'raw', file: firmware.code }));
  if (firmware.vars !== undefined) a.add('-drive', qemuOpts(undefined, { if: 'pflash', format: 'raw', file: firmware.vars }));
}

function nicOpts(nic: Nic): string {
  switch (nic.type) {
    case 'user': {
      const forwards = (nic.hostfwd ?? []).map((rule) => `hostfwd=${rule}`);
      return [qemuOpts('user', nic.props), ...forwards].join(',');
    }
    case 'vmnet-shared':
      return qemuOpts('vmnet-shared', nic.props);
    case 'vmnet-bridged':
      return qemuOpts('vmnet-bridged', { ifname: nic.ifname, ...nic.props });
    case 'none':
      return 'none';
  }
}

function addPeripheral(a: ArgList, p: Peripheral): void {
  switch (p.kind) {
    case 'device':
      a.add('-device', qemuOpts(p.driver, p.props));
      return;
    case 'display':
      a.add('-display', qemuOpts(p.backend, p.props));
      return;
    case 'audiodev':
      a.add('-audiodev', qemuOpts(p.backend, { id: p.id, ...p.props }));
      return;
  }
}

function checkUniqueIds(ids: string[]): void {
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup !== undefined) {
    throw new KubenetError(`two QEMU character devices share the id "${dup}"`, {
      code: ExitCode.failure,
      hint: 'Give each -chardev its own id (this is a bug in the VM description).',
    });
  }
}
