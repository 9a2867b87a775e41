// Copies files into a VM's home folder the way the guide's deployauth.sh does (scp), but only
// those whose content or mode differs there: one ssh first asks the VM for each file's mode,
// owner and SHA-256, so a rerun with nothing changed copies nothing. What was copied (or has the
// wrong mode) is then set to the host file's mode and checked again. A VM whose sshd does not
// answer is said so within seconds; every ssh and scp is bounded in time and never prompts.
import { createHash } from 'node:crypto';
import { ExitCode, KubenetError } from '../errors.js';
import { failureText, runProcess } from '../process/run-process.js';
import { shellQuote } from '../qemu/format-command.js';
import { scpArgv } from './scp.js';
import { sshdBanner } from './sshd-banner.js';
import { sshArgv, type SshTarget } from './ssh-target.js';

export interface LocalFile {
  name: string; // its name in the VM's home folder (and in the folder it is copied from)
  path: string; // where it is on the host
  data: Buffer; // its content, read once (without following a link)
  mode: number; // 0o600 or 0o644: what it must have there too
}

export interface CopyResult {
  copied: string[];
  modeSet: string[]; // already there, with another mode
  unchanged: string[];
}

interface RemoteFile {
  mode: number;
  owner: string;
  sha256: string;
}

export interface CopyOptions {
  vm: string;
  signal: AbortSignal;
  bannerMs?: number; // how long the VM's sshd may take to say hello
  commandMs?: number; // each ssh or scp
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

export async function copyChanged(
  target: SshTarget,
  files: readonly LocalFile[],
  options: CopyOptions,
): Promise<CopyResult> {
  const { vm, bannerMs = 5_000, commandMs = 120_000 } = options;
  if (!(await sshdBanner(target.host, target.port, bannerMs))) {
    throw new KubenetError(
      `${vm} (${target.host}): no sshd answered within ${bannerMs / 1000} s — nothing copied to it`,
      {
        code: ExitCode.vm,
        hint:
          `is it running? kubenet status shows the VMs; kubenet run ` +
          `30-cluster starts them (or kubenet run vm-launch --vm ${vm})`,
      },
    );
  }
  const run = async (exe: 'ssh' | 'scp', args: string[], what: string) => {
    const r = await runProcess(exe, args, { timeoutMs: commandMs, signal: options.signal });
    if (r.exitCode !== 0) {
      const why = r.timedOut
        ? `no answer within ${commandMs / 1000} s`
        : r.stderr.trim().split('\n').at(-1) || `${exe} ${failureText(r)}`;
      throw new KubenetError(`${vm} (${target.host}): ${what} failed: ${why}`, {
        code: ExitCode.vm,
        hint: `check that kubenet ssh ${vm} works; rerun with --verbose to see the command`,
      });
    }
    return r.stdout;
  };
  const look = async (names: readonly string[], before: string[] = []) =>
    parseLook(
      await run(
        'ssh',
        sshArgv(target, [remoteLook(names, before)], { batch: true, connectTimeout: 10 }),
        'looking at the files there',
      ),
    );
  const there = await look(files.map((f) => f.name));
  const toCopy = files.filter((f) => there.get(f.name)?.sha256 !== sha256(f.data));
  const wrongMode = files.filter((f) => !toCopy.includes(f) && there.get(f.name)!.mode !== f.mode);
  if (toCopy.length)
    await run(
      'scp',
      scpArgv(
        target,
        toCopy.map((f) => f.path),
        { batch: true, connectTimeout: 10 },
      ),
      `copying ${toCopy.map((f) => f.name).join(', ')}`,
    );
  const touched = [...toCopy, ...wrongMode];
  if (touched.length) {
    const modes = [...new Set(touched.map((f) => f.mode))].map(
      (mode) =>
        `chmod ${mode.toString(8)} -- ${touched
          .filter((f) => f.mode === mode)
          .map((f) => shellQuote(f.name))
          .join(' ')}`,
    );
    const after = await look(
      touched.map((f) => f.name),
      modes,
    );
    for (const f of touched) {
      const now = after.get(f.name);
      if (now?.sha256 !== sha256(f.data) || now.mode !== f.mode || now.owner !== 'ubuntu') {
        throw new KubenetError(
          `${vm}: ${f.name} is not what was copied ` +
            `(${now ? `mode ${now.mode.toString(8)}, owner ${now.owner}` : 'missing'})`,
          { code: ExitCode.vm, hint: `look at it: kubenet ssh ${vm} -- ls -l ${f.name}` },
        );
      }
    }
  }
  return {
    copied: toCopy.map((f) => f.name),
    modeSet: wrongMode.map((f) => f.name),
    unchanged: files.filter((f) => !touched.includes(f)).map((f) => f.name),
  };
}

// The remote shell line: `before` (chmod …), then for each file that is there its mode, owner
// and name, and its digest. ssh hands the VM one line for its shell: every name is quoted.
export function remoteLook(names: readonly string[], before: readonly string[] = []): string {
  const quoted = names.map(shellQuote).join(' ');
  return [...before, `stat -c '%a %U %n' -- ${quoted} 2>/dev/null`, `sha256sum -- ${quoted} 2>/dev/null`, 'true'].join(
    '; ',
  );
}

// stat's "600 ubuntu ca-key.pem" and sha256sum's "<64 hex>  ca-key.pem", merged by name.
export function parseLook(output: string): Map<string, RemoteFile> {
  const modes = new Map<string, { mode: number; owner: string }>();
  const sums = new Map<string, string>();
  for (const line of output.split('\n')) {
    const sum = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (sum) {
      sums.set(sum[2]!, sum[1]!);
      continue;
    }
    const stat = /^([0-7]{3,4}) (\S+) (.+)$/.exec(line);
    if (stat) modes.set(stat[3]!, { mode: Number.parseInt(stat[1]!, 8), owner: stat[2]! });
  }
  const files = new Map<string, RemoteFile>();
  for (const [name, m] of modes) files.set(name, { ...m, sha256: sums.get(name) ?? '' });
  return files;
}
