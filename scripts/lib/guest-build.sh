# shellcheck shell=bash
# Sourced by scripts/build-*-guest.sh: messages, root, host tools and the apt lists, the same for
# every test guest. The sourcing script sets $deb_arch before it calls lists_fingerprint.
guest_script=$(basename "$0" .sh)

log() { printf '%s: %s\n' "$guest_script" "$*" >&2; }
die() {
  log "error: $1"
  if [[ -n ${2:-} ]]; then log "  -> $2"; fi
  exit 1
}

# Runs a command as root, or says how to get it run.
as_root() {
  if [[ $EUID -eq 0 ]]; then
    "$@"
  else
    die "'$*' needs root" "run this script once with sudo (it then caches everything), or run that command yourself"
  fi
}

# apt-get install, once, for the packages given (none: nothing to do).
install_packages() {
  (($# > 0)) || return 0
  local -a wanted
  mapfile -t wanted < <(printf '%s\n' "$@" | sort -u)
  log "installing host tools: ${wanted[*]}"
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${wanted[@]}" >&2
}

# Installs the packages whose commands are missing; arguments are "command package" pairs.
ensure_host_tools() {
  local pair command package missing=()
  for pair in "$@"; do
    read -r command package <<<"$pair"
    PATH="$PATH:/usr/sbin:/sbin" command -v "$command" >/dev/null || missing+=("$package")
  done
  install_packages "${missing[@]}"
}

# The local apt lists for the guest's architecture; their names, sizes and times change whenever
# apt-get update brings new ones, so they key the package resolution of each script.
lists_fingerprint() {
  local -a lists=(/var/lib/apt/lists/*"binary-${deb_arch}_Packages"*)
  [[ -e ${lists[0]} ]] || return 1
  stat -c '%n %s %Y' "${lists[@]}" | sha256sum | cut -d' ' -f1
}
