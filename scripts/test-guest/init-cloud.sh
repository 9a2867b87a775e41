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

# What the seed's user-data asks of the test guest, in comment lines cloud-init ignores:
#   #kubenet-test-guest: ping NAME…   the network up by DHCP, then each NAME resolved and pinged
#   #kubenet-test-guest: stay         after "done", keep running until powered off
directive() {
  sed -n "s/^#kubenet-test-guest:[[:space:]]*$1[[:space:]]*//p" /mnt/user-data | tr -d '\r' | head -n 1
}

# cloud-init accepts the label in either case.
seed=$(find_iso9660 cidata CIDATA)
peers=
if [ -n "$seed" ] && mount -t iso9660 -o ro "$seed" /mnt; then
  say "cidata found"
  say "seed $seed"
  hostname=$(meta_value local-hostname)
  say "local-hostname=$hostname"
  say "instance-id=$(meta_value instance-id)"
  say "user-data=$(head -n 1 /mnt/user-data | tr -d '\r')"
  [ -f /mnt/network-config ] && say "network-config=$(head -n 1 /mnt/network-config | tr -d '\r')"
  grep -q '^#kubenet-test-guest:[[:space:]]*ping' /mnt/user-data && peers="$(directive ping) "
  grep -q '^#kubenet-test-guest:[[:space:]]*stay' /mnt/user-data && stay=yes
  umount /mnt
else
  say "cidata missing"
fi

if [ -n "$peers" ]; then
  # shellcheck disable=SC2086 # one word per peer
  net_up "$hostname" && reach_peers 240 $peers
fi

finish
