#!/bin/busybox sh
# /init of live.iso, the stand-in for the guide's live CD: booted with `-cdrom live.iso`,
# it shows the CD can be read and which disk an installer would write to, then powers off.
. /lib/kubenet-guest.sh

setup
say "live booted"
load_modules
wait_for_disks

medium=$(find_iso9660 KUBENET_LIVE)
if [ -n "$medium" ] && mount -t iso9660 -o ro "$medium" /mnt && [ -f /mnt/kubenet-live ]; then
  say "live medium $medium"
  umount /mnt
else
  say "live medium missing"
fi

report_disks
finish
