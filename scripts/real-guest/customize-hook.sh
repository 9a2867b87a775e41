#!/bin/sh
# mmdebstrap --customize-hook for the real test guest ($1: the guest's root folder, every package
# installed): turns the root into a cloud image, one that knows nothing of the machine that built
# it and leaves the first boot to cloud-init. KUBENET_ROOT_UUID is the root file system's UUID.
set -eu
root=$1
here=$(dirname "$0")

# Nothing of the build host: its name, its resolver, its host keys (cloud-init makes new ones
# on the first boot, as on Ubuntu's image). /etc/machine-id stays empty (mmdebstrap empties it),
# so systemd makes the VM's own.
printf 'localhost\n' >"$root/etc/hostname"
printf '127.0.0.1 localhost\n::1 localhost ip6-localhost ip6-loopback\n' >"$root/etc/hosts"
rm -f "$root/etc/resolv.conf" "$root"/etc/ssh/ssh_host_*_key "$root"/etc/ssh/ssh_host_*_key.pub

printf 'UUID=%s / ext4 rw,discard,errors=remount-ro 0 1\n' "$KUBENET_ROOT_UUID" >"$root/etc/fstab"
install -m 0644 "$here/cloud.cfg" "$root/etc/cloud/cloud.cfg.d/90-kubenet.cfg"

# cloud-init's locale module sets en_US.UTF-8 unless it is already the system's locale, and
# Debian's locale-gen cannot make it on demand (update-locale then fails the module): the image
# comes with it made and set, as Ubuntu's comes with its locales.
sed -i 's/^# *\(en_US.UTF-8 UTF-8\)$/\1/' "$root/etc/locale.gen"
chroot "$root" locale-gen >/dev/null
printf 'LANG=en_US.UTF-8\n' >"$root/etc/default/locale"

# cloud-init writes systemd-networkd files; networkd itself is off by default on Debian.
chroot "$root" systemctl enable --quiet systemd-networkd.service
# Timers that would start apt, fstrim or e2scrub in the middle of a test, on emulated CPUs.
chroot "$root" systemctl disable --quiet apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer \
  fstrim.timer e2scrub_all.timer e2scrub_reap.service
