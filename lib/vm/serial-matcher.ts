// Reads the serial console as a user would: line by line, and the prompt still being typed.
// `until` is tried on each new line, then on the unfinished line, then on the recent text as a
// whole (so /login:\s*$/m or a pattern across a line break also matches).
import { LineSplitter, LineTail, TextWindow } from './serial-text.js';

export class SerialMatcher {
  private readonly splitter = new LineSplitter();
  private readonly tail = new LineTail(20);
  private readonly window = new TextWindow(4096);
  matched: string | undefined;

  constructor(
    private readonly until: RegExp | undefined,
    private readonly onLine: ((line: string) => void) | undefined,
  ) {}

  // Feeds raw bytes; returns the match the first time `until` matches.
  push(chunk: Buffer): string | undefined {
    return this.take(this.splitter.push(chunk), this.splitter.partial);
  }

  // The writer is gone: the unfinished line counts as a line.
  end(): string | undefined {
    return this.take(this.splitter.end(), '');
  }

  lastLines(): string[] {
    return this.tail.snapshot(this.splitter.partial);
  }

  private take(lines: string[], partial: string): string | undefined {
    let found: string | undefined;
    for (const line of lines) {
      this.tail.push(line);
      this.onLine?.(line);
      found ??= this.test(line);
    }
    const recent = this.window.push(lines.map((line) => `${line}\n`).join(''));
    found ??= this.test(partial) ?? this.test(recent + partial);
    if (found !== undefined && this.matched === undefined) {
      this.matched = found;
      return found;
    }
    return undefined;
  }

  private test(text: string): string | undefined {
    if (!this.until || text === '') return undefined;
    this.until.lastIndex = 0; // a /g or /y pattern keeps state between calls
    return this.until.exec(text)?.[0];
  }
}
