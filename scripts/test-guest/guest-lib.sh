# Shared by both test guests' /init (sourced, runs under busybox ash inside the guest).
# Everything a test checks is a line on the serial console that starts with "KUBENET-GUEST: ";
# anything else the init prints is diagnostics for a human reading the log.

say() { echo "KUBENET-GUEST: $*"; }
note() { echo "kubenet-guest: $*"; }

# The initramfs carries busybox alone: give it its applet links, the pseudo filesystems and a console.
setup() {
  /bin/busybox mkdir -p /sbin /usr/bin /usr/sbin /proc /sys /dev /mnt /tmp
  /bin/busybox --install -s
  mount -t proc proc /proc
  mount -t sysfs sysfs /sys
  mount -t devtmpfs devtmpfs /dev
  exec 0</dev/console 1>/dev/console 2>&1
  # Kernel messages from here on would cut markers in half; they stay readable with dmesg.
  dmesg -n 1
}

# Debian's kernels build virtio, SCSI, AHCI and isofs as modules. The build script resolved their
# dependencies and wrote them in load order; a module that is built in answers "File exists".
# insmod waits for the drivers' own probing, but SCSI scans hosts in a thread of its own unless
# told otherwise: scan=sync makes an AHCI or virtio-scsi disk exist once its driver is loaded.
load_modules() {
  while read -r module; do
    [ -n "$module" ] || continue
    options=
    [ "$module" = scsi_mod.ko ] && options=scan=sync
    # shellcheck disable=SC2086 # no options must be no argument
    error=$(insmod "/lib/modules/$module" $options 2>&1) || case $error in
      *'File exists'*) ;;
      *) note "insmod $module failed: $error" ;;
    esac
  done </etc/kubenet-guest/modules
}

# Disks are probed while virtio_blk loads; wait a little in case a controller is slow to show up.
wait_for_disks() {
  tries=0
  while [ "$tries" -lt 50 ]; do
    for block in /sys/block/vd* /sys/block/sd* /sys/block/sr*; do
      [ -e "$block" ] && return 0
    done
    tries=$((tries + 1))
    sleep 0.1
  done
  note "no virtio or SCSI disk appeared"
}

# An ISO 9660 volume has "CD001" right after the first byte of sector 16 (of 2048 bytes).
is_iso9660() {
  [ "$(dd if="$1" bs=1 skip=32769 count=5 2>/dev/null)" = CD001 ]
}

# Writable disks that hold no ISO 9660 volume: the install target or the cloud image's disk.
# Read-only media (-cdrom) and seed volumes are reported by the init that looks for them.
report_disks() {
  for block in /sys/block/vd* /sys/block/sd*; do
    [ -e "$block" ] || continue
    name=${block##*/}
    [ "$(cat "$block/ro")" = 0 ] || continue
    is_iso9660 "/dev/$name" && continue
    say "disk /dev/$name size=$(($(cat "$block/size") * 512))"
  done
}

# The volume identifier of an ISO 9660 volume: 32 bytes, space padded, 40 bytes into sector 16.
iso9660_label() {
  is_iso9660 "$1" || return 1
  dd if="$1" bs=1 skip=32808 count=32 2>/dev/null | sed 's/ *$//'
}

# The first disk holding an ISO 9660 volume with one of the labels. Not `findfs LABEL=…`:
# busybox's volume_id reads the first 68 KiB of a device in one go and gives up on anything
# smaller, and a seed with two small files is about 54 KiB.
find_iso9660() {
  for device in /dev/vd* /dev/sd* /dev/sr*; do
    [ -b "$device" ] || continue
    label=$(iso9660_label "$device") || continue
    for wanted in "$@"; do
      [ "$label" = "$wanted" ] && { echo "$device"; return 0; }
    done
  done
  return 1
}

# The cluster tests' network, driven by the seed: the first NIC up, an address by DHCP (udhcpc
# runs /lib/udhcpc.sh, which configures it and writes /etc/resolv.conf), then the peers resolved
# by name through the DHCP server's DNS and pinged. Peers boot at their own pace: each is tried
# once a second, for at most $1 seconds in all.
net_up() {
  hostname=$1
  iface=
  for tries in $(seq 1 50); do
    for dev in /sys/class/net/*; do
      [ "${dev##*/}" = lo ] || { iface=${dev##*/}; break 2; }
    done
    sleep 0.1
  done
  [ -n "$iface" ] || { say "net no interface"; return 1; }
  ip link set lo up
  ip link set "$iface" up
  if ! udhcpc -i "$iface" -n -q -t 30 -T 1 -s /lib/udhcpc.sh -x "hostname:$hostname" >/tmp/udhcpc.log 2>&1; then
    say "net no lease"
    cat /tmp/udhcpc.log
    return 1
  fi
  say "ip=$(ip -4 -o addr show dev "$iface" | awk '{ print $4 }')"
  say "resolv $(grep -E '^(nameserver|search)' /etc/resolv.conf | tr '\n' ' ' | sed 's/ $//')"
}

# The address busybox's own resolver (it reads /etc/resolv.conf, search domain included) gives NAME.
resolve() {
  nslookup "$1" 2>/dev/null | awk '/^Name:/ { named = 1 } named && /^Address/ { sub(/^Address( [0-9]+)?:[ \t]*/, ""); print; exit }'
}

reach_peers() {
  seconds=$1
  shift
  for peer in "$@"; do
    address=
    while [ "$seconds" -gt 0 ]; do
      address=$(resolve "$peer")
      [ -n "$address" ] && ping -c 1 -W 1 "$address" >/dev/null 2>&1 && break
      address=
      seconds=$((seconds - 1))
      sleep 1
    done
    if [ -n "$address" ]; then
      say "resolve $peer $address"
      say "ping $peer ok"
    else
      say "ping $peer failed"
    fi
  done
}

# `stay`: a cluster guest keeps answering the others until kubenet powers the VMs off.
finish() {
  say done
  sync
  if [ "${stay:-}" = yes ]; then
    while :; do sleep 3600; done
  fi
  poweroff -f
  # poweroff -f does not return; if it ever does, PID 1 must not exit (that is a kernel panic).
  while :; do sleep 3600; done
}
