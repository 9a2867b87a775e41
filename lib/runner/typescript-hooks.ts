// Module hooks (node:module register) for users' TypeScript task files: `.ts` is compiled with
// TypeScript's transpileModule (types are stripped, nothing is checked: `tsc` in an editor does
// that), and the specifier 'kubenet' resolves to this kubenet, so a task file works in a folder
// that has no node_modules of its own (npx kubenet). Loading TypeScript costs about a second, so
// what it makes is kept by content hash in ~/.cache/kubenet/compiled and reused.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import type { LoadHook, ResolveHook } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';

const api = new URL('../index.js', import.meta.url).href;
const cacheDir = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'kubenet', 'compiled');
const format = 'transpile-esnext-es2022-v1'; // part of the cache key: a new compile setting is a new key

export const resolve: ResolveHook = (specifier, context, next) => {
  if (specifier === 'kubenet') return { url: api, shortCircuit: true };
  return next(specifier, context);
};

export const load: LoadHook = async (url, context, next) => {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const source = await readFile(new URL(url), 'utf8');
  const cached = join(cacheDir, `${createHash('sha256').update(`${format}\0${source}`).digest('hex')}.js`);
  const hit = await readFile(cached, 'utf8').catch(() => undefined);
  if (hit !== undefined) return { format: 'module', source: hit, shortCircuit: true };
  const ts = (await import('typescript')).default;
  const out = ts.transpileModule(source, {
    fileName: new URL(url).pathname,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, inlineSourceMap: true },
  }).outputText;
  // Best effort: a cache that cannot be written only costs the next start a second.
  const temp = `${cached}.${process.pid}.tmp`;
  await mkdir(cacheDir, { recursive: true })
    .then(() => writeFile(temp, out, { flag: 'wx' }))
    .then(() => rename(temp, cached))
    .catch(() => undefined);
  return { format: 'module', source: out, shortCircuit: true };
};
