// An error a task's own code threw (a bug in a task file, a user's or kubenet's): said as the task,
// its file and the line that threw — not as an "unexpected error" with a raw stack trace. Errors
// kubenet raised on purpose (KubenetError) and system errors it knows how to word pass unchanged.
import { fileURLToPath } from 'node:url';
import { ExitCode, fromSystemError, isKubenetError, KubenetError } from '../errors.js';
import type { Task } from '../task/types.js';

export function taskFailure(task: Task, error: unknown): unknown {
  if (isKubenetError(error) || fromSystemError(error) || !task.source) return error;
  const where = lineIn(error, task.source);
  if (!where) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new KubenetError(`task ${task.name} failed at ${where}: ${message.split('\n')[0]}`, {
    code: ExitCode.failure,
    cause: error,
    hint:
      `that line of the task file threw ${error instanceof Error ? `a ${error.name}` : 'a value'}; ` +
      `fix it and run again (--verbose shows the whole stack)`,
  });
}

// "FILE:LINE:COLUMN" of the innermost frame of `error`'s stack in `file`, if any. A TypeScript
// task's frames name its .ts lines (its compiled code carries a source map; see import-task-file.ts).
function lineIn(error: unknown, file: string): string | undefined {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  for (const frame of stack.split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?\s*$/.exec(frame);
    if (!m) continue;
    const path = m[1]!.startsWith('file://') ? fileURLToPath(m[1]!) : m[1]!;
    if (path === file) return `${file}:${m[2]}:${m[3]}`;
  }
  return undefined;
}
