// The record of a finished task run. It is removed before a task starts and written (atomically)
// only after it succeeds, so a run interrupted by a crash, Ctrl-C or kill -9 is never "done".
import { rm } from 'node:fs/promises';
import { readJson, writeJson } from '../fs/json-file.js';
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
export const writeRecord = (path: string, record: TaskRecord) => writeJson(path, record);
export const forgetRecord = (path: string) => rm(path, { force: true });

// What a dependent task folds into its own fingerprint: the digests of this task's outputs.
export function recordDigest(record: TaskRecord): string {
  return record.outputs.length ? record.outputs.map((o) => `${o.path}=${o.sha256}`).join(',') : `run:${record.inputs}`;
}
