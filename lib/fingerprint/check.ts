// Is a task up to date? Only stat calls and one small JSON read: never the outputs' content.
import type { InputFingerprint } from './inputs.js';
import { changedInputs } from './inputs.js';
import { identityOf, sameIdentity } from './identity.js';
import type { TaskRecord } from './state.js';

export type Status =
  | { state: 'done' }
  | { state: 'stale'; reason: string }
  | { state: 'never-run' }
  | { state: 'always'; reason: string };

export function checkStatus(
  record: TaskRecord | undefined,
  fingerprint: InputFingerprint,
  outputs: readonly string[],
  always?: string,
): Status {
  if (always) return { state: 'always', reason: always };
  if (!record) return { state: 'never-run' };
  if (record.inputs !== fingerprint.digest) {
    const changed = changedInputs(record.parts, fingerprint.parts);
    return { state: 'stale', reason: `changed: ${changed.join(', ') || 'inputs'}` };
  }
  const recorded = new Map(record.outputs.map((o) => [o.path, o]));
  for (const path of outputs) {
    const before = recorded.get(path);
    const now = identityOf(path);
    if (!now) return { state: 'stale', reason: `output missing: ${path}` };
    if (!before) return { state: 'stale', reason: `output not recorded: ${path}` };
    if (!sameIdentity(before, now)) return { state: 'stale', reason: `output modified: ${path}` };
  }
  return { state: 'done' };
}
