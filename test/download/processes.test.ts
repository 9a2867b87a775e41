import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { fetchArtifact } from '../../lib/download/index.js';
import { downloadFixture, fileName } from '../helpers/download-fixture.js';

const test = suite('downloads across processes');
const child = fileURLToPath(new URL('../helpers/download-child.js', import.meta.url));
const started: ChildProcess[] = [];

function run(root: string, url: string, mirror: string) {
  const proc = spawn(process.execPath, [child, root, url, mirror], { stdio: ['ignore', 'pipe', 'pipe'] });
  started.push(proc);
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d) => (stdout += d));
  proc.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve) => proc.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return { proc, done, stderr: () => stderr };
}

test.after.each(() => {
  for (const proc of started.splice(0)) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
});

test('kill -9 during a download, then a rerun resumes from the partial and recovers the lock', async () => {
  const f = await downloadFixture(2 << 20);
  try {
    f.server.always(f.path, { trickle: { bytes: 32 * 1024, everyMs: 10 } });
    const first = run(f.paths.root, f.url, f.server.url);
    await until(
      () => /progress (\d+)/.test(first.stderr()) && Number(/.*progress (\d+)/s.exec(first.stderr())![1]) >= 512 * 1024,
    );
    first.proc.kill('SIGKILL');
    const ended = await first.done;
    assert.is(ended.signal, 'SIGKILL');
    assert.ok(existsSync(f.paths.lock(`download-${fileName}`)), 'the killed process left its lock behind');
    const kept = (await stat(f.paths.partial(fileName))).size;
    assert.ok(kept >= 256 * 1024);
    f.server.always(f.path, undefined);
    const result = await fetchArtifact({ url: f.url }, f.options);
    assert.is(result.status, 'resumed');
    assert.is(result.sha256, f.sha256);
    assert.is(result.transferred, f.body.length - kept);
    assert.ok((await readFile(result.path)).equals(f.body));
  } finally {
    await f.dispose();
  }
});

test('two processes on one images/: one downloads, the other waits and uses the result', async () => {
  const f = await downloadFixture(2 << 20);
  try {
    f.server.always(f.path, { trickle: { bytes: 32 * 1024, everyMs: 20 } });
    const a = run(f.paths.root, f.url, f.server.url);
    await until(() => /progress/.test(a.stderr())); // a holds the lock and is downloading
    const b = run(f.paths.root, f.url, f.server.url);
    const [ra, rb] = await Promise.all([a.done, b.done]);
    assert.is(ra.code, 0, ra.stderr);
    assert.is(rb.code, 0, rb.stderr);
    const results = [JSON.parse(ra.stdout), JSON.parse(rb.stdout)];
    assert.equal(
      results.map((r) => r.status),
      ['downloaded', 'cached'],
    );
    assert.ok(results.every((r) => r.sha256 === f.sha256));
    assert.is(f.server.requests.filter((r) => r.path === f.path).length, 1, 'one download, not two');
    assert.match(rb.stderr, `waiting for pid ${a.proc.pid} (downloading jammy-server-cloudimg-arm64.img since `);
    assert.ok((await readFile(f.paths.artifact(fileName))).equals(f.body));
  } finally {
    await f.dispose();
  }
});

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test.run();
