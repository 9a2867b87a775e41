#!/usr/bin/env bash
# Builds the real test guest: a Debian bookworm cloud image with Debian's own cloud-init
# (NoCloud), systemd and OpenSSH, that UEFI-boots from a qcow2 disk the way Ubuntu's cloud image
# does (GPT, an EFI system partition with GRUB, an ext4 root). It stands in for
# jammy-server-cloudimg-amd64.img where a test needs the truth rather than the tiny guests'
# stand-in /init: real cloud-init reading kubenet's seed, real sshd answering `kubenet ssh`.
#   cloud.qcow2   the disk image (boot it with the guide's q35 + OVMF command, -hda)
#   packages.txt  every package in it with its version (dpkg-query)
# The disk is laid out without loop devices or mounts: mmdebstrap into a folder, mke2fs -d at an
# offset, mtools for the ESP, sfdisk for the partition table. See scripts/real-guest/.
#
# Usage: scripts/build-real-guest.sh [x86_64]
# Output: ${KUBENET_TEST_CACHE:-<repo>/.cache/test-guest}/real-x86_64/, keyed by a hash of this
# script, scripts/lib/guest-build.sh, scripts/real-guest/ and the resolved versions of the
# packages that make the guest; a second run with the same key does nothing. Prints `dir=…`, `cloud_image=…`, `packages=…` on
# stdout; progress goes to stderr. Needs root: mmdebstrap runs maintainer scripts in a chroot.
set -euo pipefail

arch=${1:-x86_64}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
templates="$here/real-guest"
cache_root=${KUBENET_TEST_CACHE:-"$(dirname "$here")/.cache/test-guest"}
out="$cache_root/real-$arch"
# shellcheck source=scripts/lib/guest-build.sh
source "$here/lib/guest-build.sh"

case $arch in
  x86_64) deb_arch=amd64 grub_target=x86_64-efi efi_boot=BOOTX64.EFI console=ttyS0 ;;
  aarch64) die "the real guest is built for x86_64 only" "its maintainer scripts would have to run under emulation; use the tiny aarch64 guests (scripts/build-test-guest.sh)" ;;
  *) die "unsupported guest architecture '$arch'" "use x86_64" ;;
esac

# What makes the guest, beyond mmdebstrap's apt variant (Essential packages and apt). The kernel
# is Debian's generic one, not linux-image-cloud-amd64: the guide's -hda is an AHCI disk on q35,
# and the cloud kernel has no AHCI driver (CONFIG_SATA_AHCI is not set).
packages=(
  linux-image-amd64 initramfs-tools zstd systemd-sysv udev dbus libpam-systemd
  cloud-init openssh-server sudo e2fsprogs
)

# The disk: 2 GiB, GPT; the ESP from 1 MiB, the root file system after it, 1 MiB left at the end
# for the backup GPT. The overlay kubenet makes on it is larger; cloud-init leaves the partition
# as it is (no growpart in the image), which is all a test needs.
disk_mib=2048
esp_mib=32
root_start_mib=$((1 + esp_mib))
root_mib=$((disk_mib - root_start_mib - 1))

host_tools=(
  "mmdebstrap mmdebstrap"
  "mke2fs e2fsprogs"
  "mformat mtools"
  "mcopy mtools"
  "mmd mtools"
  "sfdisk fdisk"
  "grub-mkstandalone grub-common"
  "qemu-img qemu-utils"
  "flock util-linux"
)

# The host's own apt sources: mmdebstrap pastes them into the guest, so the guest is built from
# the mirror this machine already uses, and the versions apt-cache resolves here are the ones
# mmdebstrap installs.
apt_sources() {
  local file
  for file in /etc/apt/sources.list.d/debian.sources /etc/apt/sources.list; do
    if [[ -s $file ]] && grep -q '^[^#]' "$file"; then
      printf '%s\n' "$file"
      return
    fi
  done
  die "no Debian apt sources in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list" "add the Debian 12 (bookworm) mirror to one of them"
}

# "name version" for the packages above, the kernel the metapackage points to, and the
# libraries the guest is made of at heart. apt-cache is slow here (over a second a call), so
# the answer is kept until the apt lists change.
resolve_versions() {
  local fingerprint resolved="$cache_root/real-$arch.packages"
  if ! fingerprint=$(lists_fingerprint); then
    log "apt-get update"
    as_root apt-get update -qq >&2
    fingerprint=$(lists_fingerprint) || die "apt has no $deb_arch package lists" "check the apt sources"
  fi
  if [[ -f $resolved && $(head -n 1 "$resolved") == "lists $fingerprint" ]]; then
    tail -n +2 "$resolved"
    return
  fi
  local kernel
  kernel=$(apt-cache depends "linux-image-amd64" 2>/dev/null |
    awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
  [[ -n $kernel ]] || die "cannot resolve linux-image-amd64 to a kernel package" "run 'apt-get update' and try again"
  local versions
  versions=$(apt-cache policy "${packages[@]}" "$kernel" systemd python3 libc6 2>/dev/null |
    awk '/^[^ ]/ { name = $1; sub(/:$/, "", name) } $1 == "Candidate:" { print name, $2 }')
  if grep -q ' (none)$' <<<"$versions" || (($(wc -l <<<"$versions") != ${#packages[@]} + 4)); then
    die "apt has no candidate for some of: ${packages[*]} $kernel" "run 'apt-get update' and try again"
  fi
  printf 'lists %s\n%s\n' "$fingerprint" "$versions" >"$resolved.tmp"
  mv -f "$resolved.tmp" "$resolved"
  printf '%s\n' "$versions"
}

# The guest's root folder, every package installed and configured (scripts/real-guest/*-hook.sh).
make_root() {
  local root=$1
  log "mmdebstrap bookworm ($deb_arch): ${packages[*]}"
  mmdebstrap --quiet --variant=apt --mode=root --format=directory --architectures="$deb_arch" \
    --include="$(IFS=,; printf '%s' "${packages[*]}")" \
    --dpkgopt="$templates/dpkg-trim.cfg" \
    --essential-hook="$templates/essential-hook.sh" \
    --customize-hook="$templates/customize-hook.sh" \
    bookworm "$root" "$(apt_sources)" >&2
  [[ -e $root/vmlinuz && -e $root/initrd.img ]] || die "the guest has no /vmlinuz or /initrd.img" "the kernel package's layout changed; update scripts/build-real-guest.sh"
}

# GRUB as the removable-media boot file, with its config built in: find the root file system by
# UUID, boot its kernel and initramfs on the serial console, no menu.
make_grub() {
  local uuid=$1 target=$2
  cat >"$work/grub.cfg" <<EOF
set timeout=0
search --no-floppy --fs-uuid --set=root $uuid
linux /vmlinuz root=UUID=$uuid ro console=$console
initrd /initrd.img
boot
EOF
  # The partition map and file system are loaded up front: `search` would otherwise try to load
  # every file system module GRUB knows, and find none of them in this small image.
  grub-mkstandalone --format="$grub_target" --output="$target" --locales= --themes= --fonts= \
    --modules="part_gpt ext2" --install-modules="normal search search_fs_uuid part_gpt ext2 linux boot echo test" \
    "boot/grub/grub.cfg=$work/grub.cfg"
}

make_disk() {
  local root=$1 uuid=$2 target=$3 raw="$work/disk.raw"
  truncate -s "${disk_mib}M" "$raw"
  sfdisk --quiet "$raw" <<EOF
label: gpt
first-lba: 2048
start=1MiB, size=${esp_mib}MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="ESP"
start=${root_start_mib}MiB, size=${root_mib}MiB, type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, name="cloudimg-rootfs"
EOF
  # The ESP, written into the disk at its offset.
  make_grub "$uuid" "$work/$efi_boot"
  mformat -i "$raw@@1M" -T $((esp_mib * 2048)) -h 64 -s 32 -v ESP ::
  mmd -i "$raw@@1M" ::/EFI ::/EFI/BOOT
  mcopy -i "$raw@@1M" "$work/$efi_boot" "::/EFI/BOOT/$efi_boot"
  # The root file system, filled from the folder. Inode tables and the journal are zeroed now
  # rather than by the guest's kernel in the background of every first boot (zeros cost nothing
  # in the compressed qcow2).
  mke2fs -q -t ext4 -L cloudimg-rootfs -U "$uuid" -d "$root" \
    -E "offset=$((root_start_mib * 1024 * 1024)),lazy_itable_init=0,lazy_journal_init=0" \
    "$raw" "${root_mib}M"
  qemu-img convert -c -f raw -O qcow2 "$raw" "$target"
}

print_paths() {
  printf 'dir=%s\ncloud_image=%s\npackages=%s\n' "$out" "$out/cloud.qcow2" "$out/packages.txt"
}

main() {
  mkdir -p "$cache_root"
  # One build at a time: a second invocation waits here, then finds the cache filled.
  exec 9>"$cache_root/real-$arch.lock"
  flock 9

  ensure_host_tools "${host_tools[@]}"
  [[ -d /usr/lib/grub/$grub_target ]] || install_packages grub-efi-amd64-bin
  local versions key
  versions=$(resolve_versions)
  key=$(
    {
      cat "${BASH_SOURCE[0]}" "$here/lib/guest-build.sh" "$templates"/*
      printf '%s\n' "$versions"
    } | sha256sum | cut -d' ' -f1
  )
  if [[ -f $out/build-key && $(<"$out/build-key") == "$key" && -s $out/cloud.qcow2 ]]; then
    log "cached ($key)"
    print_paths
    return
  fi

  # mmdebstrap --mode=root: maintainer scripts run in a chroot.
  [[ $EUID -eq 0 ]] || die "building the real guest needs root" "run 'sudo bash $0' once; the result is cached"
  local started=$SECONDS
  mkdir -p "$out"
  # Under the lock no other build runs: a work folder left here is from a killed build.
  find "$cache_root" -maxdepth 1 -name ".build-real-$arch.*" -exec rm -rf {} +
  work=$(mktemp -d "$cache_root/.build-real-$arch.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  local uuid
  uuid=$(cat /proc/sys/kernel/random/uuid)
  export KUBENET_ROOT_UUID=$uuid
  make_root "$work/root"
  # shellcheck disable=SC2016 # dpkg-query's format, not the shell's
  chroot "$work/root" dpkg-query -W -f '${Package} ${Version}\n' >"$work/packages.txt"
  make_disk "$work/root" "$uuid" "$work/cloud.qcow2"

  # Renamed into place one by one, the key last: an interrupted build leaves no key.
  rm -f "$out/build-key"
  mv -f "$work/packages.txt" "$out/packages.txt"
  mv -f "$work/cloud.qcow2" "$out/cloud.qcow2"
  printf '%s\n' "$key" >"$work/build-key"
  mv -f "$work/build-key" "$out/build-key"
  log "built $(du -h "$out/cloud.qcow2" | cut -f1) cloud.qcow2 in $((SECONDS - started)) s ($(grep -c . "$out/packages.txt") packages)"
  print_paths
}

main
