// The guide as its author published it, read from its markdown: the folder ../shared/guide beside
// the repository (CI's clone has it too), or $KUBENET_GUIDE_DIR. upstream/{linux,macos}-0N_*.md
// are the two editions' chapters; launching-vms-with-qemu.md is the macOS edition's earlier
// chapter 1, the only text with step 1's QEMU_VERSION. A chapter is its sections (by heading) and
// each section's code blocks, as written, with the paragraph that introduces each ("Create the
// `ca-csr.json` file:"). The one reader of the guide's text for every golden test.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Edition } from '../../lib/host/types.js';
import { missingShell, type Shell } from './guide-shell.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export function guideDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.KUBENET_GUIDE_DIR || join(repoRoot, '..', 'shared', 'guide');
}

export const hasGuideText = (): boolean => existsSync(join(guideDir(), 'upstream'));
export const whyNoGuideText = (): string =>
  `the guide's text is not at ${guideDir()} (the repository's ../shared/guide, or set KUBENET_GUIDE_DIR)`;
// Why the guide's shell cannot be read here (its text, or a shell to read it by), or nothing.
export const whyCannotRead = (): string | undefined => (hasGuideText() ? missingShell() : whyNoGuideText());

export interface Block {
  text: string; // unindented, without its fences or a last newline
  lang: string; // the fence's word: bash, json, or ''
  before: string; // the paragraph just above it, its lines joined by spaces
}

export interface Section {
  heading: string; // without the #s
  blocks: Block[];
}

export interface GuideText {
  file: string;
  shell: Shell; // the shell its reader types the blocks into: zsh on macOS (its default), bash on Linux
  sections: Section[];
}

export function parseGuide(file: string, text: string, shell: Shell = 'bash'): GuideText {
  const sections: Section[] = [{ heading: '', blocks: [] }];
  let block: { lines: string[]; indent: number; lang: string; before: string } | undefined;
  let paragraph: string[] = [];
  let last: string[] = []; // the paragraph before the blank line above
  for (const line of text.split('\n')) {
    const fence = /^(\s*)```\s*(\S*)/.exec(line);
    if (fence) {
      if (block) {
        sections.at(-1)!.blocks.push({ text: block.lines.join('\n'), lang: block.lang, before: block.before });
        block = undefined;
      } else {
        const before = (paragraph.length ? paragraph : last).join(' ');
        block = { lines: [], indent: fence[1]!.length, lang: fence[2]!, before };
        [paragraph, last] = [[], []];
      }
      continue;
    }
    if (block) {
      block.lines.push(line.slice(Math.min(block.indent, /^\s*/.exec(line)![0].length)));
      continue;
    }
    if (/^#+ /.test(line)) sections.push({ heading: line.replace(/^#+ /, '').trim(), blocks: [] });
    if (line.trim() !== '') paragraph.push(line.trim());
    else if (paragraph.length) [last, paragraph] = [paragraph, []];
  }
  return { file, shell, sections };
}

// An edition's chapter N (1–4), or the macOS edition's earlier chapter 1.
export function readChapter(edition: Edition | 'macos-earlier', chapter: number): GuideText {
  const dir = guideDir();
  const shell = edition === 'linux' ? 'bash' : 'zsh';
  const earlier = 'launching-vms-with-qemu.md';
  if (edition === 'macos-earlier') return parseGuide(earlier, readFileSync(join(dir, earlier), 'utf8'), shell);
  const prefix = `${edition}-0${chapter}_`;
  const name = readdirSync(join(dir, 'upstream')).find((f) => f.startsWith(prefix) && f.endsWith('.md'));
  if (!name) throw new Error(`no ${prefix}*.md in ${join(dir, 'upstream')}`);
  return parseGuide(name, readFileSync(join(dir, 'upstream', name), 'utf8'), shell);
}

// Every code block of a text in order, each with its section's heading.
export const blocksOf = (text: GuideText): (Block & { heading: string })[] =>
  text.sections.flatMap((s) => s.blocks.map((b) => ({ ...b, heading: s.heading })));

// The code block of a section that starts with `first`; an error names what is missing, so a
// changed guide is said as such.
export function blockIn(text: GuideText, heading: string, first: string | RegExp): string {
  const section = text.sections.find((s) => s.heading === heading);
  if (!section)
    throw new Error(
      `${text.file} has no section "${heading}" (its headings: ${text.sections.map((s) => s.heading).join(' | ')})`,
    );
  const starts = (b: Block) => (typeof first === 'string' ? b.text.startsWith(first) : first.test(b.text));
  const found = section.blocks.filter(starts);
  if (found.length !== 1)
    throw new Error(`${text.file}, section "${heading}": ${found.length} code blocks start with "${first}", not one`);
  return found[0]!.text;
}

export const hasSection = (text: GuideText, heading: string): boolean =>
  text.sections.some((s) => s.heading === heading);
