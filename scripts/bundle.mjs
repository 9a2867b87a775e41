// What ships: tsc's output (dist/) bundled into bundle/, so that a run with nothing to do reads four
// files instead of ~85, as CommonJS. Node 20 resolves, reads and links each ES module on its own,
// starts its ES module loader for the first one, and has no compile cache; that, not kubenet's code,
// was most of a no-op run's start-up (issue 21 §7, `npm run bench noop`). Loading the same four files
// measured 1.23–1.32× a bare `node -e ""` as ES modules, 1.13–1.17× as CommonJS; a whole no-op run
// 1.33× → 1.26–1.28×. The built-in tasks are CommonJS too: an ES module that imports CommonJS makes
// Node scan that file's exports (1.88× for a task importing core.js). The tests import dist/ (ES
// modules); the CLI they start runs bundle/, as a user's does.
// - bundle/package.json says "commonjs" for everything under it, so the files keep their names.
// - bundle/core.js: what a no-op run loads — the CLI and the `run` command (the root preview is
//   loaded only by a run that may need root). It loads no npm package: the build fails if it would.
// - bundle/api.js: the rest of the API task files import ('kubenet'): the cluster, the certificates,
//   the network daemon. Loaded by a task that uses them.
// - Every other module keeps its own file at its own path (bundle/lib/download/fetch-run.js …),
//   loaded when it is first needed (require), as before: zx, execa, yaml, openpgp and globby stay
//   lazy, and the packages that are ES modules only stay import()s.
// - The entries keep their paths: bin's Taskfile.js, the package export lib/index.js (so a user's
//   task, an ES module, shares the CLI's module instances: Node imports a CommonJS file from the
//   same cache require fills), the built-in tasks (required by the CLI: runner/import-task-file.ts),
//   and the files Node starts by path (module hooks, the hash thread, the network daemon).
//   `import.meta.url` becomes the URL of the module's own former path, so URLs relative to it keep
//   working.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const out = join(root, 'bundle');
const api = 'lib/index.js';
const startedByPath = [
  'lib/runner/typescript-hooks.js',
  'lib/download/verify/sha256-thread.js',
  'lib/usernet/network-daemon.js',
];
// (Taking in too every lazily imported module that loads no package measured slower: 460 KB to
// compile instead of 180.)
const coreRoots = ['Taskfile.js', 'lib/cli/commands/run.js'];

const tasks = readdirSync(join(dist, 'tasks'))
  .filter((f) => f.endsWith('.js'))
  .map((f) => `tasks/${f}`);
const entries = ['Taskfile.js', api, ...startedByPath, ...tasks];
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
      resolveId: (id) => (id === 'kubenet' ? join(dist, api) : null),
      // import.meta.url names the module's own file, wherever its code went.
      resolveImportMeta(property, { chunkId, moduleId }) {
        if (property !== 'url') return null;
        const own = relative(dirname(join(out, chunkId)), join(out, relative(dist, moduleId)));
        return `require('node:url').pathToFileURL(require('node:path').join(__dirname, ${JSON.stringify(own)})).href`;
      },
    },
  ],
});

let chunkOf;
rmSync(out, { recursive: true, force: true });
await bundle.write({
  dir: out,
  format: 'cjs',
  exports: 'named', // a task file's default export is `exports.default`, as import() names it
  entryFileNames: '[name].js',
  chunkFileNames: '[name].js',
  hoistTransitiveImports: false, // an entry imports what it uses, not the core's built-ins too
  manualChunks(id, { getModuleInfo }) {
    chunkOf ??= chunks(getModuleInfo);
    return chunkOf(id);
  },
});
await bundle.close();
writeFileSync(join(out, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);

// core: the roots and what they import statically; api: what else the API imports statically.
function chunks(info) {
  const core = new Set();
  for (const id of coreRoots) closureOf(info, join(dist, id), core);
  const packages = [...core].filter((id) => !isLocal(id) && !isBuiltin(id));
  if (packages.length) throw new Error(`bundle: the core would load ${packages.join(', ')}: import it lazily`);
  const rest = closureOf(info, join(dist, api));
  return (id) => (core.has(id) ? 'core' : rest.has(id) ? 'api' : relative(dist, id).replace(/\.js$/, ''));
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
  const lib = join(dist, 'lib');
  for (const file of readdirSync(lib, { recursive: true })
    .filter((f) => f.endsWith('.js'))
    .map((f) => join(lib, f))) {
    const relativeUrls = readFileSync(file, 'utf8').matchAll(/new URL\('(\.[^']*\.js)', import\.meta\.url\)/g);
    for (const [, target] of relativeUrls) {
      const entry = relative(dist, join(dirname(file), target));
      if (entries.includes(entry)) continue;
      throw new Error(`bundle: ${relative(dist, file)} reaches ${entry} by path: name it in startedByPath`);
    }
  }
}
