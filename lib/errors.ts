// One error type for everything kubenet reports to a user: what went wrong, what to do next,
// and the exit code the CLI ends with. The CLI formats it once, at the top (see cli/main.ts).

// Exit codes come in families, as go-task does, so scripts can tell failures apart.
export const ExitCode = {
  ok: 0,
  failure: 1,
  usage: 2, // bad command line: unknown task, bad option value
  graph: 3, // cycle or unknown dependency in the task graph
  host: 10, // QEMU, firmware, accelerator, disk space: the machine lacks something
  download: 20, // network, HTTP, mirrors
  digest: 21, // a download did not match its SHA256SUMS
  offline: 22, // --offline and an artifact is not cached
  vm: 30, // a VM failed to boot, timed out, or is already running
  locked: 31, // another kubenet holds what this run needs
  interrupted: 130, // Ctrl-C / SIGTERM
} as const;

// An exit code is one of the families above, never any other number.
export type ExitCodeFamily = (typeof ExitCode)[keyof typeof ExitCode];

export interface KubenetErrorOptions {
  code?: ExitCodeFamily;
  hint?: string; // what to do next, one or two sentences
  cause?: unknown;
  details?: string; // extra lines shown under the message (e.g. last serial lines)
}

// Errors keep the original as `cause` and add the context a user needs.
export class KubenetError extends Error {
  readonly code: ExitCodeFamily;
  readonly hint: string | undefined;
  readonly details: string | undefined;

  constructor(message: string, options: KubenetErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KubenetError';
    this.code = options.code ?? ExitCode.failure;
    this.hint = options.hint;
    this.details = options.details;
  }
}

export const isKubenetError = (error: unknown): error is KubenetError => error instanceof KubenetError;

// What the file system says, in words a user can act on (a full disk while downloading, a
// read-only or foreign-owned images/ folder). Other unexpected errors keep their stack.
const systemErrors: Record<string, [string, string]> = {
  ENOSPC: [
    'no space left on the device',
    'free some space on that disk (df -h shows it), or point --images at a roomier one',
  ],
  EDQUOT: ['disk quota exceeded', 'free some space, or point --images at another disk'],
  EACCES: [
    'permission denied',
    'check who owns the images folder (a run with sudo may have left root-owned files), or pass --images DIR',
  ],
  EPERM: ['operation not permitted', 'check who owns the images folder, or pass --images DIR'],
  EROFS: ['read-only file system', 'pass --images DIR on a writable disk'],
  ENOTDIR: [
    'a file stands where a folder should be',
    'check --images (or KUBENET_IMAGES): it must name a folder, and inside it ' +
      'kubenet keeps its own folders (vm/, base/, cloud-init/, ssh/, .kubenet/)',
  ],
  EISDIR: [
    'a folder stands where a file should be',
    'move that folder out of the way (kubenet keeps its own file under that name), or pass --images DIR',
  ],
  ELOOP: [
    'a symbolic link stands where kubenet keeps its own file (or the links loop)',
    'remove the link and run again: kubenet writes only files it made itself, never through a link',
  ],
};

export function fromSystemError(error: unknown): KubenetError | undefined {
  const e = error as NodeJS.ErrnoException;
  const known = e && typeof e.code === 'string' ? systemErrors[e.code] : undefined;
  if (!known) return undefined;
  // A download's partial file is kept: the next run resumes it rather than starting again.
  const resumes =
    e.code === 'ENOSPC' && typeof e.path === 'string' && e.path.endsWith('.part')
      ? '; the partial download is kept, and the next run resumes it'
      : '';
  return new KubenetError(`${known[0]}${e.path ? `: ${e.path}` : ''}`, {
    code: ExitCode.host,
    cause: error,
    hint: `${known[1]}${resumes}`,
  });
}

// The one place an error becomes text for a user.
export function formatError(error: unknown, verbose = false): string {
  const system = isKubenetError(error) ? undefined : fromSystemError(error);
  if (system) return formatError(system, verbose);
  if (!isKubenetError(error)) {
    const e = error as Error;
    return `kubenet: unexpected error: ${e?.stack ?? String(error)}`;
  }
  const lines = [`kubenet: ${error.message}`];
  if (error.details) lines.push('', error.details.trimEnd(), '');
  if (error.hint) lines.push(`  → ${error.hint}`);
  if (verbose && error.cause) {
    const c = error.cause as Error;
    lines.push(`  cause: ${c?.stack ?? String(c)}`);
  }
  return lines.join('\n');
}
