// `kubenet completion zsh`: the same completions for zsh, from the same words.ts. Works both
// sourced after compinit and saved as _kubenet in a folder on $fpath.
import {
  commandWords,
  optionsOf,
  optionValues,
  shellQuote,
  taskCommands,
  type ValueReplies,
  valueCases,
  vmCommands,
} from './words.js';

const replies: ValueReplies = {
  dirs: '_files -/',
  tasks: 'tasks=(${(f)"$(_kubenet_words)"}); compadd -a tasks',
  files: '_files',
  none: ':',
  list: (values) => `compadd -- ${values.join(' ')}`,
  end: 'return',
};

export function zshScript(invocation: readonly string[]): string {
  const described = Object.entries(commandWords)
    .map(([c, what]) => `    ${shellQuote(`${c}:${what}`)}`)
    .join('\n');
  const optionCases = Object.keys(commandWords)
    .map((c) => `      ${c}) compadd -- ${optionsOf(c).join(' ')} ;;`)
    .join('\n');
  return `#compdef kubenet
# kubenet completion for zsh. Load it with:  source <(kubenet completion zsh)   (after compinit)
# or save it as _kubenet in a folder on $fpath.
_kubenet_words() { ${invocation.map(shellQuote).join(' ')} __complete tasks 2>/dev/null; }
_kubenet_vms() { ${invocation.map(shellQuote).join(' ')} __complete vms 2>/dev/null; }
_kubenet() {
  local -a commands tasks
  local cmd="" i
  commands=(
${described}
  )
  for (( i = 2; i < CURRENT; i++ )); do
    case \${words[i]} in
      ${Object.keys(optionValues).join('|')}) (( i++ )) ;;
      -*) ;;
      *) cmd=\${words[i]}; break ;;
    esac
  done
  case \${words[CURRENT-1]} in
${valueCases(replies)}
  esac
  if [[ -z $cmd ]]; then
    if [[ \${words[CURRENT]} == -* ]]; then
      compadd -- --help --version
    else
      _describe -t commands 'kubenet command' commands
    fi
    return
  fi
  if [[ \${words[CURRENT]} == -* ]]; then
    case $cmd in
${optionCases}
    esac
    return
  fi
  case $cmd in
    ${taskCommands.join('|')})
      tasks=(\${(f)"$(_kubenet_words)"})
      compadd -a tasks ;;
    ${vmCommands.join('|')})
      tasks=(\${(f)"$(_kubenet_vms)"})
      compadd -a tasks ;;
    help) compadd -- ${Object.keys(commandWords).join(' ')} ;;
    completion) compadd -- bash zsh ;;
    import) _files ;;
    cache) compadd -- list prune ;;
  esac
}
if [[ \${zsh_eval_context[-1]} == loadautoload ]]; then
  _kubenet "$@"
else
  compdef _kubenet kubenet
fi
`;
}
