#!/usr/bin/env bash
# Builds the tiny test guests that stand in for the guide's Ubuntu images, from Debian packages:
#   live.iso     an El Torito EFI ISO (stands in for jammy-desktop-<arch>.iso, booted with -cdrom)
#   cloud.qcow2  a GPT disk with an ESP (stands in for jammy-server-cloudimg-<arch>.img)
# Each boots a unified kernel image (a Debian kernel + a busybox initramfs) whose /init prints
# "KUBENET-GUEST: …" markers on the serial console and powers off (see scripts/test-guest/). When
# the cloud image's seed asks (`#kubenet-test-guest: ping NAME…` in user-data: the cluster's
# tests), it also brings up its virtio NIC, takes a DHCP lease (busybox udhcpc), resolves and pings
# the names, and with `#kubenet-test-guest: stay` keeps running until it is powered off.
#
# Usage: scripts/build-test-guest.sh [aarch64|x86_64]     (default aarch64)
# Output: ${KUBENET_TEST_CACHE:-<repo>/.cache/test-guest}/<arch>/, keyed by a hash of this script,
# the templates and the resolved package versions; a second run with the same key does nothing.
# Prints `dir=…`, `live_iso=…`, `cloud_image=…` on stdout; progress goes to stderr.
# Needs root only when something is missing (host tools, a foreign apt architecture, apt lists).
set -euo pipefail

arch=${1:-aarch64}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
templates="$here/test-guest"
cache_root=${KUBENET_TEST_CACHE:-"$(dirname "$here")/.cache/test-guest"}
out="$cache_root/$arch"
debs="$cache_root/debs"
# shellcheck source=scripts/lib/guest-build.sh
source "$here/lib/guest-build.sh"

# What differs between the guests: Debian's name for the architecture, the kernel metapackage,
# the UEFI stub and default boot file, the serial console, and the binutils that read the stub.
case $arch in
  aarch64)
    deb_arch=arm64
    # The cloud flavour is the smallest kernel with virtio, isofs and SCSI CD modules.
    kernel_meta=linux-image-cloud-arm64
    stub_name=linuxaa64.efi.stub
    efi_boot=BOOTAA64.EFI
    console=ttyAMA0
    binutils=("aarch64-linux-gnu-objcopy binutils-aarch64-linux-gnu" "aarch64-linux-gnu-objdump binutils-aarch64-linux-gnu")
    ;;
  x86_64)
    deb_arch=amd64
    # Not the cloud flavour: it has no AHCI driver, and on q35 -cdrom and -hda are AHCI devices.
    kernel_meta=linux-image-amd64
    stub_name=linuxx64.efi.stub
    efi_boot=BOOTX64.EFI
    console=ttyS0
    binutils=("objcopy binutils" "objdump binutils")
    ;;
  *) die "unsupported guest architecture '$arch'" "use aarch64 (the default) or x86_64" ;;
esac
objcopy=${binutils[0]%% *}
objdump=${binutils[1]%% *}

# Host tools, as "command package" pairs.
host_tools=(
  "xorriso xorriso"
  "mformat mtools"
  "mcopy mtools"
  "mmd mtools"
  "sfdisk fdisk"
  "${binutils[@]}"
  "qemu-img qemu-utils"
  "cpio cpio"
  "depmod kmod"
  "xz xz-utils"
  "flock util-linux"
)

# The guest's .debs are only downloaded and unpacked, never installed; but apt must know the
# architecture (arm64 is a foreign one on an x86_64 host).
ensure_lists() {
  if [[ $(dpkg --print-architecture) != "$deb_arch" ]] && ! dpkg --print-foreign-architectures | grep -qx "$deb_arch"; then
    log "adding the $deb_arch architecture to dpkg"
    as_root dpkg --add-architecture "$deb_arch"
  fi
  if ! lists_fingerprint >/dev/null; then
    log "apt-get update ($deb_arch package lists)"
    as_root apt-get update -qq
  fi
  lists_fingerprint >/dev/null || die "apt has no $deb_arch package lists" "check that /etc/apt/sources.list(.d) has a Debian mirror that carries $deb_arch"
}

# Sets kernel_pkg and the candidate versions of the three packages. The kernel's ABI number
# changes with Debian updates, so the metapackage is followed to today's kernel. apt-cache takes
# over a second a call here (containers often disable its cache), so the answer is kept in
# $resolved until the apt lists change.
resolve_packages() {
  local fingerprint resolved="$cache_root/$arch.packages"
  fingerprint=$(lists_fingerprint)
  local name version
  if [[ -f $resolved && $(head -n 1 "$resolved") == "lists $fingerprint" ]]; then
    while read -r name version; do
      case $name in
        kernel_pkg) kernel_pkg=$version ;;
        kernel_version) kernel_version=$version ;;
        busybox_version) busybox_version=$version ;;
        stub_version) stub_version=$version ;;
      esac
    done <"$resolved"
    return
  fi
  kernel_pkg=$(apt-cache depends "$kernel_meta:$deb_arch" 2>/dev/null |
    awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { sub(/:.*$/, "", $2); print $2; exit }')
  [[ -n $kernel_pkg ]] || die "cannot resolve $kernel_meta:$deb_arch to a kernel package" "run 'apt-get update' and try again"
  kernel_version='' busybox_version='' stub_version=''
  while read -r name version; do
    case $name in
      "$kernel_pkg") kernel_version=$version ;;
      busybox-static) busybox_version=$version ;;
      systemd-boot-efi) stub_version=$version ;;
    esac
  done < <(apt-cache policy "$kernel_pkg:$deb_arch" "busybox-static:$deb_arch" "systemd-boot-efi:$deb_arch" 2>/dev/null |
    awk '/^[^ ]/ { name = $1; sub(/:$/, "", name); sub(/:.*$/, "", name) } $1 == "Candidate:" && $2 != "(none)" { print name, $2 }')
  [[ -n $kernel_version && -n $busybox_version && -n $stub_version ]] ||
    die "apt has no $deb_arch candidate for $kernel_pkg, busybox-static or systemd-boot-efi" "run 'apt-get update' and try again"
  printf '%s %s\n' lists "$fingerprint" kernel_pkg "$kernel_pkg" kernel_version "$kernel_version" \
    busybox_version "$busybox_version" stub_version "$stub_version" >"$resolved.tmp"
  mv -f "$resolved.tmp" "$resolved"
}

# Downloads name:version into $debs unless it is there; prints the .deb's path.
fetch_deb() {
  local name=$1 version=$2
  local file="$debs/${name}_${version//:/%3a}_${deb_arch}.deb"
  if [[ ! -s $file ]]; then
    log "downloading $name $version ($deb_arch)"
    (cd "$debs" && apt-get download -q -o APT::Sandbox::User=root "$name:$deb_arch=$version" >&2)
    [[ -s $file ]] || die "apt-get download did not produce $file" "run 'apt-get update' and try again"
    # Older versions of the package are of no further use.
    find "$debs" -maxdepth 1 -name "${name}_*_${deb_arch}.deb" ! -path "$file" -delete
  fi
  printf '%s\n' "$file"
}

# Module files (relative to lib/modules/<kver>) for the names in modules.txt and
# modules-<arch>.txt, dependencies first.
resolve_modules() {
  local pkgroot=$1 kver=$2 name line
  local -a deps ordered=()
  local -A seen=()
  depmod -b "$pkgroot" "$kver"
  while read -r name; do
    [[ -z $name || $name == \#* ]] && continue
    line=$(awk -v want="$name" -F: '
      { file = $1; sub(/.*\//, "", file); sub(/\.ko.*$/, "", file); gsub(/-/, "_", file) }
      file == want { print; exit }' "$pkgroot/lib/modules/$kver/modules.dep")
    if [[ -z $line ]]; then
      # Built into the kernel: nothing to load.
      grep -q "/$name.ko" "$pkgroot/lib/modules/$kver/modules.builtin" ||
        die "kernel $kver has no module '$name'" "fix scripts/test-guest/modules*.txt"
      continue
    fi
    # modules.dep lists the module, then its dependencies with the first-to-load last.
    read -r -a deps <<<"${line#*:}"
    local i
    for ((i = ${#deps[@]} - 1; i >= 0; i--)); do
      [[ -n ${seen[${deps[i]}]:-} ]] || { seen[${deps[i]}]=1; ordered+=("${deps[i]}"); }
    done
    line=${line%%:*}
    [[ -n ${seen[$line]:-} ]] || { seen[$line]=1; ordered+=("$line"); }
  done < <(cat "$templates/modules.txt" "$templates/modules-$arch.txt" 2>/dev/null)
  printf '%s\n' "${ordered[@]}"
}

# A busybox initramfs whose /init is init-<role>.sh; xz with crc32, as the kernel requires.
make_initramfs() {
  local role=$1 pkgroot=$2 kver=$3 modules=$4 target=$5
  local root="$work/initramfs-$role" module
  mkdir -p "$root/bin" "$root/lib/modules" "$root/etc/kubenet-guest"
  cp "$pkgroot/bin/busybox" "$root/bin/busybox"
  cp "$templates/guest-lib.sh" "$root/lib/kubenet-guest.sh"
  install -m 0755 "$templates/udhcpc.sh" "$root/lib/udhcpc.sh"
  install -m 0755 "$templates/init-$role.sh" "$root/init"
  : >"$root/etc/kubenet-guest/modules"
  while read -r module; do
    cp "$pkgroot/lib/modules/$kver/$module" "$root/lib/modules/"
    basename "$module" >>"$root/etc/kubenet-guest/modules"
  done <"$modules"
  (cd "$root" && find . -print0 | LC_ALL=C sort -z | cpio --null --create --format=newc --owner=0:0 --quiet) |
    xz --check=crc32 -6 >"$target"
}

# A unified kernel image: systemd-boot's stub with the kernel, initramfs and command line
# added as PE sections, each placed after the previous one at the stub's section alignment.
make_uki() {
  local stub=$1 kernel=$2 initrd=$3 target=$4
  local align end vma size name
  align=$((0x$("$objdump" -p "$stub" | awk '$1 == "SectionAlignment" { print $2 }')))
  end=0
  while read -r _ name size vma _; do
    ((0x$vma + 0x$size > end)) && end=$((0x$vma + 0x$size))
  done < <("$objdump" -h "$stub" | awk '$1 ~ /^[0-9]+$/')
  printf 'console=%s' "$console" >"$work/cmdline"
  printf 'ID=kubenet-test-guest\nNAME="kubenet test guest"\n' >"$work/os-release"
  local -a args=()
  for pair in ".osrel=$work/os-release" ".cmdline=$work/cmdline" ".linux=$kernel" ".initrd=$initrd"; do
    end=$(((end + align - 1) / align * align))
    args+=(--add-section "$pair" --change-section-vma "${pair%%=*}=$(printf '0x%x' "$end")")
    end=$((end + $(stat -c %s "${pair#*=}")))
  done
  "$objcopy" "${args[@]}" "$stub" "$target"
}

# A FAT image of at least the UKI's size plus slack, holding \EFI\BOOT\BOOT<arch>.EFI.
make_esp() {
  local uki=$1 label=$2 target=$3
  local mib=$((($(stat -c %s "$uki") + 3 * 1024 * 1024) / 1024 / 1024))
  truncate -s "${mib}M" "$target"
  mformat -i "$target" -T $((mib * 2048)) -h 64 -s 32 -v "$label" ::
  mmd -i "$target" ::/EFI ::/EFI/BOOT
  mcopy -i "$target" "$uki" "::/EFI/BOOT/$efi_boot"
}

make_live_iso() {
  local uki=$1 target=$2 tree="$work/iso"
  mkdir -p "$tree/boot"
  make_esp "$uki" KUBENET_EFI "$tree/boot/efi.img"
  printf 'kubenet test guest: live medium\n' >"$tree/kubenet-live"
  # El Torito EFI entry plus a GPT entry for the same image: -cdrom on `virt` is a virtio disk,
  # and firmware finds the ESP on it either way, as on Ubuntu's hybrid ISOs.
  # (xorriso prints a banner on stderr even with -quiet: keep its output for when it fails.)
  xorriso -as mkisofs -quiet -o "$target" -V KUBENET_LIVE -J -r \
    -e boot/efi.img -no-emul-boot -isohybrid-gpt-basdat "$tree" 2>"$work/xorriso.log" ||
    { cat "$work/xorriso.log" >&2; die "xorriso could not write live.iso"; }
}

make_cloud_image() {
  local uki=$1 target=$2 esp="$work/esp.img" raw="$work/disk.raw"
  make_esp "$uki" ESP "$esp"
  local esp_sectors=$(($(stat -c %s "$esp") / 512))
  # 1 MiB before the ESP for the GPT, 1 MiB after it for the backup GPT.
  truncate -s $(($(stat -c %s "$esp") + 2 * 1024 * 1024)) "$raw"
  sfdisk --quiet "$raw" <<EOF
label: gpt
first-lba: 2048
start=2048, size=$esp_sectors, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="ESP"
EOF
  dd if="$esp" of="$raw" bs=1M seek=1 conv=notrunc status=none
  qemu-img convert -c -f raw -O qcow2 "$raw" "$target"
}

print_paths() {
  printf 'dir=%s\nlive_iso=%s\ncloud_image=%s\n' "$out" "$out/live.iso" "$out/cloud.qcow2"
}

main() {
  mkdir -p "$cache_root" "$debs"
  # One build at a time: a second invocation waits here, then finds the cache filled.
  exec 9>"$cache_root/$arch.lock"
  flock 9

  ensure_host_tools "${host_tools[@]}"
  ensure_lists
  local kernel_pkg kernel_version busybox_version stub_version key
  resolve_packages

  key=$(
    {
      cat "${BASH_SOURCE[0]}" "$here/lib/guest-build.sh" "$templates"/*
      printf '%s=%s\n' "$kernel_pkg" "$kernel_version" busybox-static "$busybox_version" systemd-boot-efi "$stub_version"
    } | sha256sum | cut -d' ' -f1
  )
  if [[ -f $out/build-key && $(<"$out/build-key") == "$key" && -s $out/live.iso && -s $out/cloud.qcow2 ]]; then
    log "cached ($key)"
    print_paths
    return
  fi

  log "building $arch test guests ($kernel_pkg $kernel_version)"
  local kernel_deb busybox_deb stub_deb
  kernel_deb=$(fetch_deb "$kernel_pkg" "$kernel_version")
  busybox_deb=$(fetch_deb busybox-static "$busybox_version")
  stub_deb=$(fetch_deb systemd-boot-efi "$stub_version")

  mkdir -p "$out"
  # Under the lock no other build runs: a work folder left here is from a killed build.
  find "$cache_root" -maxdepth 1 -name ".build-$arch.*" -exec rm -rf {} +
  work=$(mktemp -d "$cache_root/.build-$arch.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  local pkgroot="$work/pkgs" kver
  for deb in "$kernel_deb" "$busybox_deb" "$stub_deb"; do dpkg-deb -x "$deb" "$pkgroot"; done
  kver=${kernel_pkg#linux-image-}
  [[ -f $pkgroot/boot/vmlinuz-$kver ]] || die "$kernel_pkg has no /boot/vmlinuz-$kver" "the package layout changed; update scripts/build-test-guest.sh"

  resolve_modules "$pkgroot" "$kver" >"$work/modules"
  local role stub="$pkgroot/usr/lib/systemd/boot/efi/$stub_name"
  for role in live cloud; do
    make_initramfs "$role" "$pkgroot" "$kver" "$work/modules" "$work/initrd-$role.xz"
    make_uki "$stub" "$pkgroot/boot/vmlinuz-$kver" "$work/initrd-$role.xz" "$work/$role.efi"
  done
  make_live_iso "$work/live.efi" "$work/live.iso"
  make_cloud_image "$work/cloud.efi" "$work/cloud.qcow2"

  # Files are renamed into place one by one, the key last: a reader sees whole files, and an
  # interrupted build leaves no key, so the next run builds again.
  rm -f "$out/build-key"
  mv -f "$work/live.iso" "$out/live.iso"
  mv -f "$work/cloud.qcow2" "$out/cloud.qcow2"
  printf '%s\n' "$key" >"$work/build-key"
  mv -f "$work/build-key" "$out/build-key"
  log "built $(du -h "$out/live.iso" | cut -f1) live.iso, $(du -h "$out/cloud.qcow2" | cut -f1) cloud.qcow2"
  print_paths
}

main
