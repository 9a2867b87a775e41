// The VMs of a boot one after another: nothing starts once the run is interrupted (also when it
// was before the boot began), and the first failure — a VM's own, or its folder that cannot be
// made — stops the VMs already running instead of leaving them unsupervised.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KubenetError } from '../../lib/errors.js';
import { makePaths } from '../../lib/paths.js';
import type { BootPlan, BootVm } from '../../lib/runner/boot-plan.js';
import type { RunEnv } from '../../lib/runner/run-env.js';
import { startInTurn } from '../../lib/runner/start-in-turn.js';
import { tempDir } from '../helpers/tmp.js';
import { silentReporter } from '../helpers/silent-reporter.js';

const test = suite('startInTurn');
let dir: ReturnType<typeof tempDir>;
test.before.each(() => {
  dir = tempDir('kubenet-start-in-turn-');
});
test.after.each(() => dir.remove());

// A run's environment and a plan of `names`, each VM's serial log already showing life (no pacing).
function planOf(names: string[], signal: AbortSignal): { env: RunEnv; plan: BootPlan } {
  const paths = makePaths(join(dir.path, 'images'));
  const env = { paths, signal, reporter: silentReporter } as unknown as RunEnv;
  const vms = names.map((vm) => {
    const serialLog = paths.vmFile(vm, 'serial.log');
    return { vm, ctx: { facts: { firmware: { mode: 'bios' } } }, controlled: { serialLog } } as unknown as BootVm;
  });
  return { env, plan: { task: '30-cluster', several: names.length > 1, vms } as unknown as BootPlan };
}

const showLife = (paths: RunEnv['paths'], vm: string) => {
  mkdirSync(paths.vmDir(vm), { recursive: true });
  writeFileSync(paths.vmFile(vm, 'serial.log'), 'UEFI\n');
};

test('a run interrupted before the boot began starts no VM (test: failed before — the first VM started)', async () => {
  const stop = new AbortController();
  stop.abort('SIGINT');
  const { env, plan } = planOf(['gateway', 'control0'], stop.signal);
  const started: string[] = [];
  const result = await startInTurn(env, plan, async (b) => void started.push(b.vm));
  assert.equal(started, []);
  assert.is(result.started, 0);
  assert.ok(result.aborted);
  assert.is(result.failure, undefined);
});

test('the first VM that fails stops the others: those running see their signal, the rest never start', async () => {
  const { env, plan } = planOf(['gateway', 'control0', 'worker0'], new AbortController().signal);
  const seen: Record<string, string> = {};
  const result = await startInTurn(env, plan, async (b, signal) => {
    showLife(env.paths, b.vm);
    if (b.vm === 'control0') throw new KubenetError('control0 exited');
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    seen[b.vm] = String((signal.reason as Error).message);
  });
  assert.instance(result.failure, KubenetError);
  assert.is((result.failure as Error).message, 'control0 exited');
  assert.equal(
    seen,
    { gateway: 'control0 exited' },
    "gateway was stopped by control0's failure; worker0 never started",
  );
  assert.is(result.started, 2);
});

test(
  'a VM whose folder cannot be made is the failure, and the VMs before it ' +
    'are stopped (test: failed before — it threw with gateway left running)',
  async () => {
    const { env, plan } = planOf(['gateway', 'control0'], new AbortController().signal);
    mkdirSync(env.paths.vms, { recursive: true });
    symlinkSync(dir.path, env.paths.vmDir('control0')); // a link where control0's folder goes: refused
    let stopped = false;
    const result = await startInTurn(env, plan, async (b, signal) => {
      showLife(env.paths, b.vm);
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
      stopped = true;
    });
    assert.ok(result.failure, 'the link is the failure');
    assert.match((result.failure as Error).message, 'control0');
    assert.ok(stopped, 'gateway was stopped');
    assert.is(result.started, 1);
  },
);

test.run();
