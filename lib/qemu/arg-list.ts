// QEMU argv accumulated in order. Options QEMU takes once are guarded, as lima's
// appendArgsIfNoConflict does: a second, different value is a bug in the VM description, and
// QEMU would silently keep only one of them. Repeatable options are simply appended.
import { ExitCode, KubenetError } from '../errors.js';

// Options that make sense once per command line.
const once = new Set([
  '-machine', '-cpu', '-smp', '-m', '-bios', '-cdrom', '-hda', '-hdb', '-hdc', '-hdd',
  '-nographic', '-nodefaults', '-display', '-vga', '-qmp', '-monitor', '-pidfile',
  '-no-reboot', '-S', '-name', '-daemonize',
]);

export class ArgList {
  readonly #args: string[] = [];
  readonly #seen = new Map<string, string | undefined>();

  // A flag with no value (`-nodefaults`) or with one (`-m 2G`).
  add(flag: string, value?: string): this {
    if (once.has(flag)) {
      if (this.#seen.has(flag)) {
        const before = this.#seen.get(flag);
        if (before === value) return this; // the same value twice says nothing new
        throw new KubenetError(`QEMU option ${flag} given twice: ${show(before)} and ${show(value)}`, {
          code: ExitCode.failure,
          hint: `${flag} may appear once; keep one value in the VM description (this is a bug in kubenet or in an override).`,
        });
      }
      this.#seen.set(flag, value);
    }
    this.#args.push(flag);
    if (value !== undefined) this.#args.push(value);
    return this;
  }

  toArray(): string[] {
    return [...this.#args];
  }
}

const show = (value: string | undefined) => (value === undefined ? '(no value)' : `"${value}"`);
