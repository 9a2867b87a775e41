// The README and docs/ as a reader follows them: every relative link reaches a file, every #anchor
// a heading there (as GitHub names it), and the README's worked example is the task file that
// test/e2e/user-task.test.ts runs.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { repoRoot } from '../helpers/cli.js';

const test = suite('docs: the README and docs/');

const docs = readdirSync(join(repoRoot, 'docs')).filter((f) => f.endsWith('.md'));
const pages = ['README.md', ...docs.map((f) => `docs/${f}`)];
const read = (page: string) => readFileSync(join(repoRoot, page), 'utf8');
// The text outside fenced code blocks: a `# comment` in a YAML block is no heading.
const prose = (text: string) => text.replace(/^ *```[^\n]*\n[\s\S]*?^ *```$/gm, '');

// GitHub's anchor for a heading: lower case, punctuation dropped, each space a hyphen.
const anchorOf = (heading: string): string =>
  heading
    .trim()
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N} _-]/gu, '')
    .replace(/ /g, '-');

const anchorsOf = (text: string) => new Set([...prose(text).matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchorOf(m[1]!)));
const linksOf = (text: string) =>
  [
    ...prose(text)
      .replace(/`[^`\n]*`/g, '')
      .matchAll(/\]\(([^)\s]+)\)/g),
  ].map((m) => m[1]!);

test('anchorOf names headings as GitHub does', () => {
  assert.is(anchorOf("Signatures: Ubuntu's, not just a checksum"), 'signatures-ubuntus-not-just-a-checksum');
  assert.is(anchorOf('The cluster (chapters 2 and 3)'), 'the-cluster-chapters-2-and-3');
  assert.is(anchorOf('Downloads and locks: guarantees and bounds'), 'downloads-and-locks-guarantees-and-bounds');
});

test('every relative link reaches a file, and every #anchor a heading in it', () => {
  const broken: string[] = [];
  let checked = 0;
  for (const page of pages) {
    for (const link of linksOf(read(page))) {
      if (/^[a-z]+:/i.test(link)) continue; // https:, mailto:
      const [path, anchor] = link.split('#') as [string, string | undefined];
      const target = path === '' ? page : relative(repoRoot, join(repoRoot, dirname(page), path));
      checked++;
      if (!existsSync(join(repoRoot, target))) broken.push(`${page}: ${link} (no file ${target})`);
      else if (anchor !== undefined && !anchorsOf(read(target)).has(anchor)) {
        broken.push(`${page}: ${link} (no heading #${anchor} in ${target})`);
      }
    }
  }
  assert.ok(checked > 20, `only ${checked} links found: the scan is broken`);
  assert.equal(broken, []);
});

test("the README's worked example is the task file the e2e test runs, byte for byte", () => {
  const fixture = readFileSync(join(repoRoot, 'test/fixtures/user-tasks/04-disk-usage.ts'), 'utf8');
  const code = fixture.replace(/^(\/\/.*\n)+/, ''); // the file's own comment says where it comes from
  const blocks = [...read('README.md').matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
  assert.ok(blocks.includes(code), 'no ```ts block in README.md equals 04-disk-usage.ts (after its comment)');
});

test.run();
