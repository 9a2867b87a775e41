#!/usr/bin/env bash
# The cluster with the real test guest (Debian with cloud-init and OpenSSH, scripts/build-real-guest.sh
# from the real-guest work): control0 alone on the bridge, in a network namespace, under TCG. Its
# network-config template (set-name: kube0 for the MAC $mac renders to) must be applied by the
# real cloud-init, and `kubenet ssh control0 -- hostname` must answer over the bridge.
# Usage: sudo bash bench/cluster-real-guest.sh     (prints the answers and how long they took)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
image=$(bash "$repo/scripts/build-real-guest.sh" x86_64 | sed -n 's/^cloud_image=//p')
work=$(mktemp -d /tmp/kubenet-real-proof.XXXXXX)
ns=kubenet-real-$$
cleanup() { for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done; ip netns del "$ns" 2>/dev/null || true; kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
mirror=$work/mirror/cloud-images.ubuntu.com/jammy/current
mkdir -p "$mirror" "$work/images/cloud-init" "$work/home"
cp "$image" "$mirror/jammy-server-cloudimg-amd64.img"
(cd "$mirror" && sha256sum jammy-server-cloudimg-amd64.img | sed 's/  / */' >SHA256SUMS)
python3 -m http.server 18732 --bind 127.0.0.1 --directory "$work/mirror" >/dev/null 2>&1 & server=$!
sleep 1
cd "$work"
printf 'cluster:\n  controls: 1\n  workers: 0\n  resources:\n    gateway: { cpus: 1, memory: 1G }\n    control: { cpus: 2, memory: 1G }\n' > kubenet.yaml
cat > images/cloud-init/network-config.control <<'NC'
version: 2
ethernets:
  cluster:
    match:
      macaddress: "$mac"
    set-name: kube0
    dhcp4: true
NC
export HOME=$work/home
node $repo/bin/kubenet.js prefetch cloud-img --arch x86_64 --mirror http://127.0.0.1:18732/ >/dev/null
ip netns add "$ns"; ip netns exec "$ns" ip link set lo up
start=$(date +%s)
ip netns exec "$ns" node $repo/bin/kubenet.js run 30-cluster --vm control0 --yes --offline --headless --arch x86_64 --timeout 1200 > run.log 2>&1 & run=$!
for i in $(seq 1 120); do
  if out=$(ip netns exec "$ns" node $repo/bin/kubenet.js ssh control0 --arch x86_64 -- hostname 2>/dev/null); then break; fi
  sleep 10
done
echo "kubenet ssh control0 -- hostname: ${out:-failed} (after $(( $(date +%s) - start )) s)"
ip netns exec "$ns" node $repo/bin/kubenet.js ssh control0 --arch x86_64 -- ip -o -4 addr show kube0 || true
ip netns exec "$ns" node $repo/bin/kubenet.js ssh control0 --arch x86_64 -- cat /etc/netplan/50-cloud-init.yaml || true
grep -m3 -E "instance-id|network-config" images/control0/meta-data images/control0/network-config || true
kill -TERM $run; wait $run || true
tail -5 run.log
