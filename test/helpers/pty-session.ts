// A command on a pseudo-terminal a test types into (util-linux `script`, as test/helpers/pty.ts
// runs one; the argv travels in the environment, never in the shell line): keys are written to
// script's stdin, which it passes to the terminal, and what the terminal shows is read back.
// `wrapper` runs the pty itself under another command (ip netns exec …, setpriv …). Bounded: the
// caller gives each wait a time, and close() kills what is left.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const line = 'stty cols 120 rows 40 && exec "$KUBENET_PTY_NODE" "$KUBENET_PTY_EXEC"';
const ptyExec = fileURLToPath(new URL('./pty-exec.js', import.meta.url));

export interface PtySession {
  type(keys: string): void;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs: number): Promise<string>;
  exited: Promise<number | null>;
  close(): void;
}

export function ptySession(
  argv: string[],
  { env = process.env, cwd, wrapper = [] }: { env?: NodeJS.ProcessEnv; cwd?: string; wrapper?: string[] } = {},
): PtySession {
  const [exe, ...args] = [...wrapper, 'script', '-qec', line, '/dev/null'];
  const child: ChildProcess = spawn(exe!, args, {
    env: {
      ...env,
      KUBENET_PTY_NODE: process.execPath,
      KUBENET_PTY_EXEC: ptyExec,
      KUBENET_PTY_ARGV: JSON.stringify(argv),
    },
    stdio: ['pipe', 'pipe', 'pipe'],
    ...(cwd ? { cwd } : {}),
  });
  let text = '';
  child.stdout!.on('data', (d) => (text += d));
  child.stderr!.on('data', (d) => (text += d));
  const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
  return {
    type: (keys) => void child.stdin!.write(keys),
    output: () => text,
    waitFor: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const started = Date.now();
        const look = () => {
          if (pattern.test(text)) return resolve(text);
          if (child.exitCode !== null || Date.now() - started > timeoutMs)
            return reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${text}`));
          setTimeout(look, 100);
        };
        look();
      }),
    exited,
    close: () => void child.kill('SIGKILL'),
  };
}
