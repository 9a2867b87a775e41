# The guide sandbox's hooks (test/helpers/guide-shell.ts), read by bash (BASH_ENV, so every script
# a block starts has them too) and by zsh (sourced first): what this shell does with a command it
# does not find. Nothing here runs the guide's commands; it writes them down in $KUBENET_RECORD as
# NUL-separated fields:
#   block                          the next block of a terminal starts here
#   cmd N ARGV… INPUT FROM TO      a command: its N words, what it read from a pipe, and the
#                                  inodes of the pipes it read from and wrote to (empty if none),
#                                  so a pipeline can be told from two commands in a row
#   file INODE FOLDER              cat wrote the file INODE, in the shell's folder FOLDER
# Everything is written for both shells: no 0- or 1-indexed arrays, no word splitting relied on.

__kn_fields() { printf '%s\0' "$@" >> "$KUBENET_RECORD"; }

# The inode of what fd 7 is, in __kn_ino: the caller's stdin or stdout, given as
# `{ __kn_inode; } 7<&0`. Linux says it in /proc (read by the shell itself); elsewhere ls does.
__kn_inode() {
  local key value line
  __kn_ino=''
  if [[ -r /proc/self/fdinfo/7 ]]; then
    while read -r key value; do
      if [[ $key == ino: ]]; then __kn_ino=$value; fi
    done < /proc/self/fdinfo/7
  fi
  if [[ -z $__kn_ino ]]; then
    line=$("$KUBENET_BIN/real-ls" -iLd /dev/fd/7)
    read -r __kn_ino value <<< "$line"
  fi
}

__kn_record() {
  local input='' from='' to=''
  local -a words
  words=("$@")
  if [[ -n ${KUBENET_SUDO:-} ]]; then words=(sudo "${words[@]}"); fi
  # Read all of a pipe first: the command before it in the pipeline is written down by then.
  if [[ -p /dev/stdin ]]; then
    IFS= read -r -d '' input || true
    { __kn_inode; } 7<&0
    from=$__kn_ino
  fi
  if [[ -p /dev/stdout ]]; then
    { __kn_inode; } 7>&1
    to=$__kn_ino
  fi
  __kn_fields cmd "${#words[@]}" "${words[@]}" "$input" "$from" "$to"
}

# The exit code and output the test gave for this command ($KUBENET_ANSWERS: argv, code, output,
# NUL-separated), or success and nothing.
__kn_answer() {
  local want="$*" line code out
  while IFS= read -r -d '' line && IFS= read -r -d '' code && IFS= read -r -d '' out; do
    if [[ $line == "$want" ]]; then
      printf '%s' "$out"
      return "$code"
    fi
  done < "$KUBENET_ANSWERS"
  return 0
}

# mkdir and touch of a relative path, not as root, also make it here, for what reads it later.
__kn_inside() {
  local word
  for word in "${@:2}"; do
    case $word in
      -*) ;;
      /* | \~* | *..*) return 0 ;;
    esac
  done
  if [[ -z ${KUBENET_SUDO:-} ]]; then "$KUBENET_BIN/real-$1" "${@:2}"; fi
}

__kn_missing() {
  if [[ $1 == sudo ]]; then
    shift
    export KUBENET_SUDO=1
    "$@"
    return
  fi
  # A pause first, so a command started in the background before it is written down before it.
  if [[ $1 == sleep ]]; then "$KUBENET_BIN/real-sleep" 0.2; fi
  __kn_record "$@"
  case $1 in
    mkdir | touch) __kn_inside "$@" ;;
  esac
  __kn_answer "$@"
}

command_not_found_handle() { __kn_missing "$@"; }  # bash
command_not_found_handler() { __kn_missing "$@"; } # zsh

# cat is the one command the guide writes files with (`cat <<EOF > FILE`, an eval'd heredoc):
# it runs, and a file it wrote is written down.
cat() {
  command cat "$@" || return
  if [[ -f /dev/stdout ]]; then
    { __kn_inode; } 7>&1
    __kn_fields file "$__kn_ino" "$PWD"
  fi
}

# kill is a builtin: the shell would signal the pid itself. The only pids a block has are of the
# sandbox's own background commands (restartdnsmasq.sh's `kill $qemu_pid`), which are done.
kill() { return 0; }
