// Serial consoles speak to terminals: firmware paints with cursor moves and colours, lines end
// in CR LF. Matching and error tails want plain text, so it is cleaned here, in one place.
import { StringDecoder } from 'node:string_decoder';

// CSI sequences (ESC [ … final byte), OSC strings, and two-byte ESC sequences such as ESC c.
const ansi = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
// Other control characters except tab; CR and LF are handled by the splitter.
const controls = /[\x00-\x08\x0b-\x1f\x7f]/g;

export function plainText(raw: string): string {
  return raw.replace(ansi, '').replace(controls, '');
}

// Turns byte chunks into complete lines, keeping the unfinished last line for the next chunk.
// The unfinished line matters: a firmware prompt (`Shell> `) is never followed by a newline.
export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';

  push(chunk: Buffer): string[] {
    const text = this.pending + this.decoder.write(chunk);
    const parts = text.split('\n');
    this.pending = parts.pop() ?? '';
    return parts.map((line) => plainText(line));
  }

  // The line being written, as plain text.
  get partial(): string {
    return plainText(this.pending);
  }

  // Whatever is left once the writer is gone.
  end(): string[] {
    const rest = this.pending + this.decoder.end();
    this.pending = '';
    return rest === '' ? [] : [plainText(rest)];
  }
}

// The last `size` lines, for error details.
export class LineTail {
  private readonly lines: string[] = [];
  constructor(private readonly size = 20) {}

  push(line: string): void {
    if (line.trim() === '') return;
    this.lines.push(line);
    if (this.lines.length > this.size) this.lines.shift();
  }

  snapshot(partial = ''): string[] {
    return partial.trim() === '' ? [...this.lines] : [...this.lines, partial].slice(-this.size);
  }
}

// The last `size` characters of text, so a pattern can span line breaks without keeping the log in memory.
export class TextWindow {
  private text = '';
  constructor(private readonly size = 4096) {}

  push(text: string): string {
    this.text = (this.text + text).slice(-this.size);
    return this.text;
  }
}
