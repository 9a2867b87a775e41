// Starts QEMU from an argv (never a shell string) in images/, and keeps what it prints: the last
// 64 KiB in memory for error messages, all of it in vm/<name>/qemu.stderr for later reading
// (opened without following a link at that name: a planted link is refused, not written through).
// A QEMU that is to outlive kubenet (--detach) writes to that file itself, through no pipe of
// kubenet's: the tail for error messages is read back from the file.
import { spawn } from 'node:child_process';
import { constants, fstatSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import { execa } from 'execa';
import { ExitCode, KubenetError } from '../errors.js';
import { openOwn, ownDir } from '../fs/no-follow.js';
import { launchPlan, type QemuCommand } from './launch-plan.js';

export interface QemuExit {
  exitCode: number | null;
  signal: string | undefined;
}

export interface SpawnedQemu {
  pid: number;
  dieWithParent: boolean;
  exited: Promise<QemuExit>;
  hasExited(): boolean;
  output(): string; // stderr (and stdout when headless), newest 64 KiB
  kill(signal: NodeJS.Signals): void;
  // kubenet stops minding a QEMU started with outliveKubenet: it no longer keeps kubenet's
  // process alive, and kubenet's copy of its log file is closed.
  letGo(): Promise<void>;
}

export interface SpawnOptions {
  command: QemuCommand;
  cwd: string;
  interactive: boolean;
  setpriv: string | undefined;
  stderrFile: string;
  outliveKubenet?: boolean; // --detach: see launch-plan.ts
}

const keep = 64 * 1024;

export async function spawnQemu(options: SpawnOptions): Promise<SpawnedQemu> {
  if (options.outliveKubenet) return spawnDetached(options);
  const { command, cwd, interactive, setpriv, stderrFile } = options;
  const plan = launchPlan(command, { interactive, setpriv });
  await ownDir(cwd, dirname(stderrFile));
  const log = (await openOwn(stderrFile, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC)).createWriteStream();
  let output = '';
  const collect = (echo: boolean) => (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-keep);
    log.write(chunk);
    if (echo) process.stderr.write(chunk);
  };

  const subprocess = execa(plan.file, plan.args, {
    cwd,
    // interactive: the console is this terminal (or a window); headless: nothing to read.
    stdin: interactive ? 'inherit' : 'ignore',
    stdout: interactive ? 'inherit' : 'pipe',
    stderr: 'pipe',
    detached: plan.detached,
    cleanup: true, // execa's exit hook; it skips detached QEMUs, which setpriv guards instead
    reject: false,
    buffer: false,
    forceKillAfterDelay: false, // stop-qemu.ts decides when to escalate
  });
  subprocess.stderr?.on('data', collect(interactive));
  subprocess.stdout?.on('data', collect(false));

  let done = false;
  const exited = subprocess.then(
    (result) => {
      done = true;
      return { exitCode: result.exitCode ?? null, signal: result.signal ?? undefined, failed: result };
    },
  );

  if (subprocess.pid === undefined) {
    const result = (await exited).failed;
    await new Promise<void>((resolve) => log.end(resolve));
    throw cannotStart(plan.file, command.exe, result);
  }

  const pid = subprocess.pid;
  return {
    pid,
    dieWithParent: plan.dieWithParent,
    exited: exited.then(async ({ exitCode, signal }) => {
      await new Promise<void>((resolve) => log.end(resolve));
      return { exitCode, signal };
    }),
    hasExited: () => done,
    output: () => output,
    kill: killer(pid, () => done),
    letGo: async () => undefined, // a QEMU that dies with kubenet is never let go
  };
}

// QEMU in a session of its own, reading /dev/null and writing to qemu.stderr directly: nothing of
// it depends on this kubenet, which may exit once the VM is up.
async function spawnDetached({ command, cwd, stderrFile }: SpawnOptions): Promise<SpawnedQemu> {
  const plan = launchPlan(command, { interactive: false, setpriv: undefined, outliveKubenet: true });
  await ownDir(cwd, dirname(stderrFile));
  const log = await openOwn(stderrFile, constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC | constants.O_APPEND);
  // node's own spawn, not execa: a file descriptor handed to the child as is is all it needs, and
  // execa's streams, buffers and exit hooks are what a detached QEMU must not have.
  const subprocess = spawn(plan.file, plan.args, { cwd, stdio: ['ignore', log.fd, log.fd], detached: true });
  let done = false;
  let closed = false;
  const exited = new Promise<QemuExit & { error?: Error }>((resolve) => {
    subprocess.once('error', (error) => {
      done = true;
      resolve({ exitCode: null, signal: undefined, error });
    });
    subprocess.once('exit', (exitCode, signal) => {
      done = true;
      resolve({ exitCode, signal: signal ?? undefined });
    });
  });
  if (subprocess.pid === undefined) {
    const { error } = await exited;
    await log.close();
    throw cannotStart(plan.file, command.exe, { shortMessage: error?.message ?? 'spawn failed', cause: error });
  }
  const pid = subprocess.pid;
  return {
    pid,
    dieWithParent: false,
    exited: exited.then(({ exitCode, signal }) => ({ exitCode, signal })),
    hasExited: () => done,
    output: () => (closed ? '' : tail(log.fd)),
    kill: killer(pid, () => done),
    async letGo() {
      subprocess.unref();
      if (!closed) await log.close();
      closed = true;
    },
  };
}

// The newest `keep` bytes of a file kubenet holds open.
function tail(fd: number): string {
  const size = fstatSync(fd).size;
  const length = Math.min(size, keep);
  const buffer = Buffer.alloc(length);
  const read = readSync(fd, buffer, 0, length, size - length);
  return buffer.subarray(0, read).toString('utf8');
}

function killer(pid: number, done: () => boolean): (signal: NodeJS.Signals) => void {
  return (signal) => {
    if (done()) return;
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  };
}

function cannotStart(file: string, exe: string, result: { shortMessage?: string; cause?: unknown }): KubenetError {
  return new KubenetError(`cannot start ${file}: ${result.shortMessage ?? 'spawn failed'}`, {
    code: ExitCode.host,
    cause: result.cause ?? result,
    hint:
      file === 'sudo'
        ? 'install sudo, or run kubenet as a user that may create vmnet interfaces'
        : `install QEMU (apt-get install qemu-system-arm qemu-system-x86 ` + `/ brew install qemu) so that ${exe} is on PATH`,
  });
}
