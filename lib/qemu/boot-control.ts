// The guide's command is what a person types; kubenet must also watch the boot and stop the VM.
// This turns a guide spec into the one kubenet runs: a QMP socket to control it, and the serial
// console copied to a log file while it is still shown where the guide shows it.
import type { ConsoleMode } from './console-mode.js';
import { escapeOptValue } from './qemu-opts.js';
import type { Chardev, Consoles, Peripheral, VmSpec } from './vm-spec.js';

export interface BootControl {
  serialLog: string;
  qmpSocket: string;
  mode: ConsoleMode;
  // terminal mode: 'guest' (default) passes Ctrl-C to the guest as -nographic does, and Ctrl-A X
  // quits QEMU; 'quit' lets Ctrl-C signal QEMU and kubenet, which share the terminal.
  ctrlC?: 'guest' | 'quit';
  noReboot?: boolean;
  pidFile?: string;
}

const serialId = 'serial0';

export function withBootControl(spec: VmSpec, control: BootControl): VmSpec {
  const out: VmSpec = structuredClone(spec);
  out.qmp = `unix:${escapeOptValue(control.qmpSocket)},server=on,wait=off`;
  if (control.noReboot) out.noReboot = true;
  if (control.pidFile !== undefined) out.pidFile = control.pidFile;
  // A -nographic step has no window to show: its console is the terminal already.
  const mode = spec.nographic && control.mode === 'window' ? 'terminal' : control.mode;
  const consoles = out.consoles ?? {};
  switch (mode) {
    case 'window':
      out.consoles = windowConsoles(consoles, control.serialLog, spec.nodefaults === true);
      break;
    case 'terminal':
      out.consoles = terminalConsoles(consoles, control.serialLog, control.ctrlC ?? 'guest');
      if (!out.nographic) noDisplay(out);
      out.peripherals = out.peripherals?.map(silent);
      break;
    case 'headless':
      out.consoles = headlessConsoles(consoles, control.serialLog);
      out.nographic = false; // it would claim stdio
      noDisplay(out);
      out.monitor = 'none';
      out.peripherals = out.peripherals?.map(silent);
      break;
  }
  return out;
}

// `-serial vc` becomes `-chardev vc,id=serial0,logfile=LOG -serial chardev:serial0`: the same
// tab in the window, now also logged. -qmp turns off QEMU's default monitor, so a spec that
// relied on it gets the same monitor written out.
function windowConsoles(c: Consoles, log: string, nodefaults: boolean): Consoles {
  const chardevs = [...(c.chardevs ?? [])];
  const mons = [...(c.mons ?? [])];
  if (!nodefaults && mons.length === 0) {
    chardevs.push({ backend: 'vc', id: 'monitor' });
    mons.push('monitor');
  }
  chardevs.push({ backend: 'vc', id: serialId, props: { logfile: log } });
  return { ...c, chardevs, mons, serials: [`chardev:${serialId}`] };
}

// One stdio chardev multiplexed between the serial port and the monitor (Ctrl-A C), as
// -nographic does; written out because -qmp turns off the default `mon:stdio`.
function terminalConsoles(c: Consoles, log: string, ctrlC: 'guest' | 'quit'): Consoles {
  const stdio: Chardev = { backend: 'stdio', id: serialId, props: { mux: true, signal: ctrlC === 'quit', logfile: log } };
  const rest = withoutVc(c);
  return { ...rest, chardevs: [...rest.chardevs, stdio], mons: [serialId], serials: [`chardev:${serialId}`] };
}

function headlessConsoles(c: Consoles, log: string): Consoles {
  const file: Chardev = { backend: 'file', id: serialId, props: { path: log } };
  const rest = withoutVc(c);
  return { ...rest, chardevs: [...rest.chardevs, file], mons: [], serials: [`chardev:${serialId}`] };
}

// Drops the window's text consoles and the monitors and serial ports that used them.
function withoutVc(c: Consoles): Consoles & { chardevs: Chardev[] } {
  const vcIds = new Set((c.chardevs ?? []).filter((d) => d.backend === 'vc').map((d) => d.id));
  return {
    ...c,
    chardevs: (c.chardevs ?? []).filter((d) => !vcIds.has(d.id)),
    mons: (c.mons ?? []).filter((id) => !vcIds.has(id)),
    serials: [],
  };
}

function noDisplay(spec: VmSpec): void {
  spec.peripherals = spec.peripherals?.filter((p) => p.kind !== 'display');
  spec.display = { backend: 'none' };
}

// Without a window there is rarely a sound server either (and Debian ships pa only with
// qemu-system-gui): a missing backend would stop QEMU, so the sound card plays into `none`.
const silent = (p: Peripheral): Peripheral => (p.kind === 'audiodev' ? { kind: 'audiodev', backend: 'none', id: p.id } : p);
