// `kubenet completion bash`: a completion function generated from words.ts. Task names come
// from `kubenet __complete tasks`, run the way this script was made (the node and kubenet that
// printed it), so they match the task files — and completion works for `npx kubenet` users who
// `alias kubenet='npx kubenet'`, where no kubenet is on PATH.
import {
  commandWords,
  optionValues,
  optionsOf,
  shellQuote,
  taskCommands,
  type ValueReplies,
  valueCases,
  vmCommands,
} from './words.js';

const words = (list: readonly string[]) => list.join(' ');
const replies: ValueReplies = {
  dirs: 'COMPREPLY=($(compgen -d -- "$cur"))',
  tasks: 'COMPREPLY=($(compgen -W "$(_kubenet_words)" -- "$cur"))',
  files: 'COMPREPLY=($(compgen -f -- "$cur"))',
  none: 'COMPREPLY=()',
  list: (values) => `COMPREPLY=($(compgen -W "${words(values)}" -- "$cur"))`,
  end: 'return 0',
};

function optionCases(): string {
  return Object.keys(commandWords)
    .map((c) => `    ${c}) opts="${words(optionsOf(c))}" ;;`)
    .join('\n');
}

export function bashScript(invocation: readonly string[]): string {
  const commands = words(Object.keys(commandWords));
  return `# kubenet completion for bash. Load it with:  source <(kubenet completion bash)
_kubenet_words() { ${invocation.map(shellQuote).join(' ')} __complete tasks 2>/dev/null; }
_kubenet_vms() { ${invocation.map(shellQuote).join(' ')} __complete vms 2>/dev/null; }
_kubenet() {
  local cur prev cmd opts i
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev=""
  (( COMP_CWORD > 0 )) && prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd=""
  for (( i = 1; i < COMP_CWORD; i++ )); do
    case "\${COMP_WORDS[i]}" in
      ${Object.keys(optionValues).join('|')}) (( i++ )) ;;
      -*) ;;
      *) cmd="\${COMP_WORDS[i]}"; break ;;
    esac
  done
  case "$prev" in
${valueCases(replies)}
  esac
  if [[ -z "$cmd" ]]; then
    if [[ "$cur" == -* ]]; then
      COMPREPLY=($(compgen -W "--help --version" -- "$cur"))
    else
      COMPREPLY=($(compgen -W "${commands}" -- "$cur"))
    fi
    return 0
  fi
  if [[ "$cur" == -* ]]; then
    opts="--help"
    case "$cmd" in
${optionCases()}
    esac
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    return 0
  fi
  case "$cmd" in
    ${taskCommands.join('|')}) COMPREPLY=($(compgen -W "$(_kubenet_words)" -- "$cur")) ;;
    ${vmCommands.join('|')}) COMPREPLY=($(compgen -W "$(_kubenet_vms)" -- "$cur")) ;;
    help) COMPREPLY=($(compgen -W "${commands}" -- "$cur")) ;;
    completion) COMPREPLY=($(compgen -W "bash zsh" -- "$cur")) ;;
    import) COMPREPLY=($(compgen -f -- "$cur")) ;;
    cache) COMPREPLY=($(compgen -W "list prune" -- "$cur")) ;;
    *) COMPREPLY=() ;;
  esac
  return 0
}
complete -F _kubenet kubenet
`;
}
