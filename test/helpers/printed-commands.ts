// Commands as kubenet prints them (lib/qemu/format-command.ts), read back: `$ ` lines, a QEMU
// boot continued by ` \` lines, words single-quoted where the shell needs it, a command's input
// as a here-document (<<'EOF' … EOF), a `# …` comment after the words. Root commands shown under
// their reason (`    sudo ip link add …`) are read with `rootLines`.
import type { Recorded } from './guide-record.js';

// Shell words of one line, as format-command.ts quotes them; a word starting with # ends it.
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i]!;
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === '#' && word === undefined) {
      break;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      word = (word ?? '') + line.slice(i + 1, end);
      i = end;
    } else if (c === '\\') {
      word = (word ?? '') + (line[i + 1] ?? '');
      i += 1;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

export function printedCommands(text: string, { prompt = '$ ' } = {}): Recorded[] {
  const lines = text.split('\n');
  const out: Recorded[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    if (!lines[i]!.startsWith(prompt)) continue;
    let line = lines[i]!.slice(prompt.length);
    while (line.endsWith(' \\')) line = `${line.slice(0, -2)} ${lines[++i]!.trim()}`;
    const heredoc = line.endsWith(" <<'EOF'");
    const argv = shellWords(heredoc ? line.slice(0, -" <<'EOF'".length) : line);
    if (!heredoc) {
      out.push({ argv });
      continue;
    }
    const input: string[] = [];
    while (lines[++i] !== 'EOF') input.push(lines[i]!);
    out.push({ argv, input: `${input.join('\n')}\n` });
  }
  return out;
}

// The lines between a line starting with `from` and the next line starting with one of `to`.
export function between(text: string, from: string, to: readonly string[]): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(from));
  if (start === -1) return '';
  const end = lines.findIndex((l, i) => i > start && to.some((t) => l.startsWith(t)));
  return lines.slice(start + 1, end === -1 ? undefined : end).join('\n');
}
