// Starts QEMU from an argv (never a shell string) in images/, and keeps what it prints: the last
// 64 KiB in memory for error messages, all of it in vm/<name>/qemu.stderr for later reading
// (opened without following a link at that name: a planted link is refused, not written through).
import { constants } from 'node:fs';
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
}

export interface SpawnOptions {
  command: QemuCommand;
  cwd: string;
  interactive: boolean;
  setpriv: string | undefined;
  stderrFile: string;
}

const keep = 64 * 1024;

export async function spawnQemu({ command, cwd, interactive, setpriv, stderrFile }: SpawnOptions): Promise<SpawnedQemu> {
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
    throw new KubenetError(`cannot start ${plan.file}: ${result.shortMessage ?? 'spawn failed'}`, {
      code: ExitCode.host,
      cause: result.cause ?? result,
      hint:
        plan.file === 'sudo'
          ? 'install sudo, or run kubenet as a user that may create vmnet interfaces'
          : `install QEMU (apt-get install qemu-system-arm qemu-system-x86 / brew install qemu) so that ${command.exe} is on PATH`,
    });
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
    kill(signal) {
      if (done) return;
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    },
  };
}
