// The guide's shell read as a shell reads it — by bash itself — with nothing run. In a folder of
// its own, bash finds only itself and the pure helpers the guide's scripts compute with (dirname,
// basename, seq, cat); every other command reaches its command_not_found_handle, which writes down
// the argv (and what the command read from a pipe: a `cat <<EOF | sudo tee FILE`'s text) and
// succeeds. So quoting, brace expansion, variables and the scripts' own logic (id_to_name, the
// resources by VM type) are the guide's, and every command comes out as the argv it would run.
//   sudo CMD       is written down as sudo CMD; a script run with sudo writes its commands so
//   mkdir, touch   also make their (relative) folder or file in the sandbox, for what reads them
//   sleep          pauses 0.2 s, so a command started in the background is written down first
//   answers        exit codes for the guide's looks (`grep -q …`): 0 unless given
//   scripts        the guide's scripts: those in `follow` run as written, the others are only
//                  written down when run (./vmsetup.sh 0)
//   tmux           the keys a script sends to a tmux pane (`send-keys … C-m`) are run as that
//                  pane's shell would run them
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { which } from '../../lib/host/which.js';
import { tempDir } from './tmp.js';

export interface Recorded {
  argv: string[];
  input?: string;
}

const prelude = `
__record() {
  local input='' argv=("$@")
  if [[ -p /dev/stdin ]]; then IFS= read -r -d '' input || true; fi
  if [[ -n \${KUBENET_SUDO:-} ]]; then argv=(sudo "\${argv[@]}"); fi
  printf '%s\\0' "\${#argv[@]}" "\${argv[@]}" "$input" >> "$KUBENET_RECORD"
}
__answer() {
  local code cmd
  while IFS=$'\\t' read -r code cmd; do
    if [[ $cmd == "$*" ]]; then return "$code"; fi
  done < "$KUBENET_ANSWERS"
  return 0
}
__inside() {
  local a
  for a in "\${@:2}"; do
    case "$a" in -*) ;; /*|\~*|*..*) return ;; esac
  done
  if [[ -z \${KUBENET_SUDO:-} ]]; then "$KUBENET_BIN/real-$1" "\${@:2}"; fi
}
command_not_found_handle() {
  if [[ $1 == sudo ]]; then
    shift
    export KUBENET_SUDO=1
    "$@"
    return
  fi
  __record "$@"
  case "$1" in
    mkdir|touch) __inside "$@" ;;
    sleep) "$KUBENET_BIN/real-sleep" 0.2 ;;
  esac
  __answer "$@"
}
`;

export interface RunOptions {
  answers?: Record<string, number>; // exit codes by argv (without sudo) joined by spaces
  tmux?: boolean; // run what the block typed into tmux panes
  sudo?: boolean; // as a script the guide runs with sudo
}

export interface Sandbox {
  dir: string; // the working folder the blocks run in
  run(block: string, options?: RunOptions): Recorded[];
  remove(): void;
}

const pure = ['dirname', 'basename', 'seq', 'cat'];
const real = ['mkdir', 'touch', 'sleep'];

export function sandbox({ scripts = {}, follow = [] }: { scripts?: Record<string, string>; follow?: readonly string[] } = {}): Sandbox {
  const tmp = tempDir('kubenet-guide-');
  const bin = join(tmp.path, 'bin');
  const work = join(tmp.path, 'work');
  const home = join(tmp.path, 'home');
  for (const d of [bin, work, join(home, '.ssh')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(home, '.ssh', 'known_hosts'), '');
  for (const tool of ['bash', ...pure]) symlinkSync(which(tool)!, join(bin, tool));
  for (const tool of real) symlinkSync(which(tool)!, join(bin, `real-${tool}`)); // not on PATH by their names
  writeFileSync(join(tmp.path, 'prelude.sh'), prelude);
  for (const [name, text] of Object.entries(scripts)) {
    const body = follow.includes(name) ? text : '#!/usr/bin/env bash\n__record "$0" "$@"';
    writeFileSync(join(work, name), `${body}\n`, { mode: 0o755 });
  }
  let count = 0;

  const runBlock = (block: string, answers: Record<string, number>, sudo: boolean): Recorded[] => {
    count += 1;
    const record = join(tmp.path, `record-${count}`);
    const answerFile = join(tmp.path, `answers-${count}`);
    const script = join(tmp.path, `block-${count}.sh`);
    writeFileSync(record, '');
    writeFileSync(answerFile, Object.entries(answers).map(([cmd, code]) => `${code}\t${cmd}\n`).join(''));
    writeFileSync(script, `${block}\n`);
    chmodSync(script, 0o644);
    const env = {
      PATH: bin,
      HOME: home,
      BASH_ENV: join(tmp.path, 'prelude.sh'),
      KUBENET_RECORD: record,
      KUBENET_ANSWERS: answerFile,
      KUBENET_BIN: bin,
      ...(sudo ? { KUBENET_SUDO: '1' } : {}),
    };
    const r = spawnSync(join(bin, 'bash'), [script], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    if (r.error) throw r.error;
    return parseRecord(readFileSync(record, 'utf8'));
  };

  return {
    dir: work,
    run(block, { answers = {}, tmux = false, sudo = false } = {}) {
      const recorded = runBlock(block, answers, sudo);
      return tmux ? [...recorded, ...panes(recorded).flatMap((p) => runBlock(p.lines.join('\n'), answers, p.sudo))] : recorded;
    },
    remove: () => tmp.remove(),
  };
}

// Blocks run in a sandbox of their own, `prepare` first (what earlier steps left, not recorded).
export function recordBlocks(blocks: string[], options: RunOptions & { scripts?: Record<string, string>; follow?: string[]; prepare?: string[] } = {}): Recorded[] {
  const box = sandbox({ ...(options.scripts ? { scripts: options.scripts } : {}), ...(options.follow ? { follow: options.follow } : {}) });
  try {
    for (const block of options.prepare ?? []) box.run(block);
    return blocks.flatMap((block) => box.run(block, options));
  } finally {
    box.remove();
  }
}

function parseRecord(text: string): Recorded[] {
  const fields = text.split('\0');
  const out: Recorded[] = [];
  for (let i = 0; i + 1 < fields.length; ) {
    const n = Number(fields[i++]);
    const argv = fields.slice(i, i + n);
    i += n;
    const input = fields[i++]!;
    out.push(input ? { argv, input } : { argv });
  }
  return out;
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

export const argvLine = (r: Recorded): string => r.argv.join(' ');

// command_not_found_handle came with bash 4 (macOS ships 3.2).
export function hasBash4(): boolean {
  const bash = which('bash');
  if (!bash) return false;
  const r = spawnSync(bash, ['-c', 'echo "${BASH_VERSINFO[0]}"'], { encoding: 'utf8' });
  return Number(r.stdout.trim()) >= 4;
}
