// The guide's command is what a person types; kubenet must also watch the boot and stop the VM.
// This turns a step's command into the one kubenet runs — the serial console copied to a log, a
// QMP socket to control it, the console where this host can show it — and lists every change
// with its reason, so what is printed is exactly what runs.
import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { ExitCode, KubenetError } from '../errors.js';
import type { ConsoleMode } from './console-mode.js';
import { escapeOptValue, groupArgs, readOpts, valuelessFlags, type Option } from './qemu-args.js';

export interface BootControl {
  cwd: string; // QEMU's working directory (images/)
  serialLog: string; // absolute: also how a running QEMU is recognised as this VM's
  qmpSocket: string; // as written in the argv: relative to cwd (a unix socket path has a ~100 byte limit)
  controlSocket: string; // a second QMP socket, for kubenet status and stop; relative to cwd too
  mode: ConsoleMode;
  sshPort?: number; // user networking: forward 127.0.0.1:PORT to the guest's port 22
  // the serial console on this unix socket (kubenet console; a terminal attached by kubenet), relative to cwd
  consoleSocket?: string;
  // terminal mode: 'guest' (default) passes Ctrl-C to the guest as -nographic does, and Ctrl-A X
  // quits QEMU; 'quit' lets Ctrl-C signal QEMU and kubenet, which share the terminal.
  ctrlC?: 'guest' | 'quit';
}

// One thing kubenet changes, as the printed form shows it.
export interface BootChange {
  removed: Option[];
  added: Option[];
  why: string;
}

// The command and the two paths that were written into it, absolute, for whoever runs it: one
// place decides them, so the run can never look for a log or a socket the argv does not name.
export interface ControlledBoot {
  command: Command; // what runs
  changes: BootChange[];
  serialLog: string;
  qmpSocket: string;
  controlSocket: string;
  consoleSocket?: string; // set when the serial console is on a socket (headless, or a terminal kubenet attaches)
  sshPort?: number; // set when a -nic user was there to forward it
}

const serialId = 'serial0';

export function controlBoot(guide: Command, control: BootControl): ControlledBoot {
  const argv = new Editor(groupArgs(guide.args));
  const nographic = argv.has('-nographic');
  // A -nographic step has no window to show: its console is the terminal already.
  const mode = nographic && control.mode === 'window' ? 'terminal' : control.mode;
  const log = control.serialLog;
  // The serial console on a socket, which kubenet (and kubenet console) attaches to — not where
  // the terminal itself must signal QEMU (ctrlC 'quit').
  const onSocket =
    control.consoleSocket !== undefined && (mode === 'headless' || (mode === 'terminal' && control.ctrlC !== 'quit'));
  switch (mode) {
    case 'window': {
      if (!argv.has('-nodefaults') && !argv.has('-mon') && !argv.has('-monitor')) {
        argv.add(
          [
            ['-chardev', 'vc,id=monitor'],
            ['-mon', 'monitor'],
          ],
          "-qmp turns QEMU's default monitor off; this puts it back in the window",
        );
      }
      argv.replaceAll(
        '-serial',
        [
          ['-chardev', `vc,id=${serialId},logfile=${escapeOptValue(log)}`],
          ['-serial', `chardev:${serialId}`],
        ],
        `the serial console, in the window as before and also logged to ${log}`,
      );
      break;
    }
    case 'terminal':
      dropWindowConsoles(argv);
      if (onSocket) {
        // QEMU waits (wait=on) for kubenet to attach this terminal before it runs the VM: nothing is missed.
        argv.add(
          [
            [
              '-chardev',
              `socket,id=${serialId},path=${escapeOptValue(control.consoleSocket!)}` +
                `,server=on,wait=on,mux=on,logfile=${escapeOptValue(log)}`,
            ],
            ['-mon', serialId],
            ['-serial', `chardev:${serialId}`],
          ],
          `the serial console and the monitor in this terminal, through a socket kubenet attaches it to ` +
            `(Ctrl-] leaves and the VM runs on; Ctrl-A C switches, Ctrl-A X quits), also logged to ${log}`,
        );
      } else {
        argv.add(
          [
            [
              '-chardev',
              `stdio,id=${serialId},mux=on,signal=` +
                `${control.ctrlC === 'quit' ? 'on' : 'off'},logfile=${escapeOptValue(log)}`,
            ],
            ['-mon', serialId],
            ['-serial', `chardev:${serialId}`],
          ],
          `the serial console and the monitor in this terminal ` +
            `(Ctrl-A C switches, Ctrl-A X quits), also logged to ${log}`,
        );
      }
      if (!nographic) noDisplay(argv, 'no window system here: the console is this terminal');
      break;
    case 'headless':
      dropWindowConsoles(argv);
      if (!onSocket) {
        argv.add(
          [
            ['-chardev', `file,id=${serialId},path=${escapeOptValue(log)}`],
            ['-serial', `chardev:${serialId}`],
          ],
          `no console: the serial console goes to ${log}`,
        );
      } else {
        argv.add(
          [
            [
              '-chardev',
              `socket,id=${serialId},path=${escapeOptValue(control.consoleSocket!)}` +
                `,server=on,wait=off,logfile=${escapeOptValue(log)}`,
            ],
            ['-serial', `chardev:${serialId}`],
          ],
          `no console here: the serial console goes to ${log}, and kubenet ` +
            `console attaches to it (${control.consoleSocket}) while the VM runs`,
        );
      }
      if (nographic) argv.remove('-nographic', 'headless: -nographic would claim this terminal');
      noDisplay(argv, 'headless: no window to show a display in');
      argv.add([['-monitor', 'none']], 'headless: no monitor on a terminal');
      break;
  }
  let sshPort: number | undefined;
  if (control.sshPort !== undefined) {
    // The first user-mode NIC (-nic user, or a -netdev user behind a -device) carries the forward.
    for (const flag of ['-nic', '-netdev']) {
      argv.edit(
        flag,
        (value) => {
          if (readOpts(value).head !== 'user' || sshPort !== undefined) return value;
          sshPort = control.sshPort;
          return `${value},hostfwd=tcp:127.0.0.1:${control.sshPort}-:22`;
        },
        `kubenet ssh reaches the guest's port 22 through 127.0.0.1:${control.sshPort}`,
      );
    }
  }
  argv.add(
    [['-qmp', `unix:${escapeOptValue(control.qmpSocket)},server=on,wait=off`]],
    'a control socket: kubenet powers the VM off cleanly through it, and notices at once when QEMU stops',
  );
  argv.add(
    [['-qmp', `unix:${escapeOptValue(control.controlSocket)},server=on,wait=off`]],
    'a second control socket, free while this kubenet holds the first (QMP ' +
      'serves one client at a time): kubenet status and kubenet stop use it',
  );
  const command: Command = { ...guide, args: argv.args() };
  checkOnce(argv.groups);
  return {
    command,
    changes: argv.changes,
    serialLog: resolve(control.cwd, log),
    qmpSocket: resolve(control.cwd, control.qmpSocket),
    controlSocket: resolve(control.cwd, control.controlSocket),
    ...(onSocket ? { consoleSocket: resolve(control.cwd, control.consoleSocket!) } : {}),
    ...(sshPort === undefined ? {} : { sshPort }),
  };
}

// Whether a command has a user-mode NIC (QEMU's own NAT, slirp) whose ssh port kubenet can forward.
export function hasUserNic(command: Command): boolean {
  return groupArgs(command.args).some(
    ([flag, value]) =>
      (flag === '-nic' || flag === '-netdev') && value !== undefined && readOpts(value).head === 'user',
  );
}

// The window's text consoles go, with the monitors and serial ports on them.
function dropWindowConsoles(argv: Editor): void {
  const vc = new Set(
    argv.groups
      .filter(([f, v]) => f === '-chardev' && v !== undefined && readOpts(v).head === 'vc')
      .map(([, v]) => readOpts(v!).props.get('id')),
  );
  argv.removeWhere(
    ([f, v]) =>
      (f === '-chardev' && vc.has(readOpts(v ?? '').props.get('id'))) || (f === '-mon' && vc.has(v)) || f === '-serial',
    "the window's consoles (vc) go where this host shows them",
  );
}

// No window: no display, and the sound card plays into `none` (a missing audio backend would
// stop QEMU, and without a window there is rarely a sound server).
function noDisplay(argv: Editor, why: string): void {
  argv.removeWhere(([f]) => f === '-display', why);
  argv.add([['-display', 'none']], why);
  argv.edit(
    '-audiodev',
    (value) => `none,id=${readOpts(value).props.get('id') ?? 'audio0'}`,
    'no window, no sound server: the sound card plays into none',
  );
}

// Options QEMU takes once: a second, different value would be a bug (QEMU keeps only one).
// (-qmp is not one of them: every -qmp is a monitor of its own.)
const once = new Set([
  '-machine',
  '-cpu',
  '-smp',
  '-m',
  '-bios',
  '-cdrom',
  '-hda',
  '-hdb',
  '-nographic',
  '-nodefaults',
  '-display',
  '-vga',
  '-monitor',
  '-pidfile',
]);
function checkOnce(groups: Option[]): void {
  const seen = new Map<string, string | undefined>();
  for (const [flag, value] of groups) {
    if (!once.has(flag!)) continue;
    if (seen.has(flag!) && seen.get(flag!) !== value) {
      throw new KubenetError(
        `QEMU option ${flag} given twice: ${seen.get(flag!) ?? '(no value)'} and ${value ?? '(no value)'}`,
        {
          code: ExitCode.failure,
          hint: `${flag} may appear once; this is a bug in the step's command or in kubenet`,
        },
      );
    }
    seen.set(flag!, value);
  }
}

// The option list being changed, with a record of each change. New options go after the last
// console option (so a -serial follows its -chardev), or at the end.
class Editor {
  readonly changes: BootChange[] = [];
  constructor(public groups: Option[]) {}

  has = (flag: string) => this.groups.some(([f]) => f === flag);
  args = () => this.groups.flat();

  add(added: Option[], why: string): void {
    const consoles = new Set(['-chardev', '-mon', '-serial', '-vga']);
    const last = this.groups.map(([f]) => consoles.has(f!)).lastIndexOf(true);
    const at = added.some(([f]) => consoles.has(f!)) && last !== -1 ? last + 1 : this.groups.length;
    this.groups.splice(at, 0, ...added);
    this.record([], added, why);
  }

  remove(flag: string, why: string): void {
    this.removeWhere(([f]) => f === flag, why);
  }

  removeWhere(match: (o: Option) => boolean, why: string): void {
    const removed = this.groups.filter(match);
    if (removed.length === 0) return;
    this.groups = this.groups.filter((o) => !match(o));
    this.record(removed, [], why);
  }

  // Every `flag` option is replaced by `added`, in the place of the first (or added anew).
  replaceAll(flag: string, added: Option[], why: string): void {
    const at = this.groups.findIndex(([f]) => f === flag);
    const removed = this.groups.filter(([f]) => f === flag);
    this.groups = this.groups.filter(([f]) => f !== flag);
    if (at === -1) return this.add(added, why);
    this.groups.splice(at, 0, ...added);
    this.record(removed, added, why);
  }

  edit(flag: string, change: (value: string) => string, why: string): void {
    this.groups = this.groups.map((o) => {
      if (o[0] !== flag || o[1] === undefined || valuelessFlags.has(flag)) return o;
      const value = change(o[1]);
      if (value === o[1]) return o;
      this.record([o], [[flag, value]], why);
      return [flag, value];
    });
  }

  // Changes for the same reason print as one.
  private record(removed: Option[], added: Option[], why: string): void {
    const same = this.changes.find((c) => c.why === why);
    if (same) {
      same.removed.push(...removed);
      same.added.push(...added);
    } else {
      this.changes.push({ removed: [...removed], added: [...added], why });
    }
  }
}
