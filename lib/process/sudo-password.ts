// `sudo -v` at the terminal: sudo asks for the password now, while someone is there to answer, so
// that root commands (or a detached QEMU's `sudo -n`) later need no prompt. Whether it agreed.
import { runProcess } from './run-process.js';

export async function askSudoPassword(): Promise<boolean> {
  const r = await runProcess('sudo', ['-v'], { stdin: 'inherit', stdout: 'inherit', stderr: 'inherit' });
  return r.exitCode === 0;
}
