// What `npm pack` ships: the CLI, the bundled library (scripts/bundle.mjs) with its types (the
// package's `exports`), the built-in tasks and the licence — and not the tests, the build scripts
// or anything kubenet writes at run time. (.ci/run also installs the tarball into an empty folder from the registry
// and runs `npx kubenet list` there.)
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { repoRoot } from '../helpers/cli.js';

const test = suite('the npm package');
const packed = (): string[] => {
  const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot, encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  return (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
};

test('ships the bin, the typed API its exports name, the tasks and the licence', () => {
  const files = packed();
  const pkg = JSON.parse(readFileSync(`${repoRoot}/package.json`, 'utf8'));
  const tasks = ['bundle/tasks/00-qemu.js', 'bundle/tasks/03-cloud-image.js'];
  const bundled = ['bundle/Taskfile.js', ...tasks, 'bundle/lib/runner/typescript-hooks.js'];
  // bin/ and bundle/ are CommonJS by their own package.json: without it Node reads them as ES modules.
  for (const f of ['bin/kubenet.js', 'bin/package.json', 'bundle/package.json', ...bundled, 'LICENSE', 'README.md'])
    assert.ok(files.includes(f), f);
  for (const target of [pkg.exports['.'].import, pkg.exports['.'].types])
    assert.ok(files.includes(target.replace(/^\.\//, '')), target);
  assert.is(pkg.license, 'MIT');
});

test('ships no tests, build scripts, source maps of tests, or files kubenet writes while it runs', () => {
  const files = packed();
  assert.equal(
    files.filter((f) => /^(test|scripts|bench|images)\/|^dist\/(test|bench)\/|\.tasks\.json$|tsbuildinfo/.test(f)),
    [],
  );
});

test('ships every file the README links to, so its links work in the installed package too', () => {
  const files = packed();
  const readme = readFileSync(`${repoRoot}/README.md`, 'utf8').replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '');
  const targets = [...new Set([...readme.matchAll(/\]\(([^)#\s:]+)(#[^)]*)?\)/g)].map((m) => m[1]!))];
  assert.ok(targets.includes('docs/downloads.md'), "the scan finds the README's links");
  assert.equal(
    targets.filter((t) => !files.includes(t)),
    [],
  );
});

test('every runtime import of the bundled library is a dependency, not a devDependency', () => {
  const pkg = JSON.parse(readFileSync(`${repoRoot}/package.json`, 'utf8'));
  const imports = "from '[a-z@][^'./][^']*'|(import|require)\\('[a-z@][^'./][^']*'\\)";
  const r = spawnSync('grep', ['-rhoE', imports, 'bundle'], { cwd: repoRoot, encoding: 'utf8' });
  const specifiers = new Set(
    [...r.stdout.matchAll(/'([^']+)'/g)]
      .map((m) => m[1]!)
      .filter((s) => !s.startsWith('node:'))
      .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!)),
  );
  for (const s of specifiers)
    assert.ok(s === 'kubenet' || s in pkg.dependencies, `${s} is imported at run time: it must be in dependencies`);
  assert.ok(specifiers.has('zx') && specifiers.has('execa'), 'the scan found the known ones');
});

test.run();
