// One digest for everything a task's result depends on: its option values, its input files
// and the recorded outputs of its deps (so a new upstream image makes dependents stale).
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { identityOf } from './identity.js';

// Input files up to this size are compared by content, larger ones by identity (size, mtime, inode).
const contentLimit = 1 << 20;

// What a task's result depends on, besides its deps (a task file's `inputs`).
export interface Inputs {
  values?: Record<string, unknown>; // settings whose change makes the task stale
  files?: string[]; // files whose change makes the task stale
}

export interface InputFingerprint {
  digest: string;
  parts: Record<string, string>; // per input, for "stale because …" messages
}

export function fingerprintInputs(inputs: Inputs, depDigests: Record<string, string>): InputFingerprint {
  const parts: Record<string, string> = {};
  for (const [key, value] of Object.entries(inputs.values ?? {}).sort(byKey)) {
    parts[`option ${key}`] = JSON.stringify(value ?? null);
  }
  for (const file of [...(inputs.files ?? [])].sort()) {
    parts[`file ${file}`] = fileFingerprint(file);
  }
  for (const [dep, digest] of Object.entries(depDigests).sort(byKey)) {
    parts[`dep ${dep}`] = digest;
  }
  const hash = createHash('sha256');
  for (const [key, value] of Object.entries(parts)) hash.update(`${key}\0${value}\0`);
  return { digest: hash.digest('hex'), parts };
}

// By UTF-16 code units, as Array#sort does: the same order on every host. (localeCompare would
// make the digest depend on the locale, and its first call loads ICU's collator: ~10 ms of a
// no-op run.)
const byKey = ([a]: [string, unknown], [b]: [string, unknown]) => (a < b ? -1 : a > b ? 1 : 0);

function fileFingerprint(path: string): string {
  const id = identityOf(path);
  if (!id) return 'missing';
  if (id.size <= contentLimit) {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  }
  return `${id.size}:${id.mtimeMs}:${id.ino}`;
}

// Which inputs changed between two fingerprints, for the user.
export function changedInputs(before: Record<string, string>, after: Record<string, string>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => before[k] !== after[k]).sort();
}
