// A yes/no question on a terminal; elsewhere the answer must come from --yes. Ctrl-C at the
// question (readline takes it as a key, not a signal) ends the command as Ctrl-C does anywhere:
// exit 130, before whatever the question was about.
import { createInterface } from 'node:readline/promises';
import { ExitCode, KubenetError } from '../errors.js';

export async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ABORT_ERR') throw error;
    process.stdout.write('\n');
    throw new KubenetError(`interrupted at the question "${question}": nothing done`, {
      code: ExitCode.interrupted,
      cause: error,
    });
  } finally {
    rl.close();
  }
}
