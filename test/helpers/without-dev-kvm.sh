#!/usr/bin/env bash
# Runs "$@" with /dev as it is, less /dev/kvm: a host without KVM, made by the tests on a machine
# that has one. Only ever run inside `unshare --mount --propagation private` (test/helpers/kvm-host.ts),
# as root: the mounts below live and die with that namespace; the host's /dev is not changed.
set -euo pipefail
old=$(mktemp -d /tmp/kubenet-olddev-XXXXXX)
trap 'umount -l "$old" 2>/dev/null; rmdir "$old" 2>/dev/null' EXIT # if a mount below fails
mount --rbind /dev "$old"
mount -t tmpfs -o mode=0755,nosuid kubenet-dev /dev
shopt -s dotglob nullglob
for entry in "$old"/*; do
  name=${entry##*/}
  [ "$name" = kvm ] && continue
  # ptmx opens the devpts beside it: a node of its own here, next to the pts bound below (a bind of the
  # old node would look beside the old one, where no devpts is mounted any more, and no pty opens).
  if [ "$name" = ptmx ]; then mknod -m 666 /dev/ptmx c 5 2 && continue; fi
  if [ -L "$entry" ]; then cp -P "$entry" "/dev/$name"
  elif [ -d "$entry" ]; then mkdir "/dev/$name" && mount --rbind "$entry" "/dev/$name"
  else : > "/dev/$name" && mount --bind "$entry" "/dev/$name"; fi
done
# The copies stand on their own: let the old tree go, then become the command (signals reach it).
umount -l "$old"
rmdir "$old"
trap - EXIT
exec "$@"
