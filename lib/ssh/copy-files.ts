// Copying files to and from VMs with scp, as `kubenet ssh` logs in: each VM's address or forwarded
// port, user ubuntu, the key its seed trusts and its own known_hosts — written as Host blocks into
// an ssh configuration of the copy's own (a private temp folder, removed afterwards), so scp gets
// argv only and a VM-to-VM copy (-3, through this host) needs nothing more. `kubenet cp` and tasks
// that deliver files to VMs use this one function.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';
import { failureText, runProcess } from '../process/run-process.js';
import { sshConfig } from './ssh-config.js';
import type { SshTarget } from './ssh-target.js';

// One side of a copy: a path here, or a path on a VM.
export interface Endpoint {
  vm?: string;
  path: string;
}

export interface CopyRequest {
  sources: readonly Endpoint[];
  destination: Endpoint;
  targets: ReadonlyMap<string, SshTarget>; // every VM the endpoints name, and how ssh reaches it
  recursive?: boolean;
  batch?: boolean; // never prompt (no terminal to answer on)
  signal?: AbortSignal;
  timeoutMs?: number; // the whole copy
  stdio?: 'inherit' | 'pipe'; // scp's progress and errors: to the terminal, or kept for the error
}

// `VM:path` for scp; a local path that scp would read as HOST:path gets ./ in front.
function scpWord(e: Endpoint): string {
  if (e.vm !== undefined) return `${e.vm}:${e.path}`;
  return !isAbsolute(e.path) && /^[^/]*:/.test(e.path) ? `./${e.path}` : e.path;
}

export async function copyFiles(request: CopyRequest): Promise<void> {
  const named = [...request.sources, request.destination].flatMap((e) => (e.vm === undefined ? [] : [e.vm]));
  const missing = named.find((vm) => !request.targets.has(vm));
  if (missing !== undefined) throw new TypeError(`copyFiles: no ssh target for ${missing}`);
  const remoteToRemote = request.destination.vm !== undefined && request.sources.some((s) => s.vm !== undefined);
  const dir = await mkdtemp(join(tmpdir(), 'kubenet-scp-')); // 0700: the config names the key
  try {
    const config = join(dir, 'ssh_config');
    const blocks = [...new Set(named)].map((vm) => ({ name: vm, target: request.targets.get(vm)! }));
    await writeFile(config, sshConfig('kubenet cp', blocks), { mode: 0o600 });
    const args = [
      '-F',
      config,
      ...(request.recursive ? ['-r'] : []),
      ...(remoteToRemote ? ['-3'] : []),
      ...(request.batch ? ['-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10'] : []),
      ...request.sources.map(scpWord),
      scpWord(request.destination),
    ];
    const r = await runProcess('scp', args, {
      stdin: request.stdio === 'inherit' ? 'inherit' : 'ignore',
      stdout: request.stdio ?? 'pipe',
      stderr: request.stdio ?? 'pipe',
      ...(request.signal ? { signal: request.signal } : {}),
      ...(request.timeoutMs ? { timeoutMs: request.timeoutMs } : {}),
    });
    if (r.notFound) {
      throw new KubenetError('cannot run scp', {
        code: ExitCode.host,
        cause: r.cause,
        hint: 'install OpenSSH: sudo apt-get install openssh-client',
      });
    }
    if (r.exitCode !== 0) {
      const said = r.stderr.trim();
      const ended = r.exitCode === null ? failureText(r) : `exited with ${r.exitCode}`;
      const how = r.timedOut ? 'did not finish in time' : ended;
      throw new KubenetError(`scp ${args.slice(2).join(' ')} ${how}`, {
        code: ExitCode.failure,
        ...(said ? { details: said.split('\n').slice(-10).join('\n') } : {}),
        hint: 'a path on a VM is VM:PATH (relative to /home/ubuntu); folders need -r',
      });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
