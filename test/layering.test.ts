// The code map in docs/development.md is the one declaration of lib/'s layers (a table, bottom
// first) and of its few lazy imports; this test reads it and holds lib/ to it: every import runs
// down the table to a folder its row names, there is no circle (of files or folders), and an
// `import()` is found only where the map names it.
import { readFileSync, readdirSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import ts from 'typescript';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { repoRoot } from './helpers/cli.js';

const test = suite('layering');

interface Import {
  from: string;
  to: string;
  specifier: string;
  lazy: boolean;
}

// lib/ files by their path from the repository root (lib/fs/temp-names.ts).
function libFiles(dir = join(repoRoot, 'lib')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return libFiles(path);
    return entry.name.endsWith('.ts') ? [relative(repoRoot, path).split('\\').join('/')] : [];
  });
}

// Every import of a file: static, type-only, re-exports, `import()` calls and `import('x').T` types.
function importsOf(file: string): Import[] {
  const source = ts.createSourceFile(file, readFileSync(join(repoRoot, file), 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Import[] = [];
  const add = (node: ts.Node | undefined, lazy: boolean): void => {
    const specifier = node && ts.isStringLiteralLike(node) ? node.text : '(computed)';
    const local = specifier.startsWith('.');
    const to = local ? posix.normalize(posix.join(posix.dirname(file), specifier)).replace(/\.js$/, '.ts') : specifier;
    found.push({ from: file, to, specifier, lazy });
  };
  const visit = (node: ts.Node): void => {
    const declared = ts.isImportDeclaration(node) || ts.isExportDeclaration(node);
    if (declared && node.moduleSpecifier) add(node.moduleSpecifier, false);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) add(node.argument.literal, false);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

// A file's layer: its folder under lib/ (lib/download/http/x.ts → download); lib/*.ts is `base`,
// lib/index.ts (the API task files import) is `index`.
function layerOf(file: string): string {
  if (file === 'lib/index.ts') return 'index';
  const parts = file.split('/');
  return parts.length === 2 ? 'base' : parts[1]!;
}

interface Layer {
  name: string;
  mayImport: string[];
}
interface Lazy {
  file: string;
  imports: string;
}

// The `## Code map` section's two tables: layers (bottom first, a name in the first cell) and
// lazy imports (a file in the first cell); every cell of three is read, the header rows are not.
function codeMap(): { layers: Layer[]; lazy: Lazy[] } {
  const doc = readFileSync(join(repoRoot, 'docs/development.md'), 'utf8');
  const section = doc.split(/^## /m).find((s) => s.startsWith('Code map'));
  assert.ok(section, 'docs/development.md has a "## Code map" section');
  const ticked = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .map((line) => line.split('|').slice(1, -1).map(ticked))
    .filter((cells) => cells.length === 3 && cells[0]!.length > 0);
  const files = rows.filter(([first]) => first![0]!.endsWith('.ts'));
  const folders = rows.filter(([first]) => !first![0]!.endsWith('.ts'));
  return {
    layers: folders.map(([first, , may]) => ({ name: first![0]!, mayImport: may! })),
    lazy: files.map(([first, imports]) => ({ file: first![0]!, imports: imports![0]! })),
  };
}

// `./commands/*.js` matches `./commands/run.js`; `(computed)` matches an import() of a variable.
const matches = (pattern: string, specifier: string): boolean =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`).test(specifier);

// Strongly connected parts of more than one node (Tarjan).
function circles(nodes: string[], next: (n: string) => Iterable<string>): string[][] {
  let index = 0;
  const seen = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const strong = (v: string): void => {
    seen.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!seen.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, seen.get(w)!));
    }
    if (low.get(v) !== seen.get(v)) return;
    const part: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      part.push(w);
    } while (w !== v);
    if (part.length > 1) out.push(part);
  };
  for (const v of nodes) if (!seen.has(v)) strong(v);
  return out;
}

const files = libFiles();
const imports = files.flatMap(importsOf);
const ours = imports.filter((i) => i.to.startsWith('lib/'));
const { layers, lazy } = codeMap();
const rank = new Map(layers.map((l, i) => [l.name, i]));

test('every folder of lib/ has a row in the code map, and every row a folder', () => {
  const folders = [...new Set(files.map(layerOf))].sort();
  assert.equal([...rank.keys()].sort(), folders);
});

test('a row may import only rows above it', () => {
  const below = (m: string, l: Layer): boolean => (rank.get(m) ?? Infinity) < rank.get(l.name)!;
  const upward = layers.flatMap((l) => l.mayImport.filter((m) => !below(m, l)).map((m) => `${l.name} → ${m}`));
  assert.equal(upward, []);
});

test('every import between folders runs down to a folder its row names', () => {
  const stray = ours
    .filter((i) => layerOf(i.from) !== layerOf(i.to))
    .filter((i) => !layers[rank.get(layerOf(i.from)) ?? -1]?.mayImport.includes(layerOf(i.to)))
    .map((i) => `${i.from} → ${i.to} (${layerOf(i.from)} → ${layerOf(i.to)})`);
  assert.equal(stray, []);
});

test('no circle of folders, and none of files', () => {
  const folderEdges = new Map<string, Set<string>>();
  const fileEdges = new Map<string, Set<string>>();
  for (const i of ours) {
    const [a, b] = [layerOf(i.from), layerOf(i.to)];
    if (a !== b) folderEdges.set(a, (folderEdges.get(a) ?? new Set()).add(b));
    fileEdges.set(i.from, (fileEdges.get(i.from) ?? new Set()).add(i.to));
  }
  assert.equal(
    circles([...rank.keys()], (f) => folderEdges.get(f) ?? []),
    [],
  );
  assert.equal(
    circles(files, (f) => fileEdges.get(f) ?? []),
    [],
  );
});

test('an import() is found only where the code map names it, and each one named is there', () => {
  const named = (i: Import, l: Lazy): boolean => i.lazy && l.file === i.from && matches(l.imports, i.specifier);
  const unnamed = imports.filter((i) => i.lazy && !lazy.some((l) => named(i, l)));
  assert.equal(
    unnamed.map((i) => `${i.from}: import('${i.specifier}')`),
    [],
  );
  const unused = lazy.filter((l) => !imports.some((i) => named(i, l)));
  assert.equal(
    unused.map((l) => `${l.file} → ${l.imports}`),
    [],
  );
});

test('the code map is read: it names the base, the API and the lazy command table', () => {
  assert.equal(layers[0]?.name, 'base');
  assert.equal(layers.at(-1)?.name, 'index');
  assert.ok(lazy.some((l) => l.file === 'lib/cli/main.ts'));
  assert.ok(ours.length > files.length, 'the imports of lib/ were read');
});

test.run();
