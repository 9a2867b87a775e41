// `kubenet completion zsh`: the same completions for zsh, from the same words.ts. Works both
// sourced after compinit and saved as _kubenet in a folder on $fpath.
import { commandWords, optionValues, optionsOf, taskCommands, vmCommands } from './words.js';

const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

function valueCases(): string {
  return Object.entries(optionValues)
    .map(([flag, values]) => {
      const reply =
        values === 'dirs'
          ? '_files -/'
          : values === 'tasks'
            ? 'tasks=(${(f)"$(_kubenet_words)"}); compadd -a tasks'
            : values === 'files'
              ? '_files'
              : values === 'none'
                ? ':'
                : `compadd -- ${values.join(' ')}`;
      return `    ${flag}) ${reply}; return ;;`;
    })
    .join('\n');
}

export function zshScript(invocation: readonly string[]): string {
  const described = Object.entries(commandWords)
    .map(([c, what]) => `    ${quote(`${c}:${what}`)}`)
    .join('\n');
  const optionCases = Object.keys(commandWords)
    .map((c) => `      ${c}) compadd -- ${optionsOf(c).join(' ')} ;;`)
    .join('\n');
  return `#compdef kubenet
# kubenet completion for zsh. Load it with:  source <(kubenet completion zsh)   (after compinit)
# or save it as _kubenet in a folder on $fpath.
_kubenet_words() { ${invocation.map(quote).join(' ')} __complete tasks 2>/dev/null; }
_kubenet_vms() { ${invocation.map(quote).join(' ')} __complete vms 2>/dev/null; }
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
${valueCases()}
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
