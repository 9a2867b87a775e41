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

function sandbox({ shell = 'bash', scripts = {}, follow = [] }: SandboxOptions = {}): Sandbox {
  const tmp = tempDir('kubenet-guide-');
  const [bin, work, home] = ['bin', 'work', 'home'].map((d) => join(tmp.path, d)) as [string, string, string];
  const place: Place = { shell, root: tmp.path, bin, work, home };
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
  const typeInto = (blocks: readonly string[], options: RunOptions) => {
    count += 1;
    return runTerminal(place, count, blocks, options);
  };
  return {
    run(blocks, options = {}) {
      const runs = typeInto(blocks, options);
      if (!options.tmux) return runs;
      return runs.map((run) => {
        const typed = panes(run.commands).map((p) => typeInto([p.lines.join('\n')], { ...options, sudo: p.sudo })[0]!);
        return {
          commands: [...run.commands, ...typed.flatMap((t) => t.commands)],
          files: [...run.files, ...typed.flatMap((t) => t.files)],
        };
      });
    },
    remove: () => tmp.remove(),
  };
}

interface Place {
  shell: Shell;
  root: string; // the sandbox's own files (blocks, records, terminal.sh)
  bin: string; // its PATH
  work: string; // where the blocks run
  home: string;
}

// The n-th terminal of a sandbox: one shell sourcing the blocks in turn; each block's run.
function runTerminal(place: Place, n: number, blocks: readonly string[], options: RunOptions): BlockRun[] {
  const { answers = {}, prints = {}, sudo = false } = options;
  const file = (name: string) => join(place.root, `${name}-${n}`);
  const files = blocks.map((block, i) => {
    writeFileSync(file(`block-${i + 1}`), `${block}\n`);
    return file(`block-${i + 1}`);
  });
  writeFileSync(file('record'), '');
  const given = [...new Set([...Object.keys(answers), ...Object.keys(prints)])];
  writeFileSync(file('answers'), given.map((cmd) => `${cmd}\0${answers[cmd] ?? 0}\0${prints[cmd] ?? ''}\0`).join(''));
  const env = {
    PATH: place.bin,
    HOME: place.home,
    BASH_ENV: prelude,
    KUBENET_PRELUDE: prelude,
    KUBENET_RECORD: file('record'),
    KUBENET_ANSWERS: file('answers'),
    KUBENET_BIN: place.bin,
    ...(sudo ? { KUBENET_SUDO: '1' } : {}),
  };
  const args = [...(place.shell === 'zsh' ? ['-f'] : []), join(place.root, 'terminal.sh'), ...files];
  const r = spawnSync(join(place.bin, place.shell), args, {
    cwd: place.work,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  const runs = readRecord(readFileSync(file('record'), 'utf8'), place.root);
  if (runs.length === blocks.length) return runs;
  throw new Error(`${place.shell} ran ${runs.length} of the ${blocks.length} blocks:\n${r.stderr}`);
}

// A sandbox for the time `use` takes, removed after it even when it throws.
export function inSandbox<T>(options: SandboxOptions, use: (box: Sandbox) => T): T {
  const box = sandbox(options);
  try {
    return use(box);
  } finally {
    box.remove();
  }
}

// Blocks typed into one terminal of a sandbox of their own, `prepare` first (what earlier steps
// left, not recorded): the commands of all of them, in order.
export function recordBlocks(
  blocks: string[],
  options: RunOptions & SandboxOptions & { prepare?: string[] } = {},
): Recorded[] {
  const { shell, scripts, follow, prepare = [], ...run } = options;
  return inSandbox({ shell, scripts, follow }, (box) => {
    if (prepare.length) box.run(prepare);
    return box.run(blocks, run).flatMap((r) => r.commands);
  });
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
