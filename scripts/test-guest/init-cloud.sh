#!/bin/busybox sh
# /init of cloud.qcow2, the stand-in for the guide's cloud image: it does what cloud-init's
# NoCloud data source does first (find the volume labelled cidata, read meta-data and
# user-data) and reports what it found, then powers off.
. /lib/kubenet-guest.sh

# Value of a top-level `key: value` line of meta-data, without quotes or a trailing CR.
meta_value() {
  sed -n "s/^[\"']\{0,1\}$1[\"']\{0,1\}:[[:space:]]*//p" /mnt/meta-data | head -n 1 |
    tr -d '\r' | sed "s/^[\"']\(.*\)[\"'][[:space:]]*\$/\1/; s/[[:space:]]*\$//"
}

setup
say "cloud booted"
load_modules
wait_for_disks
report_disks

# cloud-init accepts the label in either case.
seed=$(find_iso9660 cidata CIDATA)
if [ -n "$seed" ] && mount -t iso9660 -o ro "$seed" /mnt; then
  say "cidata found"
  say "seed $seed"
  say "local-hostname=$(meta_value local-hostname)"
  say "instance-id=$(meta_value instance-id)"
  say "user-data=$(head -n 1 /mnt/user-data | tr -d '\r')"
  umount /mnt
else
  say "cidata missing"
fi

finish
