// What a run that has nothing to do must not load: openpgp.js (~1.2 MB, 70–160 ms to import here)
// and the key blocks are loaded only where a signature is verified; and of kubenet's own files only
// the bundle's entry and core and the task (scripts/bundle.mjs: each file costs Node time).
// Every module the real CLI loads is recorded — an ES module through a module hook (node --import),
// a CommonJS one (the bundle is CommonJS) from require's cache when the run exits (node --require) —
// so a static import anywhere on the no-op path shows here.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { which } from '../../lib/host/which.js';
import { binPath, repoRoot, testEnv } from '../helpers/cli.js';
import { skipUnless } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('lazy imports');
const hasQemu = Boolean(which('qemu-system-aarch64') && which('qemu-img'));

// The URLs of the modules a no-op run loads: the run of 00-qemu after `before` runs (the first one
// did it; the second still looks for task files with globby, as the first could not keep their
// list before images/.kubenet existed).
function noopRunModules(before: number): string[] {
  const dir = tempDir('kubenet-lazy-');
  try {
    const loaded = join(dir.path, 'loaded.txt');
    writeFileSync(
      join(dir.path, 'hooks.mjs'),
      `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) ` +
        `{ appendFileSync(${JSON.stringify(loaded)}, url + '\\n'); return next(url, context); }\n`,
    );
    writeFileSync(
      join(dir.path, 'register.mjs'),
      `import { register } from ` +
        `'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir.path, 'hooks.mjs')).href)});\n`,
    );
    writeFileSync(
      join(dir.path, 'required.cjs'),
      `const { appendFileSync } = require('node:fs');\nconst { pathToFileURL } = require('node:url');\n` +
        `process.on('exit', () => { for (const f of Object.keys(require.cache)) ` +
        `appendFileSync(${JSON.stringify(loaded)}, pathToFileURL(f).href + '\\n'); });\n`,
    );
    const run = () =>
      spawnSync(
        process.execPath,
        [
          '--require',
          join(dir.path, 'required.cjs'),
          '--import',
          join(dir.path, 'register.mjs'),
          binPath,
          'run',
          '00-qemu',
          '--arch',
          'aarch64',
          '--images',
          join(dir.path, 'images'),
        ],
        { env: { ...process.env, ...testEnv }, encoding: 'utf8', timeout: 120_000 },
      );
    for (let i = 0; i < before; i++) {
      const first = run();
      assert.is(first.status, 0, first.stderr);
    }
    writeFileSync(loaded, '');
    const noop = run();
    assert.is(noop.status, 0, noop.stderr);
    assert.match(noop.stdout, '00-qemu: up to date');
    return [...new Set(readFileSync(loaded, 'utf8').split('\n').filter(Boolean))];
  } finally {
    dir.remove();
  }
}

test('a no-op `kubenet run 00-qemu` loads no openpgp.js, signature code, execa, zx, yaml, ora or typescript', () => {
  if (skipUnless(hasQemu, 'QEMU is not installed')) return;
  const modules = noopRunModules(1);
  assert.ok(
    modules.some((m) => m.endsWith('/bundle/core.js')),
    'the hook saw the run',
  );
  assert.equal(
    modules.filter((m) => /node_modules\/openpgp\/|\/download\/(keys|verify)\//.test(m)),
    [],
  );
  // Nor a heavy package (globby lists the task folders: here, the ./tasks of the repository).
  assert.equal(
    modules.filter((m) => /node_modules\/(execa|zx|yaml|ora|typescript)\//.test(m)),
    [],
  );
});

test("a no-op `kubenet run 00-qemu` reads four of kubenet's files: bin, the bundle's entry and core, the task", () => {
  if (skipUnless(hasQemu, 'QEMU is not installed')) return;
  const repo = pathToFileURL(repoRoot).href;
  const ours = noopRunModules(2)
    .filter((m) => m.startsWith(repo))
    .map((m) => m.slice(repo.length));
  assert.equal(ours.sort(), ['bin/kubenet.js', 'bundle/Taskfile.js', 'bundle/core.js', 'bundle/tasks/00-qemu.js']);
});

test.run();
