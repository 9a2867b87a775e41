// The runner alone owns the terminal: an ora spinner per task on a TTY; plain lines without
// ANSI codes when stdout is not a TTY, CI is set, or the terminal does not say how wide it is
// (0 columns: `script` without a terminal, some CI ptys), where ora would loop forever.
import type { Ora } from 'ora';

export interface Reporter {
  start(task: string, title: string): Promise<void>;
  progress(task: string, text: string): void;
  note(task: string, line: string): void;
  detail(task: string, line: string): void;
  print(text: string): void; // a block shown as is (commands in --dry-run)
  done(task: string, text: string): void;
  skipped(task: string, text: string): void;
  failed(task: string, text: string): void;
  release(): void; // stop drawing: a VM's console is about to own the terminal
  // The command is over, however it ended: a spinner still turning is stopped (marked failed: its
  // work did not finish). Its timer would otherwise keep the process alive after the command has
  // printed its error — at a terminal, `run cloud-img` never exited after Ctrl-C.
  close(): void;
}

export const isInteractive = (stream: NodeJS.WriteStream = process.stdout, env = process.env) =>
  Boolean(stream.isTTY) && (stream.columns ?? 0) > 0 && !env.CI && env.TERM !== 'dumb';

// (Hints are spoken as the user ran kubenet — npx kubenet — where the CLI writes: cli-name.ts.)
export function createReporter({
  verbose,
  interactive,
  write,
}: {
  verbose: boolean;
  interactive: boolean;
  write?: (text: string) => void;
}): Reporter {
  return interactive ? new SpinnerReporter(verbose) : new PlainReporter(verbose, write);
}

// Progress lines without a TTY: a few, not one per chunk.
const plainProgressEveryMs = 30_000;

class PlainReporter implements Reporter {
  private lastProgress = new Map<string, number>();
  constructor(
    private readonly verbose: boolean,
    private readonly write: (text: string) => void = (text) => process.stdout.write(text),
  ) {}
  async start(task: string, title: string) {
    this.line(`▶ ${task}: ${title}`);
  }
  progress(task: string, text: string) {
    const now = Date.now();
    if (now - (this.lastProgress.get(task) ?? 0) < plainProgressEveryMs) return;
    this.lastProgress.set(task, now);
    this.line(`  ${task}: ${text}`);
  }
  note(task: string, line: string) {
    this.line(`  ${task}: ${line}`);
  }
  detail(task: string, line: string) {
    if (this.verbose) this.line(`  ${task}: ${line}`);
  }
  print(text: string) {
    this.line(text);
  }
  done(task: string, text: string) {
    this.line(`✔ ${task}: ${text}`);
  }
  skipped(task: string, text: string) {
    this.line(`✔ ${task}: ${text}`);
  }
  failed(task: string, text: string) {
    this.line(`✖ ${task}: ${text}`);
  }
  release() {}
  close() {}
  private line(text: string) {
    this.write(`${text}\n`);
  }
}

class SpinnerReporter implements Reporter {
  private spinner: Ora | undefined;
  private title = '';
  constructor(private readonly verbose: boolean) {}
  async start(task: string, title: string) {
    const { default: ora } = await import('ora');
    this.title = `${task}: ${title}`;
    // On stdout, the stream isInteractive looked at; coloured only where Node would (NO_COLOR).
    this.spinner = ora({
      text: this.title,
      discardStdin: false,
      stream: process.stdout,
      color: process.stdout.hasColors?.() ? 'cyan' : false,
    }).start();
  }
  progress(_task: string, text: string) {
    if (this.spinner) this.spinner.text = `${this.title} — ${text}`;
  }
  note(_task: string, line: string) {
    this.above(`  ${line}`);
  }
  detail(_task: string, line: string) {
    if (this.verbose) this.above(`  ${line}`);
  }
  print(text: string) {
    this.above(text);
  }
  done(task: string, text: string) {
    this.finish('succeed', `${task}: ${text}`);
  }
  skipped(task: string, text: string) {
    if (this.spinner) this.finish('info', `${task}: ${text}`);
    else process.stdout.write(`ℹ ${task}: ${text}\n`);
  }
  failed(task: string, text: string) {
    this.finish('fail', `${task}: ${text}`);
  }
  release() {
    if (this.spinner?.isSpinning) this.spinner.stopAndPersist({ symbol: '▶' });
    this.spinner = undefined;
  }
  close() {
    if (this.spinner?.isSpinning) this.finish('fail', this.title);
    this.spinner = undefined;
  }
  // Writes a line above a running spinner without tearing it.
  private above(text: string) {
    const s = this.spinner;
    if (s?.isSpinning) {
      s.clear();
      process.stdout.write(`${text}\n`);
      s.render();
    } else {
      process.stdout.write(`${text}\n`);
    }
  }
  private finish(kind: 'succeed' | 'fail' | 'info', text: string) {
    if (this.spinner) {
      this.spinner[kind](text);
      this.spinner = undefined;
    } else {
      process.stdout.write(`${text}\n`);
    }
  }
}
