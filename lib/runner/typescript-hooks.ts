// Module hooks (node:module register) for users' TypeScript task files: `.ts` is compiled with
// TypeScript's transpileModule (types are stripped, nothing is checked: `tsc` in an editor does
// that), and the specifier 'kubenet' resolves to this kubenet, so a task file works in a folder
// that has no node_modules of its own (npx kubenet).
import type { LoadHook, ResolveHook } from 'node:module';

const api = new URL('../index.js', import.meta.url).href;

export const resolve: ResolveHook = (specifier, context, next) => {
  if (specifier === 'kubenet') return { url: api, shortCircuit: true };
  return next(specifier, context);
};

export const load: LoadHook = async (url, context, next) => {
  if (!url.startsWith('file:') || !url.endsWith('.ts')) return next(url, context);
  const { readFile } = await import('node:fs/promises');
  const ts = (await import('typescript')).default;
  const source = await readFile(new URL(url), 'utf8');
  const out = ts.transpileModule(source, {
    fileName: new URL(url).pathname,
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false, inlineSourceMap: true },
  });
  return { format: 'module', source: out.outputText, shortCircuit: true };
};
