#!/bin/sh
# mmdebstrap --essential-hook for the real test guest ($1: the guest's root folder), run before the
# kernel is installed: its initramfs is then built once, with only the drivers a q35 VM needs
# to mount its root (AHCI for -hda, virtio for -drive if=virtio), instead of every driver.
set -eu
here=$(dirname "$0")
mkdir -p "$1/etc/initramfs-tools/conf.d" "$1/etc/initramfs-tools/hooks"
printf 'MODULES=list\nCOMPRESS=zstd\n' >"$1/etc/initramfs-tools/conf.d/kubenet.conf"
install -m 0755 "$here/initramfs-modules.sh" "$1/etc/initramfs-tools/hooks/kubenet-modules"
