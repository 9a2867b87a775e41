// One way commands stop: the first SIGINT, SIGTERM or SIGHUP aborts the run with the signal's
// name as the reason; a second exits at once with 130.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { tempDir } from '../helpers/tmp.js';

const test = suite('onStopSignals');
const lib = pathToFileURL(fileURLToPath(new URL('../../lib/runner/stop-signals.js', import.meta.url))).href;

// A child that listens, reports the abort's reason, and otherwise waits (bounded: 20 s).
function child(
  dir: string,
): Promise<{ code: number | null; out: string }> & { kill(s: NodeJS.Signals): void; ready: Promise<void> } {
  const file = join(dir, 'child.mjs');
  writeFileSync(
    file,
    `import { onStopSignals } from '${lib}';
const stop = onStopSignals();
stop.signal.addEventListener('abort', () => console.log('aborted:' + stop.signal.reason));
console.log('ready');
setTimeout(() => process.exit(3), 20000);
`,
  );
  const p = spawn(process.execPath, [file], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let onReady!: () => void;
  const ready = new Promise<void>((r) => (onReady = r));
  p.stdout.on('data', (d) => {
    out += d;
    if (out.includes('ready')) onReady();
  });
  const done = new Promise<{ code: number | null; out: string }>((r) => p.on('exit', (code) => r({ code, out })));
  return Object.assign(done, { kill: (s: NodeJS.Signals) => void p.kill(s), ready });
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  test(`${signal} aborts with its name; a second signal exits 130 at once`, async () => {
    const dir = tempDir();
    try {
      const c = child(dir.path);
      await c.ready;
      c.kill(signal);
      await new Promise((r) => setTimeout(r, 300));
      c.kill(signal);
      const { code, out } = await c;
      assert.match(out, `aborted:${signal}`);
      assert.is(code, 130);
    } finally {
      dir.remove();
    }
  });
}

test.run();
