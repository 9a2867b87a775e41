// The guide's shell read as the guide's reader's shell reads it — by bash, or by zsh for the macOS
// edition's terminal — with nothing run. In a folder of its own, the shell finds only bash, zsh
// and the pure helpers the guide's scripts compute with (dirname, basename, seq, cat); every other
// command reaches its not-found hook (guide-sandbox.sh), which writes down the argv, what the
// command read from a pipe (a `cat <<EOF | sudo tee FILE`'s text) and whether that pipe came from
// the command before it (`cfssl … | cfssljson …`), and succeeds. So quoting, brace expansion,
// variables, arrays (zsh's from 1), loops, functions and the scripts' own logic are the guide's,
// and every command comes out as the argv it would run (read back by guide-record.ts).
//   terminal       the blocks of one run are typed into one shell: what one sets (vmnames, a cd)
//                  the next has; each block's commands and files are its own
//   files          what cat writes to a file (`cat <<EOF > "$vmname-csr.json"`), named from the
//                  shell's folder, with its text when the shell has ended
//   sudo CMD       is written down as sudo CMD; a script run with sudo writes its commands so
//   mkdir, touch   also make their (relative) folder or file in the sandbox, for what reads them
//   sleep          pauses 0.2 s first, so a command started in the background is written down
//                  before it
//   kill           does nothing: the only pids are the sandbox's own, of commands already done
//   answers        exit codes for the guide's looks (`grep -q …`): 0 unless given
//   prints         what a command prints (`$(head -c 32 /dev/urandom | base64)`): nothing unless
//                  given
//   scripts        the guide's scripts: those in `follow` run as written, the others are only
//                  written down when run (./vmsetup.sh 0)
//   tmux           the keys a script sends to a tmux pane (`send-keys … C-m`) are run as that
//                  pane's shell would run them
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { which } from '../../lib/host/which.js';
import { readRecord, type BlockRun, type Recorded } from './guide-record.js';
import { tempDir } from './tmp.js';

export type Shell = 'bash' | 'zsh';

export interface RunOptions {
  answers?: Record<string, number>; // exit codes by argv (without sudo) joined by spaces
  prints?: Record<string, string>; // what a command prints, by argv (without sudo) joined by spaces
  tmux?: boolean; // run what the block typed into tmux panes
  sudo?: boolean; // as a script the guide runs with sudo
}

export interface SandboxOptions {
  shell?: Shell; // the terminal's: bash unless given
  scripts?: Record<string, string>; // files in the working folder, by name
  follow?: readonly string[]; // the scripts that run as written
}

export interface Sandbox {
  dir: string; // the working folder the blocks run in
  run(blocks: readonly string[], options?: RunOptions): BlockRun[]; // one terminal
  remove(): void;
}

const prelude = fileURLToPath(new URL('../../../test/helpers/guide-sandbox.sh', import.meta.url));
// The terminal: the blocks named by its arguments, sourced in turn by one shell.
const terminal = `source "$KUBENET_PRELUDE"
__kn_blocks=("$@")
set --
for __kn_block in "\${__kn_blocks[@]}"; do
  __kn_fields block
  source "$__kn_block"
done
`;
const pure = ['dirname', 'basename', 'seq', 'cat'];
const real = ['mkdir', 'touch', 'sleep', 'ls']; // on PATH as real-NAME only, for the hooks

export function sandbox({ shell = 'bash', scripts = {}, follow = [] }: SandboxOptions = {}): Sandbox {
  const tmp = tempDir('kubenet-guide-');
  const bin = join(tmp.path, 'bin');
  const work = join(tmp.path, 'work');
  const home = join(tmp.path, 'home');
  for (const d of [bin, work, join(home, '.ssh')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(home, '.ssh', 'known_hosts'), '');
  for (const tool of ['bash', 'zsh', ...pure]) symlinkSync(which(tool)!, join(bin, tool));
  for (const tool of real) symlinkSync(which(tool)!, join(bin, `real-${tool}`));
  writeFileSync(join(tmp.path, 'terminal.sh'), terminal);
  for (const [name, text] of Object.entries(scripts)) {
    const body = follow.includes(name) ? text : '#!/usr/bin/env bash\n__kn_record "$0" "$@"';
    writeFileSync(join(work, name), `${body}\n`, { mode: 0o755 });
  }
  let count = 0;

  const runBlocks = (blocks: readonly string[], options: RunOptions): BlockRun[] => {
    const { answers = {}, prints = {}, sudo = false } = options;
    count += 1;
    const record = join(tmp.path, `record-${count}`);
    const answerFile = join(tmp.path, `answers-${count}`);
    const files = blocks.map((block, i) => {
      const file = join(tmp.path, `block-${count}-${i + 1}.sh`);
      writeFileSync(file, `${block}\n`);
      return file;
    });
    writeFileSync(record, '');
    const given = [...new Set([...Object.keys(answers), ...Object.keys(prints)])];
    writeFileSync(answerFile, given.map((cmd) => `${cmd}\0${answers[cmd] ?? 0}\0${prints[cmd] ?? ''}\0`).join(''));
    const env = {
      PATH: bin,
      HOME: home,
      BASH_ENV: prelude,
      KUBENET_PRELUDE: prelude,
      KUBENET_RECORD: record,
      KUBENET_ANSWERS: answerFile,
      KUBENET_BIN: bin,
      ...(sudo ? { KUBENET_SUDO: '1' } : {}),
    };
    const args = [...(shell === 'zsh' ? ['-f'] : []), join(tmp.path, 'terminal.sh'), ...files];
    const spawnOptions = { cwd: work, env, stdio: 'pipe', encoding: 'utf8', timeout: 60_000 } as const;
    const r = spawnSync(join(bin, shell), args, spawnOptions);
    if (r.error) throw r.error;
    const runs = readRecord(readFileSync(record, 'utf8'), tmp.path);
    if (runs.length !== blocks.length) {
      throw new Error(`${shell} ran ${runs.length} of the ${blocks.length} blocks:\n${r.stderr}`);
    }
    return runs;
  };

  return {
    dir: work,
    run(blocks, options = {}) {
      const runs = runBlocks(blocks, options);
      if (!options.tmux) return runs;
      return runs.map((run) => {
        const typed = panes(run.commands).map((p) => runBlocks([p.lines.join('\n')], { ...options, sudo: p.sudo })[0]!);
        return {
          commands: [...run.commands, ...typed.flatMap((t) => t.commands)],
          files: [...run.files, ...typed.flatMap((t) => t.files)],
        };
      });
    },
    remove: () => tmp.remove(),
  };
}

// Blocks typed into one terminal of a sandbox of their own, `prepare` first (what earlier steps
// left, not recorded): the commands of all of them, in order.
export function recordBlocks(
  blocks: string[],
  options: RunOptions & SandboxOptions & { prepare?: string[] } = {},
): Recorded[] {
  const { shell, scripts, follow, prepare = [], ...run } = options;
  const box = sandbox({ ...(shell ? { shell } : {}), ...(scripts ? { scripts } : {}), ...(follow ? { follow } : {}) });
  try {
    if (prepare.length) box.run(prepare);
    return box.run(blocks, run).flatMap((r) => r.commands);
  } finally {
    box.remove();
  }
}

// What a script typed into tmux panes: each new-session, new-window or split-window opens a pane,
// and each send-keys … C-m types a line into the newest one.
function panes(recorded: Recorded[]): { lines: string[]; sudo: boolean }[] {
  const out: { lines: string[]; sudo: boolean }[] = [];
  for (const { argv } of recorded) {
    const sudo = argv[0] === 'sudo';
    const [tool, verb, ...rest] = sudo ? argv.slice(1) : argv;
    if (tool !== 'tmux') continue;
    if (verb === 'new-session' || verb === 'new-window' || verb === 'split-window') out.push({ lines: [], sudo });
    if (verb !== 'send-keys' || out.length === 0) continue;
    const keys = rest.filter((word, i) => word !== '-t' && rest[i - 1] !== '-t');
    if (keys.at(-1) === 'C-m') out.at(-1)!.lines.push(keys.slice(0, -1).join(' '));
  }
  return out;
}

// Why the guide's shell cannot be read here, or nothing: command_not_found_handle came with bash 4
// (macOS ships 3.2); the macOS edition's terminal is zsh.
export function missingShell(): string | undefined {
  const bash = which('bash');
  const major = bash && spawnSync(bash, ['-c', 'echo "${BASH_VERSINFO[0]}"'], { encoding: 'utf8' }).stdout;
  if (Number(major) < 4) return "bash 4 or later is not installed (the guide's shell is read by bash)";
  if (!which('zsh')) return "zsh is not installed (the macOS edition's terminal blocks are read by zsh)";
  return undefined;
}
