#!/usr/bin/env bash
# Time to seven VMs up, the guide's way against kubenet's, with the tiny aarch64 test guests
# under TCG, each in a network namespace of its own (root needed; nothing touches the host's
# network). "Up" is the test guest's "KUBENET-GUEST: done": it has its lease, has resolved the six
# others by name and pinged them.
#   by hand:  the guide's helpers.sh, vmsetup.sh, tapup.sh, the chapter 2 network commands,
#             dnsmasq with the guide's settings, and vmlaunchall.sh's tmux panes of vmlaunch.sh —
#             with what a TCG host without /etc/hosts of its own must change: accel=tcg, -cpu max,
#             the aarch64 firmware, 1 CPU and 320M per VM (as the kubenet run), names from a hosts
#             file of dnsmasq's (the namespace shares /etc/hosts with the host).
#   kubenet:  kubenet run 30-cluster --yes --headless, the same VMs, from the same empty folder.
# Usage: sudo bash bench/cluster-by-hand.sh   (builds the test guests first if needed)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cloud=$(bash "$here/scripts/build-test-guest.sh" aarch64 | sed -n 's/^cloud_image=//p')
work=$(mktemp -d /tmp/kubenet-bench-cluster.XXXXXX)
ns_hand=kubenet-bench-hand-$$
ns_kubenet=kubenet-bench-kubenet-$$
export TMUX_TMPDIR=$work/tmux
mkdir -p "$TMUX_TMPDIR"
cleanup() {
  for ns in "$ns_hand" "$ns_kubenet"; do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
names=(gateway control0 control1 control2 worker0 worker1 worker2)
load=$(cut -d' ' -f1-3 /proc/loadavg)

# Seconds (one decimal) until every VM's log in $1/<name>.log (or $1/vm/<name>/serial.log) says done.
wait_done() {
  local start=$1 dir=$2 pattern=$3 limit=$((SECONDS + 600))
  while ((SECONDS < limit)); do
    local all=yes
    for n in "${names[@]}"; do
      grep -qs 'KUBENET-GUEST: done' "$(printf "$pattern" "$dir" "$n")" || { all=no; break; }
    done
    [[ $all == yes ]] && { echo "scale=1; ($(date +%s%N) - $start) / 1000000000" | bc; return; }
    sleep 0.5
  done
  echo "timeout"
}

templates() { # the learner's user-data templates, as the tests write them
  mkdir -p "$1/cloud-init"
  for t in gateway control worker; do
    printf '#cloud-config\n#kubenet-test-guest: ping %s\n#kubenet-test-guest: stay\npassword: ubuntu\n' "${names[*]}" >"$1/cloud-init/user-data.$t"
    : >"$1/cloud-init/network-config.$t"
  done
}

### By hand, the guide's way.
hand=$work/hand
mkdir -p "$hand"
cp "$cloud" "$hand/jammy-server-cloudimg-arm64.img"
templates "$hand"
cat >"$hand/helpers.sh" <<'EOF'
id_to_name() {
  id=$1
  if [[ ! $id =~ ^-?[0-9]+$ ]]; then echo "bad machine ID: $id" >&2; return 1
  elif [[ $id -eq 0 ]]; then echo gateway
  elif [[ $id -le 3 ]]; then echo control$(($id - 1))
  elif [[ $id -le 6 ]]; then echo worker$(($id - 4))
  else echo "bad machine ID: $id" >&2; return 1
  fi
}
EOF
cat >"$hand/vmsetup.sh" <<'EOF'
#!/usr/bin/env bash
set -e
dir=$(dirname "$0")
source "$dir/helpers.sh"
vmid=$1
vmname=$(id_to_name $vmid)
vmdir="$dir/$vmname"
vmtype=${vmname%%[0-9]*}
mkdir -p "$vmdir"
qemu-img create -q -F qcow2 -b ../jammy-server-cloudimg-arm64.img -f qcow2 "$vmdir/disk.img" 20G
cat << EOF2 > "$vmdir/meta-data"
instance-id: $vmname
local-hostname: $vmname
EOF2
eval "cat << EOF2
$(<"$dir/cloud-init/user-data.$vmtype")
EOF2
" > "$vmdir/user-data"
eval "cat << EOF2
$(<"$dir/cloud-init/network-config.$vmtype")
EOF2
" > "$vmdir/network-config"
mkisofs -quiet -output "$vmdir/cidata.iso" -volid cidata -joliet -rock "$vmdir"/{user-data,meta-data,network-config}
EOF
printf '#!/usr/bin/env sh\n\nifname="$1"\nip link set "$ifname" master kubr0\nip link set "$ifname" up\n' >"$hand/tapup.sh"
cat >"$hand/vmlaunch.sh" <<EOF
#!/usr/bin/env bash
set -e
dir=\$(dirname "\$0")
source "\$dir/helpers.sh"
vmid=\$1
vmname=\$(id_to_name "\$vmid")
vmdir="\$dir/\$vmname"
mac="52:52:52:00:00:0\$vmid"
exec qemu-system-aarch64 -nographic -machine virt,accel=tcg,highmem=on -cpu max,pauth-impdef=on -smp 1 -m 320M \\
  -bios /usr/share/qemu-efi-aarch64/QEMU_EFI.fd \\
  -nic tap,script=tapup.sh,downscript=no,"mac=\$mac" \\
  -hda "\$vmdir/disk.img" -drive file="\$vmdir/cidata.iso",driver=raw,if=virtio
EOF
chmod +x "$hand"/*.sh
{
  echo "interface=kubr0"; echo "bind-interfaces"; echo "except-interface=lo"
  echo "dhcp-range=192.168.1.2,192.168.1.20,12h"
  for id in 0 1 2 3 4 5 6; do echo "dhcp-host=52:52:52:00:00:0$id,192.168.1.$((10 + id))"; done
  echo "dhcp-authoritative"; echo "domain=kubenet"; echo "expand-hosts"
  echo "no-hosts"; echo "addn-hosts=$hand/hosts"; echo "pid-file=$hand/dnsmasq.pid"; echo "dhcp-leasefile=$hand/leases"
} >"$hand/dnsmasq.conf"
{
  echo "192.168.1.1   vmhost"
  for id in 0 1 2 3 4 5 6; do echo "192.168.1.$((10 + id))  ${names[id]}"; done
} >"$hand/hosts"

ip netns add "$ns_hand"
start=$(date +%s%N)
(
  cd "$hand"
  inns() { ip netns exec "$ns_hand" "$@"; }
  for vmid in $(seq 0 6); do ./vmsetup.sh "$vmid"; done
  inns ip link set lo up
  inns ip link add kubr0 type bridge
  inns ip link set kubr0 up
  inns ip addr add 192.168.1.1/24 dev kubr0
  inns sysctl -q net.ipv4.ip_forward=1
  inns iptables -t nat -N KUBENET_NAT
  inns iptables -t nat -A POSTROUTING -j KUBENET_NAT
  inns iptables -t nat -A KUBENET_NAT ! -o kubr0 -s 192.168.1.0/24 -j MASQUERADE
  inns dnsmasq --conf-file="$hand/dnsmasq.conf"
  # vmlaunchall.sh: one tmux pane per VM, all at once; each pane's output is kept to watch it.
  inns tmux new-session -s kubenet-qemu -n qemu -d -x 200 -y 60
  for vmid in $(seq 0 6); do
    inns tmux send-keys -t kubenet-qemu "cd $hand" C-m
    inns tmux send-keys -t kubenet-qemu "./vmlaunch.sh $vmid > $hand/${names[vmid]}.log 2>&1" C-m
    [[ $vmid != 6 ]] && inns tmux split-window -t kubenet-qemu -v
    inns tmux select-layout -t kubenet-qemu tiled
  done
)
by_hand=$(wait_done "$start" "$hand" '%s/%s.log')
ip netns exec "$ns_hand" tmux kill-server || true

### kubenet.
kdir=$work/kubenet
mkdir -p "$kdir/images"
templates "$kdir/images"
printf 'cluster:\n  resources:\n    gateway: { cpus: 1, memory: 320M }\n    control: { cpus: 1, memory: 320M }\n    worker: { cpus: 1, memory: 320M }\n' >"$kdir/kubenet.yaml"
# The download, from a mirror on loopback (outside the namespace), before the clock starts:
# the guide's wget is not timed either.
mirror=$work/mirror/cloud-images.ubuntu.com/jammy/current
mkdir -p "$mirror"
cp "$cloud" "$mirror/jammy-server-cloudimg-arm64.img"
(cd "$mirror" && sha256sum jammy-server-cloudimg-arm64.img | sed 's/  / */' >SHA256SUMS)
python3 -m http.server 18731 --bind 127.0.0.1 --directory "$work/mirror" >/dev/null 2>&1 &
server=$!
sleep 1
(cd "$kdir" && node "$here/bin/kubenet.js" prefetch cloud-img --arch aarch64 --mirror http://127.0.0.1:18731/ >/dev/null)
kill "$server"
ip netns add "$ns_kubenet"
ip netns exec "$ns_kubenet" ip link set lo up
start=$(date +%s%N)
(cd "$kdir" && ip netns exec "$ns_kubenet" env KUBENET_CACHE=off node "$here/bin/kubenet.js" run 30-cluster --yes --headless --offline --arch aarch64 --until 'KUBENET-GUEST: done' --timeout 600 >"$kdir/run.log" 2>&1) &
run=$!
with_kubenet=$(wait_done "$start" "$kdir/images" '%s/vm/%s/serial.log')
wait "$run" || { echo "kubenet run failed:"; tail -20 "$kdir/run.log"; }

echo "load average before: $load; after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "seven VMs up (done on every console), from an empty folder:"
echo "  by hand (the guide's scripts, in tmux): ${by_hand} s"
echo "  kubenet run 30-cluster --yes --headless: ${with_kubenet} s"
