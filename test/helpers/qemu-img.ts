// qemu-img and qemu-io as the guide's reader runs them, for tests that inspect disks.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface ToolResult {
  code: number | null;
  out: string; // stdout and stderr together
}

const tool = (exe: string, args: string[], cwd?: string): ToolResult => {
  const r = spawnSync(exe, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
};

export const qemuImg = (args: string[], cwd?: string) => tool('qemu-img', args, cwd);

// `qemu-io -c CMD FILE`: qemu-io exits 0 even when a read -P finds other bytes, so the verdict is
// in its output ("Pattern verification failed").
export function qemuIo(file: string, command: string, cwd?: string): ToolResult & { ok: boolean } {
  const r = tool('qemu-io', ['-c', command, file], cwd);
  return { ...r, ok: r.code === 0 && !/failed|error/i.test(r.out) };
}

// Must succeed: the test's own setup.
export function mustRun(r: ToolResult, what: string): string {
  if (r.code !== 0) throw new Error(`${what} failed (${r.code}): ${r.out}`);
  return r.out;
}

export function qemuInfo(file: string): {
  'backing-filename'?: string;
  'backing-filename-format'?: string;
  'full-backing-filename'?: string;
  format: string;
} {
  return JSON.parse(mustRun(qemuImg(['info', '--output', 'json', '-U', file]), `qemu-img info ${file}`));
}

export const sha256Of = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
