// What an option or a setting takes — a number of seconds, a size, a file, a regular expression —
// as a kind: one parser from the text a user wrote (on the command line, in a KUBENET_* variable,
// in kubenet.yaml) to the typed value commands and settings use, with one way to say the text is
// wrong. Every option and setting names its kind in one table (cli/option-specs.ts), which the
// parser, `help` and completion read; nothing downstream checks a value again.
import { ExitCode, KubenetError } from '../errors.js';

// Where a value was given, for its error and its relative paths.
export interface At {
  name: string; // how an error names it: --timeout, KUBENET_SMP, "smp: in /x/kubenet.yaml,"
  base: string; // the folder a relative path is resolved against: the working folder, or the file's
}

export interface Kind<T> {
  word: string; // the value in help: SECONDS, SIZE, FILE ('' for an on/off flag)
  complete?: readonly string[] | 'dirs' | 'files' | 'tasks'; // what the shell offers
  note?: string; // said once under a command's options (how numbers are written)
  parse(text: string, at: At): T;
}

// The typed value a kind gives.
export type KindValue<K> = K extends Kind<infer T> ? T : never;

export const usage = (message: string, hint: string, cause?: unknown): KubenetError =>
  new KubenetError(message, { code: ExitCode.usage, hint, ...(cause === undefined ? {} : { cause }) });
