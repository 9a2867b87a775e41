// The one program test/helpers/pty.ts starts on its terminal: runs the argv given as JSON in
// KUBENET_PTY_ARGV with that terminal as its stdio, and exits with its exit code.
import { spawnSync } from 'node:child_process';
import { constants } from 'node:os';

// The terminal's Ctrl-C reaches the whole foreground process group: this process must outlive it
// so that the command's own response to it is what the test sees. (A handler, not 'ignore': an
// ignored signal would be ignored by the command too, which inherits the disposition.)
for (const signal of ['SIGINT', 'SIGQUIT', 'SIGTSTP'] as const) process.on(signal, () => undefined);

const [file, ...args] = JSON.parse(process.env.KUBENET_PTY_ARGV ?? '[]') as string[];
const result = spawnSync(file!, args, { stdio: 'inherit' });
// As a shell reports it: a command ended by a signal exits 128 + its number.
process.exit(result.status ?? 128 + (result.signal ? constants.signals[result.signal] : 0));
