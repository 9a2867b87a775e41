// Splits a command's argv into options and finds each one's note. An option without a note
// comes back with `note: undefined`, so a test can insist that every option is explained.
import { pipelineOf, type Command } from '../command.js';
import { authNotes } from './auth-notes.js';
import { valuelessFlags } from '../qemu/qemu-args.js';
import type { OptionNote } from './option-note.js';
import { qemuNotes } from './qemu-notes.js';
import { toolNotes } from './tool-notes.js';
import { hostCommandNote } from './host-command-notes.js';

export interface ExplainedOption {
  words: string[]; // ['-machine', 'virt,accel=hvf'] or ['-nodefaults'] or ['ubuntu.img']
  key: string; // the table key it was looked up by
  note: OptionNote | undefined;
  whole?: boolean; // a host command explained as one (words: its argv, the program first)
  exe?: string; // the program it belongs to (a pipeline has several)
}

// Flags that take no value, per tool (QEMU's are the one list in qemu-args.ts); every other flag
// takes the next word.
const valueless: Record<string, ReadonlySet<string>> = {
  qemu: valuelessFlags,
  'qemu-img': new Set(),
  mkisofs: new Set(['-joliet', '-rock', '-J', '-R']),
  cfssl: new Set(['-initca']),
  cfssljson: new Set(),
  kubectl: new Set(),
  scp: new Set(),
};

// Options whose meaning depends on the value's head are looked up by "flag head".
const byHead = new Set(['-chardev', '-nic', '-display', '-audiodev', '-device']);

export function noteKey(flag: string, value: string | undefined): string {
  if (value === undefined) return flag;
  if (byHead.has(flag)) return `${flag} ${value.split(',')[0]}`;
  if (flag === '-drive') {
    const iface = /(?:^|,)if=([^,]+)/.exec(value)?.[1];
    return iface ? `-drive if=${iface}` : '-drive';
  }
  return flag;
}

const toolOf = (exe: string) => (exe.startsWith('qemu-system-') ? 'qemu' : exe);

// Each command of a pipeline (`cfssl … | cfssljson …`) in turn.
export function explainCommand(command: Command): ExplainedOption[] {
  return pipelineOf(command).flatMap((stage) => explainOne(stage).map((o) => ({ ...o, exe: stage.exe })));
}

function explainOne(command: Command): ExplainedOption[] {
  const tool = toolOf(command.exe);
  if (!(tool in valueless)) {
    const argv = [command.exe, ...command.args];
    const found = hostCommandNote(argv);
    return [{ words: argv, key: found?.key ?? argv.join(' '), note: found?.note, whole: true }];
  }
  const flags: ReadonlySet<string> = valueless[tool] ?? new Set<string>();
  const out: ExplainedOption[] = [];
  const positionals: string[] = [];
  const args = command.args;
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (!word.startsWith('-')) {
      positionals.push(word);
      out.push(positional(tool, word, positionals));
      continue;
    }
    const joined = /^(--?[\w-]+)=(.*)$/.exec(word); // -ca=ca.pem, --server=https://…
    if (joined) {
      const key = `${tool} ${joined[1]}`;
      out.push({ words: [joined[1]!, joined[2]!], key, note: authNotes[key] ?? toolNotes[key] });
      continue;
    }
    const value = flags.has(word) || i + 1 >= args.length ? undefined : args[++i]!;
    const key = tool === 'qemu' ? noteKey(word, value) : `${tool} ${word}`;
    const note = tool === 'qemu' ? qemuNotes[key] : (toolNotes[key] ?? authNotes[key]);
    out.push({ words: value === undefined ? [word] : [word, value], key, note });
  }
  return out;
}

// qemu-img create FILE SIZE; mkisofs … INPUT…; cfssl gencert CSR; kubectl config set-cluster NAME;
// scp FILE… TARGET.
function positional(tool: string, word: string, seen: readonly string[]): ExplainedOption {
  const index = seen.length - 1;
  const roles: Record<string, () => string> = {
    'qemu-img': () => ['create', 'FILE', 'SIZE'][index] ?? 'extra',
    mkisofs: () => 'INPUT',
    cfssl: () => (index === 0 ? word : 'CSR'),
    kubectl: () => (index === 0 ? word : index === 1 ? `config ${word}` : `${seen[1]} NAME`),
    scp: () => (/^[^/]*@[^/]*:/.test(word) ? 'TARGET' : 'FILE'),
  };
  const key = `${tool} ${roles[tool]?.() ?? 'positional'}`;
  return { words: [word], key, note: toolNotes[key] ?? authNotes[key] };
}
