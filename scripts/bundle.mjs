// What ships: tsc's output (dist/) bundled into bundle/, so that a run with nothing to do reads a
// few files instead of ~85. Node 20 resolves, reads and links every ES module on its own; that, not
// kubenet's code, was most of a no-op run's start-up (issue 21 §7, bench/noop-run.ts).
// - bundle/core.js: what a run with nothing to do loads — the CLI, the `run` command with the root
//   preview it imports lazily, and the API task files import ('kubenet'). It loads no npm package:
//   the build fails if it would.
// - Every other module keeps its own file at its own path (bundle/lib/download/fetch.js …), loaded
//   when it is imported, as before: zx, execa, yaml, openpgp and globby stay lazy.
// - The entries keep their paths: bin's Taskfile.js, the package export lib/index.js (so a user's
//   task file shares the CLI's module instances), the built-in tasks, and the files Node starts by
//   path (module hooks, the worker thread, the network daemon). `import.meta.url` in a module
//   still names the module's own path, so URLs relative to it keep working.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const out = join(root, 'bundle');
const startedByPath = ['lib/runner/typescript-hooks.js', 'lib/download/verify/sha256-thread.js', 'lib/usernet/network-daemon.js'];
const coreRoots = ['Taskfile.js', 'lib/cli/commands/run.js', 'lib/runner/root-preview.js'];

const entries = ['Taskfile.js', 'lib/index.js', ...startedByPath, ...readdirSync(join(dist, 'tasks')).filter((f) => f.endsWith('.js')).map((f) => `tasks/${f}`)];
refuseUnknownRelativeUrls();

const isLocal = (id) => id.startsWith('/');
const bundle = await rollup({
  input: Object.fromEntries(entries.map((e) => [e.replace(/\.js$/, ''), join(dist, e)])),
  external: (id) => !id.startsWith('.') && !isLocal(id) && id !== 'kubenet',
  preserveEntrySignatures: 'strict',
  // A module is imported for its exports only: Node's built-ins, and kubenet's own, which do no work
  // at import (the network daemon and the hash thread do theirs only when started, as entries). So
  // a task that imports `task` from 'kubenet' loads the core, not the whole API.
  treeshake: { moduleSideEffects: false },
  onwarn(warning) {
    if (warning.code === 'EMPTY_BUNDLE') return; // a module that only re-exports (lib/iso/index.ts)
    throw new Error(`bundle: ${warning.message}`);
  },
  plugins: [
    {
      name: 'kubenet',
      // The built-in tasks' `import … from 'kubenet'` is the bundle's own API: one instance.
      resolveId: (id) => (id === 'kubenet' ? join(dist, 'lib/index.js') : null),
      // import.meta.url names the module's own file, wherever its code went.
      resolveImportMeta(property, { chunkId, moduleId }) {
        if (property !== 'url') return null;
        const own = relative(dirname(join(out, chunkId)), join(out, relative(dist, moduleId)));
        return `new URL(${JSON.stringify(own)}, import.meta.url).href`;
      },
    },
  ],
});

let core;
let api;
rmSync(out, { recursive: true, force: true });
await bundle.write({
  dir: out,
  format: 'es',
  entryFileNames: '[name].js',
  chunkFileNames: '[name].js',
  hoistTransitiveImports: false, // an entry imports what it uses, not the core's built-ins too
  manualChunks(id, { getModuleInfo }) {
    core ??= coreModules(getModuleInfo);
    api ??= new Set([...closureOf(getModuleInfo, join(dist, 'lib/index.js'))].filter((m) => isLocal(m) && !core.has(m)));
    return core.has(id) ? 'core' : api.has(id) ? 'api' : relative(dist, id).replace(/\.js$/, '');
  },
});
await bundle.close();

// The core's modules: its roots and what they import statically. (Taking in every lazily imported
// module that brings no package measured slower: 460 KB to compile instead of 210.)
function coreModules(info) {
  const core = new Set();
  for (const id of coreRoots) closureOf(info, join(dist, id), core);
  const packages = [...core].filter((id) => !isLocal(id) && !isBuiltin(id));
  if (packages.length) throw new Error(`bundle: the core would load ${packages.join(', ')}: import it lazily`);
  return new Set([...core].filter(isLocal));
}

function closureOf(info, id, into = new Set()) {
  if (!into.has(id)) {
    into.add(id);
    for (const next of info(id).importedIds) closureOf(info, next, into);
  }
  return into;
}

function isBuiltin(id) {
  return id.startsWith('node:') || builtinModules.includes(id);
}

// A file reached as `new URL('./x.js', import.meta.url)` must be an entry, or it would not exist.
function refuseUnknownRelativeUrls() {
  const walk = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  for (const file of walk(join(dist, 'lib')).filter((f) => f.endsWith('.js'))) {
    for (const [, target] of readFileSync(file, 'utf8').matchAll(/new URL\('(\.[^']*\.js)', import\.meta\.url\)/g)) {
      const entry = relative(dist, join(dirname(file), target));
      if (!entries.includes(entry)) throw new Error(`bundle: ${relative(dist, file)} reaches ${entry} by path: add it to startedByPath`);
    }
  }
}
