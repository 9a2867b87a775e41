// `qemu-img rebase -u`: points an overlay at another file with the same content as its backing
// file, changing only the overlay's header. qemu-img takes QEMU's image lock, so an overlay that a
// running VM holds is refused instead of changed under it. Bounded: a header write takes well
// under a second; a qemu-img that hangs is stopped after a minute.
import { dirname, relative } from 'node:path';
import { ExitCode, KubenetError } from '../errors.js';
import { failureText, runProcess } from '../process/run-process.js';
import { readQcow2Backing } from './qcow2-header.js';

const timeoutMs = 60_000;

// `consequence` says what did not happen because of a failure ("X was not replaced").
export async function rebaseOverlay(
  overlay: string,
  onto: string,
  consequence: string,
  format?: string,
): Promise<void> {
  const backingFormat = format ?? ((await readQcow2Backing(onto)) ? 'qcow2' : 'raw');
  const args = ['rebase', '-u', '-F', backingFormat, '-b', relative(dirname(overlay), onto), overlay];
  const r = await runProcess('qemu-img', args, { timeoutMs });
  if (r.exitCode === 0) return;
  const what = `cannot move ${overlay} onto ${onto}`;
  const stderr = r.stderr.trimEnd();
  if (r.notFound) {
    throw new KubenetError(`${what}: qemu-img is not installed; ${consequence}`, {
      code: ExitCode.host,
      cause: r.cause,
      hint:
        'install qemu-img (sudo apt-get install qemu-utils, or brew install ' +
        'qemu) and run again; the overlay and the file it uses are unchanged',
    });
  }
  if (/lock/i.test(stderr)) {
    throw new KubenetError(`${what}: it is in use (a running VM holds it); ${consequence}`, {
      code: ExitCode.locked,
      details: stderr,
      hint: 'shut down the VM that uses it, then run again',
    });
  }
  throw new KubenetError(`${what}: qemu-img ${failureText(r)}; ${consequence}`, {
    code: ExitCode.failure,
    ...(stderr ? { details: stderr } : {}),
    hint: `check the overlay with: qemu-img check ${JSON.stringify(overlay)}`,
  });
}
