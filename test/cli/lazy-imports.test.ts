// What a run that has nothing to do must not load: openpgp.js (~1.2 MB, 70–160 ms to import here)
// and the key blocks are loaded only where a signature is verified. Every module the real CLI
// loads is recorded through a module hook (node --import), so a static import anywhere on the
// no-op path shows here.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { which } from '../../lib/host/which.js';
import { binPath, testEnv } from '../helpers/cli.js';
import { skipUnless } from '../helpers/skip.js';
import { tempDir } from '../helpers/tmp.js';

const test = suite('lazy imports');
const hasQemu = Boolean(which('qemu-system-aarch64') && which('qemu-img'));

test('a no-op `kubenet run 00-qemu` loads neither openpgp.js nor the signature code', () => {
  if (skipUnless(hasQemu, 'QEMU is not installed')) return;
  const dir = tempDir('kubenet-lazy-');
  try {
    const loaded = join(dir.path, 'loaded.txt');
    writeFileSync(join(dir.path, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) ` + `{ appendFileSync(${JSON.stringify(loaded)}, url + '\\n'); return next(url, context); }\n`);
    writeFileSync(join(dir.path, 'register.mjs'), `import { register } from ` + `'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir.path, 'hooks.mjs')).href)});\n`);
    const run = () => spawnSync(process.execPath, ['--import', join(dir.path, 'register.mjs'), binPath, 'run', '00-qemu', '--arch', 'aarch64', '--images', join(dir.path, 'images')], { env: { ...process.env, ...testEnv }, encoding: 'utf8', timeout: 120_000 });
    const first = run();
    assert.is(first.status, 0, first.stderr);
    writeFileSync(loaded, '');
    const noop = run();
    assert.is(noop.status, 0, noop.stderr);
    assert.match(noop.stdout, '00-qemu: up to date');
    const modules = readFileSync(loaded, 'utf8').split('\n').filter(Boolean);
    assert.ok(modules.some((m) => m.endsWith('/dist/lib/cli/main.js')), 'the hook saw the run');
    assert.equal(modules.filter((m) => /node_modules\/openpgp\/|\/download\/(keys|verify)\//.test(m)), []);
  } finally {
    dir.remove();
  }
});

test.run();
