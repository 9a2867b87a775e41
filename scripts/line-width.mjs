// Fails, listing each one, on any source line over 120 characters. Biome's formatter keeps code
// within its lineWidth but never breaks a string, a template literal or a comment, so `npm run
// lint` runs this beside `biome check`, over the same files. Shell scripts are not checked: the guest
// builds' cache keys hash their own text (scripts/build-test-guest.sh), so rewrapping them rebuilds every guest.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const maxWidth = 120;
const root = new URL('..', import.meta.url).pathname;
const roots = ['lib', 'tasks', 'test', 'bench', 'scripts', 'bin', 'Taskfile.ts'];
const source = /\.(ts|mts|cts|js|mjs|cjs)$/;
const skipped = new Set(['node_modules', 'dist']); // test/fixtures is checked: biome skips it, this does not

function* files(path) {
  let entries;
  try {
    entries = readdirSync(path, { withFileTypes: true });
  } catch (error) {
    if (error.code === 'ENOTDIR') return yield path;
    throw error;
  }
  for (const entry of entries) {
    if (skipped.has(entry.name)) continue;
    const child = join(path, entry.name);
    if (entry.isDirectory()) yield* files(child);
    else if (entry.isFile() && source.test(entry.name)) yield child;
  }
}

const over = [];
for (const top of roots) {
  for (const file of files(join(root, top))) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, index) => {
      const width = [...line].length; // characters, not UTF-16 units: '…' and '—' count once
      if (width > maxWidth) over.push(`${relative(root, file)}:${index + 1}: ${width} characters`);
    });
  }
}

if (over.length > 0) {
  console.error(over.join('\n'));
  console.error(`${over.length} line(s) over ${maxWidth} characters: split the string or comment by hand`);
  process.exitCode = 1;
}
