#!/bin/sh
# initramfs-tools hook in the real test guest: the disk drivers the initramfs carries (udev loads
# them for the devices it finds), and ext4 for the root file system.
case ${1:-} in prereqs) exit 0 ;; esac
# shellcheck disable=SC1091 # the guest's file, not the build host's
. /usr/share/initramfs-tools/hook-functions
manual_add_modules ahci sd_mod virtio_pci virtio_blk virtio_scsi ext4
