// The one program test/helpers/pty.ts starts on its terminal: runs the argv given as JSON in
// KUBENET_PTY_ARGV with that terminal as its stdio, and exits with its exit code.
import { spawnSync } from 'node:child_process';

const [file, ...args] = JSON.parse(process.env.KUBENET_PTY_ARGV ?? '[]') as string[];
const result = spawnSync(file!, args, { stdio: 'inherit' });
process.exit(result.status ?? 128);
