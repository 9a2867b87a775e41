// Starts QEMU from an argv (never a shell string) in images/, and keeps what it prints: the last
// 64 KiB in memory for error messages, all of it in vm/<name>/qemu.stderr for later reading
// (opened without following a link at that name: a planted link is refused, not written through).
// A QEMU that is to outlive kubenet (--detach) writes to that file itself, through no pipe of
// kubenet's: the tail for error messages is read back from the file.
import { constants, fstatSync, readSync } from 'node:fs';
import { dirname } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';
import { openOwn, ownDir } from '../fs/no-follow.js';
import { startChild, type Child, type ChildOptions } from '../process/start-child.js';
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
  const log = (
    await openOwn(stderrFile, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC)
  ).createWriteStream();
  let output = '';
  const collect = (echo: boolean) => (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-keep);
    log.write(chunk);
    if (echo) process.stderr.write(chunk);
  };

  // interactive: the console is this terminal (or a window); headless: nothing to read.
  // Not in a session of its own, it is stopped when kubenet exits; stop-qemu.ts decides when to escalate.
  const qemu = await startChild(plan.file, plan.args, {
    cwd,
    stdio: [interactive ? 'inherit' : 'ignore', interactive ? 'inherit' : 'pipe', 'pipe'],
    detached: plan.detached,
    endWithKubenet: !plan.detached, // one in a session of its own is guarded by setpriv instead
  }).catch(async (error: Error) => {
    await new Promise<void>((resolve) => log.end(resolve));
    throw cannotStart(plan.file, command.exe, error);
  });
  qemu.stderr?.on('data', collect(interactive));
  qemu.stdout?.on('data', collect(false));
  return {
    ...started(qemu),
    dieWithParent: plan.dieWithParent,
    exited: qemu.exited.then(async (exit) => {
      await new Promise<void>((resolve) => log.end(resolve));
      return exit;
    }),
    output: () => output,
    letGo: async () => undefined, // a QEMU that dies with kubenet is never let go
  };
}

// QEMU in a session of its own, reading /dev/null and writing to qemu.stderr directly: nothing of
// it depends on this kubenet, which may exit once the VM is up.
async function spawnDetached({ command, cwd, stderrFile }: SpawnOptions): Promise<SpawnedQemu> {
  const plan = launchPlan(command, { interactive: false, setpriv: undefined, outliveKubenet: true });
  await ownDir(cwd, dirname(stderrFile));
  const log = await openOwn(stderrFile, constants.O_RDWR | constants.O_CREAT | constants.O_TRUNC | constants.O_APPEND);
  // A file descriptor handed to the child as is: no stream, buffer or exit hook of kubenet's.
  const stdio: ChildOptions['stdio'] = ['ignore', log.fd, log.fd];
  const qemu = await startChild(plan.file, plan.args, { cwd, stdio, detached: true }).catch(async (error: Error) => {
    await log.close();
    throw cannotStart(plan.file, command.exe, error);
  });
  let closed = false;
  return {
    ...started(qemu),
    dieWithParent: false,
    exited: qemu.exited,
    output: () => (closed ? '' : tail(log.fd)),
    async letGo() {
      qemu.unref();
      if (!closed) await log.close();
      closed = true;
    },
  };
}

const started = (qemu: Child) => ({ pid: qemu.pid, hasExited: qemu.hasExited, kill: qemu.kill });

// The newest `keep` bytes of a file kubenet holds open.
function tail(fd: number): string {
  const size = fstatSync(fd).size;
  const length = Math.min(size, keep);
  const buffer = Buffer.alloc(length);
  const read = readSync(fd, buffer, 0, length, size - length);
  return buffer.subarray(0, read).toString('utf8');
}

function cannotStart(file: string, exe: string, error: Error): KubenetError {
  return new KubenetError(`cannot start ${file}: ${error.message}`, {
    code: ExitCode.host,
    cause: error,
    hint:
      file === 'sudo'
        ? 'install sudo, or run kubenet as a user that may create vmnet interfaces'
        : `install QEMU (apt-get install qemu-system-arm qemu-system-x86 ` +
          `/ brew install qemu) so that ${exe} is on PATH`,
  });
}
