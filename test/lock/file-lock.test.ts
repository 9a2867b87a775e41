import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode, KubenetError } from '../../lib/errors.js';
import { acquireLock, LockBusy, type LockOptions } from '../../lib/lock/file-lock.js';
import { ownerRecord, thisMachine, type LockOwner } from '../../lib/lock/lock-owner.js';
import { processState } from '../../lib/process/pid-state.js';
import { rejection as rejectionOf } from '../helpers/rejection.js';
import { until, within } from '../helpers/within.js';

const test = suite('file lock');
const child = fileURLToPath(new URL('../helpers/lock-child.js', import.meta.url));
let dir = '';
let path = '';
const started: ChildProcess[] = [];

test.before.each(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubenet-lock-'));
  path = join(dir, 'x.lock');
});
test.after.each(async () => {
  for (const proc of started.splice(0)) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

const fast = { pollMs: 10, heartbeatMs: 50, staleMs: 1_000, confirmMs: 300, remindMs: 60_000, stoppedMs: 60_000 };
const options = (extra: Partial<LockOptions> = {}): LockOptions => ({
  what: 'downloading x',
  wait: true,
  timing: fast,
  ...extra,
});
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!; // exited by the time it is used
const plant = async (owner: Partial<LockOwner>, ageMs = 0) => {
  await writeFile(path, JSON.stringify({ ...ownerRecord('downloading x'), ...owner }));
  const then = new Date(Date.now() - ageMs);
  await utimes(path, then, then);
};
const ownerIn = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as LockOwner;

const rejection = (promise: Promise<unknown>) => rejectionOf(promise, KubenetError);

test('the lock names its holder: pid, host, this machine, what it does', async () => {
  const lock = await acquireLock(path, options());
  const owner = await ownerIn(path);
  assert.is(owner.pid, process.pid);
  assert.is(owner.host, hostname());
  assert.is(owner.machine, thisMachine());
  assert.is(owner.what, 'downloading x');
  await lock.release();
  assert.not.ok(existsSync(path));
  assert.not.ok(existsSync(`${path}.break`));
});

test('the holder refreshes its heartbeat, so a long hold never looks abandoned', async () => {
  const lock = await acquireLock(path, options());
  try {
    const then = new Date(Date.now() - 60_000);
    await utimes(path, then, then);
    await until(async () => Date.now() - (await stat(path)).mtimeMs < 10_000, 'a heartbeat', 5_000);
  } finally {
    await lock.release();
  }
});

test('a live holder makes the next one wait, say whom it waits for and how to break it, then go on', async () => {
  const first = await acquireLock(path, options());
  const logs: string[] = [];
  const second = acquireLock(path, options({ log: (l) => logs.push(l) }));
  await new Promise((r) => setTimeout(r, 100));
  assert.is(logs.length, 1);
  assert.match(logs[0]!, `waiting for pid ${process.pid} (downloading x since `);
  assert.match(logs[0]!, `if pid ${process.pid} is not a kubenet, remove ${path}`);
  await first.release();
  const lock = await within(5_000, 'the second acquisition', () => second);
  assert.is(lock.waited, true);
  await lock.release();
});

test('without waiting, a live holder is LockBusy at once, naming it', async () => {
  const first = await acquireLock(path, options());
  try {
    const error = await rejection(acquireLock(path, options({ wait: false })));
    assert.instance(error, LockBusy);
    assert.is(error.code, ExitCode.locked);
    assert.is((error as LockBusy).owner?.pid, process.pid);
  } finally {
    await first.release();
  }
});

test('a lock whose holder exited on this machine is taken over at once', async () => {
  await plant({ pid: deadPid() });
  const logs: string[] = [];
  const lock = await within(2_000, 'the takeover', () =>
    acquireLock(path, options({ wait: false, log: (l) => logs.push(l) })),
  );
  assert.is((await ownerIn(path)).pid, process.pid);
  assert.match(logs.join('\n'), /took over the lock .* has exited/);
  await lock.release();
});

test('a lock whose pid now names another live process (reused pid) is taken over at once', async () => {
  const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
  started.push(sleeper);
  await new Promise((r) => sleeper.once('spawn', r));
  assert.ok(processState(sleeper.pid!), 'this test needs /proc');
  await plant({ pid: sleeper.pid!, processStart: '1' }); // the holder started at tick 1; this process did not
  const logs: string[] = [];
  const lock = await within(2_000, 'the takeover', () =>
    acquireLock(path, options({ wait: false, log: (l) => logs.push(l) })),
  );
  assert.match(logs.join('\n'), `pid ${sleeper.pid} now belongs to another process`);
  await lock.release();
});

test('a lock from another host with a dead heartbeat is taken over once it stays still', async () => {
  await plant({ pid: 4242, host: 'container-7f3a', machine: 'elsewhere' }, 120_000);
  const logs: string[] = [];
  const lock = await within(5_000, 'the takeover', () => acquireLock(path, options({ log: (l) => logs.push(l) })));
  assert.is((await ownerIn(path)).pid, process.pid);
  assert.match(
    logs[0]!,
    new RegExp(
      /pid 4242 on container-7f3a .*looks abandoned \(its heartbeat stopped 120 s ago\); /.source +
        /taking it over in 1 s unless it moves/.source,
    ),
  );
  assert.match(logs[1]!, 'took over the lock');
  await lock.release();
});

test(
  'a lock from another host whose heartbeat is fresh ' + 'is live: refused without waiting, naming the host',
  async () => {
    await plant({ pid: 4242, host: 'container-7f3a', machine: 'elsewhere' });
    const error = await rejection(acquireLock(path, options({ wait: false })));
    assert.instance(error, LockBusy);
    assert.match(error.message, 'pid 4242 on container-7f3a');
    assert.match(error.hint ?? '', `remove ${path}`);
    assert.ok(existsSync(path));
  },
);

test('a heartbeat that moves while the waiter watches keeps the lock with its holder', async () => {
  await plant({ pid: 4242, host: 'container-7f3a', machine: 'elsewhere' }, 120_000);
  const controller = new AbortController();
  const waiting = acquireLock(path, options({ signal: controller.signal }));
  await new Promise((r) => setTimeout(r, 100));
  const now = new Date();
  await utimes(path, now, now); // the remote holder is alive after all
  await new Promise((r) => setTimeout(r, fast.confirmMs + 200));
  assert.is((await ownerIn(path)).pid, 4242);
  controller.abort();
  assert.is((await rejection(waiting)).code, ExitCode.interrupted);
});

test('a lock left empty by a holder killed before writing is never removed while fresh', async () => {
  await writeFile(path, '');
  const error = await rejection(acquireLock(path, options({ wait: false })));
  assert.instance(error, LockBusy);
  assert.ok(existsSync(path));
});

test('a symbolic link at the lock is refused, and its target is untouched', async () => {
  const victim = join(dir, 'victim');
  await writeFile(victim, 'precious');
  await symlink(victim, path);
  const error = await rejection(acquireLock(path, options()));
  assert.is(error.code, ExitCode.host);
  assert.match(error.message, `${path} is a symbolic link where kubenet keeps its own`);
  assert.match(error.message, `(it points to ${victim})`);
  assert.is(await readFile(victim, 'utf8'), 'precious');
});

test('waiting ends with "interrupted" on Ctrl-C', async () => {
  const first = await acquireLock(path, options());
  try {
    const controller = new AbortController();
    const waiting = acquireLock(path, options({ signal: controller.signal }));
    controller.abort();
    assert.is((await rejection(waiting)).code, ExitCode.interrupted);
  } finally {
    await first.release();
  }
});

// A holder suspended in another terminal (Ctrl-Z) is alive and never lets go: said, and bounded.
const stoppedHolder = async () => {
  const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
  started.push(sleeper);
  await new Promise((r) => sleeper.once('spawn', r));
  assert.ok(processState(sleeper.pid!), 'this test needs /proc');
  await plant({ pid: sleeper.pid!, processStart: processState(sleeper.pid!)!.start });
  sleeper.kill('SIGSTOP');
  await until(() => processState(sleeper.pid!)?.stopped === true, 'the holder to stop', 2_000);
  return sleeper;
};

test(
  'a holder that is stopped (Ctrl-Z) is said to be, with how ' +
    'to resume or end it; the wait gives up after its bound',
  async () => {
    const sleeper = await stoppedHolder();
    const logs: string[] = [];
    const started = performance.now();
    const error = await within(5_000, 'giving up', () =>
      rejection(acquireLock(path, options({ log: (l) => logs.push(l), timing: { ...fast, stoppedMs: 1_000 } }))),
    );
    assert.ok(performance.now() - started >= 1_000, 'not before the bound');
    assert.is(error.code, ExitCode.locked);
    assert.match(error.message, `pid ${sleeper.pid} (downloading x since `);
    assert.match(error.message, `has been stopped for 1 s holding ${path}: gave up waiting`);
    assert.match(
      error.hint ?? '',
      `Resume it (fg in its terminal, or kill -CONT ${sleeper.pid}) or end it (kill ${sleeper.pid}), then run again.`,
    );
    assert.match(logs.join('\n'), `holds ${path} but is stopped (suspended: Ctrl-Z or SIGSTOP), so it cannot finish`);
    assert.is((await ownerIn(path)).pid, sleeper.pid, 'the lock is left to its holder');
  },
);

test('a stopped holder that is resumed is waited for again, and its end lets the waiter go on', async () => {
  const sleeper = await stoppedHolder();
  const logs: string[] = [];
  const waiting = acquireLock(path, options({ log: (l) => logs.push(l), timing: { ...fast, stoppedMs: 3_000 } }));
  await until(() => logs.some((l) => l.includes('is stopped')), 'the waiter to say so', 2_000);
  sleeper.kill('SIGCONT');
  await until(() => logs.some((l) => l.includes('was resumed')), 'the waiter to see it resumed', 2_000);
  sleeper.kill('SIGKILL'); // it ends: its lock is taken over at once
  const lock = await within(3_000, 'the takeover', () => waiting);
  assert.is((await ownerIn(path)).pid, process.pid);
  await lock.release();
});

test('release leaves a lock that someone else took over alone', async () => {
  const lock = await acquireLock(path, options());
  await rm(path);
  await plant({ pid: 4242, host: 'container-7f3a', machine: 'elsewhere' });
  await lock.release();
  assert.is((await ownerIn(path)).pid, 4242);
});

test('a holder whose lock is taken over learns it through `lost`', async () => {
  const lock = await acquireLock(path, options());
  try {
    await rm(path);
    await plant({ pid: 4242, host: 'container-7f3a', machine: 'elsewhere' });
    await within(
      5_000,
      'the loss to be noticed',
      () => new Promise((r) => (lock.lost.aborted ? r(undefined) : lock.lost.addEventListener('abort', r))),
    );
    assert.match(String((lock.lost.reason as Error).message), 'lost the lock');
  } finally {
    await lock.release();
  }
});

// Two processes take the lock in turn, many times, and mark a room while they hold it.
for (const mode of ['shared', 'vm'] as const) {
  test(`two processes, 300 rounds each (${mode} lock): never two holders at once`, async () => {
    await mkdir(join(dir, 'images'));
    const run = () => {
      const proc = spawn(process.execPath, [child, mode, join(dir, 'images'), '300'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      started.push(proc);
      let out = '';
      let err = '';
      proc.stdout!.on('data', (d) => (out += d));
      proc.stderr!.on('data', (d) => (err += d));
      return new Promise<{ rounds: number; overlaps: number }>((resolve, reject) =>
        proc.on('close', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`exit ${code}: ${err}`)))),
      );
    };
    const results = await within(45_000, 'both contenders', () => Promise.all([run(), run()]));
    assert.equal(results, [
      { rounds: 300, overlaps: 0 },
      { rounds: 300, overlaps: 0 },
    ]);
    assert.not.ok(
      existsSync(join(dir, 'images', '.kubenet', 'locks', mode === 'vm' ? 'vm-ubuntu0.lock' : 'stress.lock')),
      'no lock left',
    );
  });
}

test.run();
