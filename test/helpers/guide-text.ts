// The guide as its author published it, read from its markdown: the folder ../shared/guide beside
// the repository (CI's clone has it too), or $KUBENET_GUIDE_DIR. upstream/{linux,macos}-0N_*.md
// are the two editions' chapters; launching-vms-with-qemu.md is the macOS edition's earlier
// chapter 1, the only text with step 1's QEMU_VERSION. A chapter is its sections (by heading) and
// each section's code blocks, as written.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Edition } from '../../lib/host/types.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

export function guideDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.KUBENET_GUIDE_DIR || join(repoRoot, '..', 'shared', 'guide');
}

export const hasGuideText = (): boolean => existsSync(join(guideDir(), 'upstream'));
export const whyNoGuideText = (): string => `the guide's text is not at ${guideDir()} (the repository's ../shared/guide, or set KUBENET_GUIDE_DIR)`;

export interface Section {
  heading: string; // without the #s
  blocks: string[]; // each code block's text, unindented, without its fences
}

export interface GuideText {
  file: string;
  sections: Section[];
}

export function parseGuide(file: string, text: string): GuideText {
  const sections: Section[] = [{ heading: '', blocks: [] }];
  let block: string[] | undefined;
  let indent = 0;
  for (const line of text.split('\n')) {
    const fence = /^(\s*)```/.exec(line);
    if (fence) {
      if (block) {
        sections.at(-1)!.blocks.push(block.join('\n'));
        block = undefined;
      } else {
        block = [];
        indent = fence[1]!.length;
      }
      continue;
    }
    if (block) block.push(line.slice(Math.min(indent, /^\s*/.exec(line)![0].length)));
    else if (/^#+ /.test(line)) sections.push({ heading: line.replace(/^#+ /, '').trim(), blocks: [] });
  }
  return { file, sections };
}

// An edition's chapter N (1–3), or the macOS edition's earlier chapter 1.
export function readChapter(edition: Edition | 'macos-earlier', chapter: number): GuideText {
  const dir = guideDir();
  if (edition === 'macos-earlier') return parseGuide('launching-vms-with-qemu.md', readFileSync(join(dir, 'launching-vms-with-qemu.md'), 'utf8'));
  const prefix = `${edition}-0${chapter}_`;
  const name = readdirSync(join(dir, 'upstream')).find((f) => f.startsWith(prefix) && f.endsWith('.md'));
  if (!name) throw new Error(`no ${prefix}*.md in ${join(dir, 'upstream')}`);
  return parseGuide(name, readFileSync(join(dir, 'upstream', name), 'utf8'));
}

// The code block of a section that starts with `first`; an error names what is missing, so a
// changed guide is said as such.
export function blockIn(text: GuideText, heading: string, first: string | RegExp): string {
  const section = text.sections.find((s) => s.heading === heading);
  if (!section) throw new Error(`${text.file} has no section "${heading}" (its headings: ${text.sections.map((s) => s.heading).join(' | ')})`);
  const found = section.blocks.filter((b) => (typeof first === 'string' ? b.startsWith(first) : first.test(b)));
  if (found.length !== 1) throw new Error(`${text.file}, section "${heading}": ${found.length} code blocks start with "${first}", not one`);
  return found[0]!;
}

export const hasSection = (text: GuideText, heading: string): boolean => text.sections.some((s) => s.heading === heading);
