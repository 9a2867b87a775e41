// `kubenet completion bash|zsh`: prints the completion script for that shell.
import { realpathSync } from 'node:fs';
import { bashScript } from '../completion/bash.js';
import { shells, type Shell } from '../completion/words.js';
import { zshScript } from '../completion/zsh.js';
import { ExitCode, KubenetError } from '../../errors.js';
import type { CommandInput } from '../command-input.js';

const scripts: Record<Shell, (invocation: string[]) => string> = { bash: bashScript, zsh: zshScript };

export async function completion({ line }: CommandInput): Promise<number> {
  const shell = line.words[0];
  if (!shell || !(shells as readonly string[]).includes(shell)) {
    throw new KubenetError(shell ? `no completion for the shell "${shell}"` : 'completion needs a shell', {
      code: ExitCode.usage,
      hint: `kubenet completion ${shells.join(' | ')}, e.g. source <(kubenet completion bash)`,
    });
  }
  // The script asks this very kubenet for task names: the node and the file running now.
  process.stdout.write(scripts[shell as Shell]([process.execPath, realpathSync(process.argv[1]!)]));
  return ExitCode.ok;
}
