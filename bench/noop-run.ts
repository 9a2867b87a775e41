// Issue 2's benchmark: a no-op `kubenet run 00-qemu` vs `node -e ""`, and the up-to-date check
// with a 1 KB output vs a 3 GB sparse output.
import { mkdirSync, openSync, closeSync, ftruncateSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkStatus } from '../lib/fingerprint/check.js';
import { identityOf } from '../lib/fingerprint/identity.js';
import { fingerprintInputs } from '../lib/fingerprint/inputs.js';
import { tempDir } from '../test/helpers/tmp.js';
import { compare, ratioLine } from './measure.js';

const bin = fileURLToPath(new URL('../../bin/kubenet.js', import.meta.url));

export async function benchNoopRun(): Promise<void> {
  const dir = tempDir('kubenet-bench-');
  try {
    const images = join(dir.path, 'images');
    const env = { ...process.env, CI: 'true' };
    const run = [process.execPath, bin, 'run', '00-qemu', '--images', images];
    const { spawnSync } = await import('node:child_process');
    const first = spawnSync(run[0]!, run.slice(1), { env, encoding: 'utf8' });
    if (first.status !== 0) {
      console.log(`no-op run: skipped (00-qemu failed: ${first.stderr.trim().split('\n')[0]})`);
    } else {
      const { timeCommand } = await import('./measure.js');
      timeCommand(run, env); // the second run keeps the task files' list (images/.kubenet): the rest are no-ops
      const node = () => timeCommand([process.execPath, '-e', '']);
      const t = compare({ node, kubenet: () => timeCommand(run, env) }, 40);
      const line = ratioLine('no-op kubenet run 00-qemu vs node -e ""', t.kubenet!, t.node!, '≤ 1.2×');
      console.log(`${line}, load ${loadavg()[0]!.toFixed(2)}`);
    }

    // The up-to-date check itself, in process: stat calls only, whatever the output's size.
    const small = join(dir.path, 'small.out');
    const large = join(dir.path, 'large.out');
    mkdirSync(dir.path, { recursive: true });
    writeFileSync(small, Buffer.alloc(1024, 1));
    const fd = openSync(large, 'w');
    ftruncateSync(fd, 3 * 1024 ** 3); // sparse: 3 GB apparent size, no blocks written
    closeSync(fd);
    const fp = fingerprintInputs({ values: { arch: 'aarch64' } }, {});
    const recordOf = (path: string) => ({
      task: 't',
      inputs: fp.digest,
      parts: fp.parts,
      outputs: [{ path, sha256: '0', ...identityOf(path)! }],
      finishedAt: '',
    });
    const checks = (path: string) => () => {
      const record = recordOf(path);
      const start = process.hrtime.bigint();
      for (let i = 0; i < 2000; i++)
        if (checkStatus(record, fingerprintInputs({ values: { arch: 'aarch64' } }, {}), [path]).state !== 'done')
          throw new Error('not done');
      return Number(process.hrtime.bigint() - start) / 1e6 / 2000;
    };
    const c = compare({ small: checks(small), large: checks(large) }, 15);
    console.log(
      `up-to-date check: 1 KB output ${(c.small! * 1000).toFixed(1)} µs, 3 GB sparse output ` +
        `${(c.large! * 1000).toFixed(1)} µs → ` +
        `${(c.large! / c.small!).toFixed(2)}× (target: the same within noise)`,
    );
  } finally {
    dir.remove();
  }
}
