// Chapter 4 of the guide, read from its upstream text (../shared/guide/upstream relative to the
// repository): its code blocks, and a small interpreter for the shell in them — variables, arrays
// (zsh's, 1-indexed, in the macOS edition's interactive blocks), brace expansion, for loops,
// functions with arguments, $((…)), $(seq …), pipelines and `cat <<EOF > FILE` — enough to turn
// each block into the commands it runs and the files it writes, as data to compare kubenet's plans
// with. It runs nothing. (Chapters 1–3 have their own reader: test/helpers of the linux-edition
// work; the two may be unified.)
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type Edition = 'linux' | 'macos';

export const chapter4Path = (edition: Edition): string =>
  fileURLToPath(new URL(`../../../../shared/guide/upstream/${edition}-04_Bootstrapping_Kubernetes_Security.md`, import.meta.url));

export const haveChapter4 = (): boolean => existsSync(chapter4Path('linux')) && existsSync(chapter4Path('macos'));

export interface CodeBlock {
  lang: string;
  text: string; // without the fences, ending in a newline
  heading: string; // the nearest heading above it
  before: string; // the paragraph just above it
}

export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  let heading = '';
  let paragraph: string[] = [];
  let last: string[] = []; // the paragraph before the blank line above the fence
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fence = /^```(\w*)\s*$/.exec(line);
    if (fence) {
      const body: string[] = [];
      for (i++; i < lines.length && !/^```\s*$/.test(lines[i]!); i++) body.push(lines[i]!);
      blocks.push({ lang: fence[1]!, text: `${body.join('\n')}\n`, heading, before: (paragraph.length ? paragraph : last).join(' ') });
      paragraph = [];
      last = [];
      continue;
    }
    const h = /^#+\s+(.*)$/.exec(line);
    if (h) heading = h[1]!.trim();
    if (line.trim() !== '') paragraph.push(line.trim());
    else if (paragraph.length) [last, paragraph] = [paragraph, []];
  }
  return blocks;
}

export const readChapter4 = (edition: Edition): CodeBlock[] => codeBlocks(readFileSync(chapter4Path(edition), 'utf8'));

// What a block does: pipelines (each an array of argv) in order, and files written by heredocs.
export interface ShellRun {
  commands: string[][][];
  files: { name: string; text: string }[];
}

export interface ShellOptions {
  session?: Map<string, Value>; // variables that live on from block to block (one terminal)
  zsh?: boolean; // arrays are 1-indexed and $array is all of it (the macOS edition's terminal)
  vars?: Record<string, string | string[]>;
  // What a command substitution other than $(seq …) gives: `dirname "$0"` → the script's folder.
  substitute?: (command: string) => string;
}

export type Value = string | string[];

export function runShell(script: string, options: ShellOptions = {}): ShellRun {
  const run: ShellRun = { commands: [], files: [] };
  const vars = options.session ?? new Map<string, Value>();
  for (const [k, v] of Object.entries(options.vars ?? {})) vars.set(k, v);
  const functions = new Map<string, Line[]>();
  const lines = logicalLines(script);
  execute(lines, { vars, functions, run, options, args: [] });
  return run;
}

interface Line {
  text: string;
  heredoc?: string; // the body of a `<<EOF` on this line
  quotedHeredoc?: boolean; // <<'EOF': taken as it is
}

// Lines with their `\`-continuations joined and heredoc bodies attached; comments and blanks go.
function logicalLines(script: string): Line[] {
  const raw = script.split('\n');
  const out: Line[] = [];
  for (let i = 0; i < raw.length; i++) {
    let text = raw[i]!;
    while (text.endsWith('\\') && i + 1 < raw.length) text = `${text.slice(0, -1)} ${raw[++i]!.trim()}`;
    if (/^\s*(#|$)/.test(text)) continue;
    const here = /<<\s*(['"]?)(\w+)\1/.exec(text);
    if (here) {
      const body: string[] = [];
      for (i++; i < raw.length && raw[i] !== here[2]; i++) body.push(raw[i]!);
      out.push({ text, heredoc: `${body.join('\n')}\n`, quotedHeredoc: here[1] !== '' });
      continue;
    }
    out.push({ text: text.trim() });
  }
  return out;
}

interface Scope {
  vars: Map<string, Value>;
  functions: Map<string, Line[]>;
  run: ShellRun;
  options: ShellOptions;
  args: string[]; // $1, $2 … inside a function
}

function execute(lines: Line[], scope: Scope): void {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fn = /^(\w+)\(\)\s*\{$/.exec(line.text);
    if (fn) {
      const end = blockEnd(lines, i, (t) => /\(\)\s*\{$/.test(t), (t) => t === '}');
      scope.functions.set(fn[1]!, lines.slice(i + 1, end));
      i = end;
      continue;
    }
    const loop = /^for (\w+) in (.*?);\s*do(?:\s+(.*))?$/.exec(line.text);
    if (loop) {
      const inline = loop[3]?.trim();
      const end = blockEnd(lines, i, (t) => /^for .*;\s*do/.test(t), (t) => t === 'done');
      const body = [...(inline ? [{ text: inline }] : []), ...lines.slice(i + 1, end)];
      for (const value of words(loop[2]!, scope)) {
        scope.vars.set(loop[1]!, value);
        execute(body, scope);
      }
      i = end;
      continue;
    }
    statement(line, scope);
  }
}

function blockEnd(lines: Line[], start: number, opens: (t: string) => boolean, closes: (t: string) => boolean): number {
  let depth = 0;
  for (let i = start; i < lines.length; i++) {
    if (opens(lines[i]!.text)) depth++;
    if (closes(lines[i]!.text) && --depth === 0) return i;
  }
  throw new Error(`no end for: ${lines[start]!.text}`);
}

function statement(line: Line, scope: Scope): void {
  const text = line.text;
  if (/^set -/.test(text)) return;
  const array = /^(\w+)=\((.*)\)$/.exec(text);
  if (array) return void scope.vars.set(array[1]!, words(array[2]!, scope));
  const assign = /^(\w+)=(\S.*)$/.exec(text);
  if (assign) return void scope.vars.set(assign[1]!, words(assign[2]!, scope).join(' '));
  if (line.heredoc !== undefined) {
    const target = (/<<\s*['"]?\w+['"]?\s*>\s*(.+)$/.exec(text) ?? /^cat\s*>\s*(.+?)\s*<</.exec(text))?.[1];
    if (!/^cat\b/.test(text) || !target) throw new Error(`a heredoc this reader does not know: ${text}`);
    scope.run.files.push({ name: words(target, scope).join(' '), text: line.quotedHeredoc ? line.heredoc : expandText(line.heredoc, scope) });
    return;
  }
  for (const part of text.split(/\s+&&\s+/)) {
    const pipeline = part.split(/\s+\|\s+/).map((stage) => words(stage, scope));
    const called = scope.functions.get(pipeline[0]![0]!);
    if (called && pipeline.length === 1) {
      execute(called, { ...scope, args: pipeline[0]!.slice(1) });
      continue;
    }
    scope.run.commands.push(pipeline);
  }
}

// The words of a piece of shell: quotes removed, variables expanded (unquoted ones split), brace
// lists expanded outside quotes.
function words(text: string, scope: Scope): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    let pieces: string[] = ['']; // the word being read (several after a brace list)
    let empty = true; // only expansions that gave nothing so far: no word at all
    while (i < text.length && !/\s/.test(text[i]!)) {
      const ch = text[i]!;
      if (ch === "'") {
        const end = text.indexOf("'", i + 1);
        pieces = pieces.map((p) => p + text.slice(i + 1, end));
        empty = false;
        i = end + 1;
      } else if (ch === '"') {
        const end = closingQuote(text, i);
        const inner = expandText(text.slice(i + 1, end), scope);
        pieces = pieces.map((p) => p + inner);
        empty = false;
        i = end + 1;
      } else if (ch === '$') {
        const [value, next] = expansion(text, i, scope);
        if (next <= i) throw new Error(`cannot read the expansion in: ${text}`);
        i = next;
        const parts = Array.isArray(value) ? value : value.split(/\s+/).filter(Boolean);
        if (parts.length) empty = false;
        if (parts.length === 1) pieces = pieces.map((p) => p + parts[0]);
        else if (parts.length > 1) {
          // An unquoted expansion of several words: the first joins the word being read, the last starts the next.
          if (pieces.length !== 1) throw new Error(`a split expansion inside a brace list: ${text}`);
          out.push(pieces[0] + parts[0]!, ...parts.slice(1, -1));
          pieces = [parts.at(-1)!];
        }
      } else if (ch === '{' && /^\{[^{}\s]*,[^{}\s]*\}/.test(text.slice(i))) {
        const end = text.indexOf('}', i);
        const options = text.slice(i + 1, end).split(',');
        pieces = pieces.flatMap((p) => options.map((o) => p + o));
        empty = false;
        i = end + 1;
      } else {
        pieces = pieces.map((p) => p + ch);
        empty = false;
        i++;
      }
    }
    if (!empty) out.push(...pieces);
  }
  return out;
}

// Where the double quote opened at text[i] closes (skipping \" and what $(…) holds).
function closingQuote(text: string, i: number): number {
  let depth = 0;
  for (let k = i + 1; k < text.length; k++) {
    if (text[k] === '\\') k++;
    else if (text.startsWith('$(', k)) depth++;
    else if (text[k] === ')' && depth > 0) depth--;
    else if (text[k] === '"' && depth === 0) return k;
  }
  throw new Error(`an unclosed quote: ${text}`);
}

// A heredoc body or a double-quoted string: $var, ${…} and $((…)) expanded, nothing split.
function expandText(text: string, scope: Scope): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    if (text[i] === '$' && /[\w{(#@]/.test(text[i + 1] ?? '')) {
      const [value, next] = expansion(text, i, scope);
      if (next <= i) throw new Error(`cannot read the expansion in: ${text}`);
      out += Array.isArray(value) ? value.join(' ') : value;
      i = next;
    } else if (text[i] === '\\' && text[i + 1] === '"') {
      out += '"';
      i += 2;
    } else out += text[i++];
  }
  return out;
}

// The expansion starting at text[i] === '$': its value and where the text goes on.
function expansion(text: string, i: number, scope: Scope): [Value, number] {
  const { vars, options } = scope;
  const get = (name: string): Value => {
    if (/^\d+$/.test(name)) return scope.args[Number(name) - 1] ?? '';
    const v = vars.get(name);
    if (v === undefined) throw new Error(`$${name} is not set`);
    return v;
  };
  if (text.startsWith('$((', i)) {
    const end = text.indexOf('))', i);
    const expr = expandText(text.slice(i + 3, end), scope).replace(/\b([a-z_]\w*)\b/gi, (name) => String(get(name)));
    if (!/^[\d\s+*-]+$/.test(expr)) throw new Error(`arithmetic this reader does not know: ${expr}`);
    return [String(Function(`return (${expr})`)()), end + 2];
  }
  if (text.startsWith('$(', i)) {
    const end = text.indexOf(')', i);
    const inner = text.slice(i + 2, end);
    const seq = /^seq (\S+) (\S+)$/.exec(inner);
    if (seq) {
      const [from, to] = [seq[1]!, seq[2]!].map((w) => Number(expandText(w, scope)));
      return [Array.from({ length: to! - from! + 1 }, (_, k) => String(from! + k)), end + 1];
    }
    if (!options.substitute) throw new Error(`a command substitution this reader does not know: $(${inner})`);
    return [options.substitute(inner), end + 1];
  }
  if (text[i + 1] === '{') {
    const end = text.indexOf('}', i);
    const inner = text.slice(i + 2, end);
    const all = /^(\w+)\[@\]$/.exec(inner);
    if (all) return [get(all[1]!), end + 1];
    const count = /^#(\w+)\[@\]$/.exec(inner);
    if (count) return [String((get(count[1]!) as string[]).length), end + 1];
    const index = /^(\w+)\[(.+)\]$/.exec(inner);
    if (index) {
      const n = Number(expandText(index[2]!, scope));
      return [(get(index[1]!) as string[])[options.zsh ? n - 1 : n] ?? '', end + 1];
    }
    const v = get(inner);
    return [Array.isArray(v) ? (options.zsh ? v : v[0]!) : v, end + 1];
  }
  const name = /^\$(\w+|[@#])/.exec(text.slice(i))![1]!;
  const v = get(name);
  return [Array.isArray(v) ? (options.zsh ? v : v[0]!) : v, i + 1 + name.length];
}
