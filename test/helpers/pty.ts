// Runs a command on a pseudo-terminal of a chosen size through util-linux `script`, the way a
// person at a terminal runs kubenet (or a CI pty that reports 0 columns). The shell line given
// to script is constant: the size and the argv travel in the environment, never in the string.
// Bounded twice: by time, and by how much output is read before the command is stopped.
// `keys` are typed on the terminal as a person would, each once the output shows its cue: Ctrl-C
// ('\x03') reaches the command as the terminal's SIGINT, to its whole foreground process group.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { which } from '../../lib/host/which.js';

export const hasScript = Boolean(which('script'));

export interface PtyOptions {
  columns: number;
  rows: number;
  env?: NodeJS.ProcessEnv; // the whole environment (CI left out by the caller when it matters)
  cwd?: string;
  timeoutMs: number;
  maxBytes: number;
  // in order, each after its cue: output that matches, or ms after the previous key (or the start)
  keys?: { when: RegExp | number; send: string }[];
}

export interface PtyResult {
  code: number | null;
  output: string; // the first maxBytes, as the terminal received them
  bytes: number; // everything read, up to the moment the command was stopped
  stopped?: 'timeout' | 'too much output';
  sentAt: number[]; // when each key was typed (performance.now())
  closedAt: number; // when the command's terminal closed
  unsent: number; // keys whose cue never came
}

const line = 'stty cols "$KUBENET_PTY_COLS" rows "$KUBENET_PTY_ROWS" && exec "$KUBENET_PTY_NODE" "$KUBENET_PTY_EXEC"';
const ptyExec = fileURLToPath(new URL('./pty-exec.js', import.meta.url));

export function runInPty(
  argv: string[],
  { columns, rows, env = process.env, cwd, timeoutMs, maxBytes, keys = [] }: PtyOptions,
): Promise<PtyResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', line, '/dev/null'], {
      env: {
        ...env,
        KUBENET_PTY_COLS: String(columns),
        KUBENET_PTY_ROWS: String(rows),
        KUBENET_PTY_NODE: process.execPath,
        KUBENET_PTY_EXEC: ptyExec,
        KUBENET_PTY_ARGV: JSON.stringify(argv),
      },
      stdio: [keys.length ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      ...(cwd ? { cwd } : {}),
    });
    const chunks: Buffer[] = [];
    const sentAt: number[] = [];
    let seen = '';
    let bytes = 0;
    let stopped: PtyResult['stopped'];
    const stop = (why: NonNullable<PtyResult['stopped']>) => {
      stopped ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop('timeout'), timeoutMs);
    const read = (chunk: Buffer) => {
      if (bytes < maxBytes) chunks.push(chunk.subarray(0, maxBytes - bytes));
      bytes += chunk.length;
      if (bytes > maxBytes) stop('too much output');
      seen = (seen + chunk.toString('utf8')).slice(-64 * 1024);
      const next = keys[sentAt.length];
      if (next && typeof next.when !== 'number' && next.when.test(seen)) type();
    };
    let keyTimer: NodeJS.Timeout | undefined;
    // Types the next key, then waits for the cue of the one after it.
    const type = () => {
      clearTimeout(keyTimer);
      sentAt.push(performance.now());
      seen = ''; // the next cue must come after this key
      child.stdin?.write(keys[sentAt.length - 1]!.send);
      armTimer();
    };
    const armTimer = () => {
      const next = keys[sentAt.length];
      if (next && typeof next.when === 'number') keyTimer = setTimeout(type, next.when);
    };
    armTimer();
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.stdin?.on('error', () => undefined); // the terminal closed before a key was typed
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      clearTimeout(keyTimer);
      child.stdin?.destroy();
      resolve({
        code,
        output: Buffer.concat(chunks).toString('utf8'),
        bytes,
        sentAt,
        closedAt: performance.now(),
        unsent: keys.length - sentAt.length,
        ...(stopped ? { stopped } : {}),
      });
    });
  });
}
