// Runs the real CLI (bin/kubenet.js) as a user would, without a TTY and with CI set — and without
// the shared download cache (KUBENET_CACHE=off), so that no test reads or fills ~/.cache and each
// downloads what it asserts on; the cache's own tests give KUBENET_CACHE (or --cache) themselves.
// SHA256SUMS.gpg is checked against the tests' own key (signing.ts), never Ubuntu's: testEnv.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trustedKeysFile } from './signing.js';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const binPath = fileURLToPath(new URL('../../../bin/kubenet.js', import.meta.url));

// How every test runs kubenet (a test's own env comes on top).
export const testEnv = { CI: 'true', KUBENET_CACHE: 'off', KUBENET_TRUSTED_KEYS: trustedKeysFile } as const;

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function kubenet(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): CliResult {
  const env = { ...process.env, ...testEnv, ...options.env };
  const r = spawnSync(process.execPath, [binPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    env,
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 120_000,
  });
  record(args, env, options.cwd, r.stdout + r.stderr);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// With KUBENET_TEST_TRANSCRIPT=FILE (test/cli/secrets.test.ts sets it for the suites it checks),
// every run's output is appended to FILE, and so is every small file it left in its images/ folder
// and shared cache — records, logs, JSON — so that a test can look for what must never be printed
// or written.
function record(args: string[], env: NodeJS.ProcessEnv, cwd: string | undefined, output: string): void {
  const transcript = process.env.KUBENET_TEST_TRANSCRIPT;
  if (!transcript) return;
  const after = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const dirs = [
    after('--images') ?? env.KUBENET_IMAGES ?? join(cwd ?? repoRoot, 'images'),
    after('--cache') ?? env.KUBENET_CACHE,
  ];
  const files = dirs.flatMap((d) => (d && d !== 'off' ? smallFilesIn(d) : []));
  // The command's name only: the test's own argv (a URL with credentials it passes) is not kubenet's output.
  appendFileSync(
    transcript,
    [`$ kubenet ${args[0] ?? ''} …`, output, ...files.map((f) => `--- ${f}\n${readFileSync(f, 'latin1')}`), ''].join(
      '\n',
    ),
  );
}

function smallFilesIn(dir: string, depth = 0): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    const stats = lstatSync(path, { throwIfNoEntry: false });
    if (stats?.isDirectory() && depth < 4) return smallFilesIn(path, depth + 1);
    return stats?.isFile() && stats.size <= 256 * 1024 ? [path] : [];
  });
}

// The same, without blocking the event loop (a test's own HTTP server must keep answering).
// The child is killed if the test gives up on it. `wrapper` runs kubenet under another command
// (setpriv to drop to another user, unshare to give it a small disk): its argv comes first.
export function kubenetAsync(
  args: string[],
  options: {
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    timeoutMs?: number;
    wrapper?: string[];
    onSpawn?: (child: import('node:child_process').ChildProcess) => void;
  } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const [exe, ...rest] = [...(options.wrapper ?? []), process.execPath, binPath, ...args];
    const env = { ...process.env, ...testEnv, ...options.env };
    const child = spawn(exe!, rest, { cwd: options.cwd ?? repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `kubenet ${args.join(' ')} did not finish in ${options.timeoutMs ?? 600_000} ms\n${stdout}\n${stderr}`,
        ),
      );
    }, options.timeoutMs ?? 600_000);
    child.once('error', (e) => (clearTimeout(timer), reject(e)));
    child.once('close', (code) => {
      clearTimeout(timer);
      record(args, env, options.cwd, stdout + stderr);
      resolve({ code, stdout, stderr });
    });
    options.onSpawn?.(child);
  });
}

export interface RunningKubenet {
  child: import('node:child_process').ChildProcess;
  output(): string; // stdout and stderr so far, interleaved
  // Resolves with the output once it matches; rejects when kubenet exits first or after timeoutMs.
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string>;
  exited: Promise<CliResult>;
}

// Starts the CLI and leaves it running (a VM booted headless without --until): the test talks
// to it while it runs, then signals it. Callers kill it in their cleanup.
export function startKubenet(args: string[], options: { env?: NodeJS.ProcessEnv } = {}): RunningKubenet {
  const env = { ...process.env, ...testEnv, ...options.env };
  const child = spawn(process.execPath, [binPath, ...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let both = '';
  let closed = false;
  child.once('close', () => (closed = true));
  child.stdout!.on('data', (d) => ((stdout += d), (both += d)));
  child.stderr!.on('data', (d) => ((stderr += d), (both += d)));
  const exited = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      record(args, env, undefined, both);
      resolve({ code, stdout, stderr });
    });
  });
  const waitFor = (pattern: RegExp, timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`kubenet ${args.join(' ')}: no ${pattern} within ${timeoutMs} ms\n${both}`)),
        timeoutMs,
      );
      const look = () => {
        if (pattern.test(both)) finish();
      };
      const gone = () => finish(new Error(`kubenet ${args.join(' ')} exited before printing ${pattern}\n${both}`));
      const finish = (error?: Error) => {
        clearTimeout(timer);
        child.stdout!.off('data', look);
        child.stderr!.off('data', look);
        child.off('close', gone);
        if (error) reject(error);
        else resolve(both);
      };
      child.stdout!.on('data', look);
      child.stderr!.on('data', look);
      child.once('close', gone);
      look();
      if (closed) gone();
    });
  return { child, output: () => both, waitFor, exited };
}
