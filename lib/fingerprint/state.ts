// The record of a finished task run. It is removed before a task starts and written (atomically)
// only after it succeeds, so a run interrupted by a crash, Ctrl-C or kill -9 is never "done".
import { readJson, writeJson } from '../fs/json-file.js';
import { removeOwn } from '../fs/no-follow.js';
import type { Identity } from './identity.js';

export interface OutputRecord extends Identity {
  path: string;
  sha256: string;
}

export interface TaskRecord {
  task: string;
  inputs: string; // digest of the input fingerprint
  parts: Record<string, string>;
  outputs: OutputRecord[];
  finishedAt: string;
}

export const readRecord = (path: string): TaskRecord | undefined => readJson<TaskRecord>(path);
// `root`: images/, the folder the record's path is under (every folder between is kubenet's own).
export const writeRecord = (root: string, path: string, record: TaskRecord) => writeJson(path, record, { root });
export const forgetRecord = (root: string, path: string) => removeOwn(root, path);

// What a dependent task folds into its own fingerprint: the digests of this task's outputs.
export function recordDigest(record: TaskRecord): string {
  return record.outputs.length ? record.outputs.map((o) => `${o.path}=${o.sha256}`).join(',') : `run:${record.inputs}`;
}
