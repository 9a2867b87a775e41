#!/bin/busybox sh
# busybox udhcpc's script (-s): configures the interface from the lease and writes resolv.conf
# with the DHCP server's DNS and domain (option 15: the cluster's domain, for short names).
case $1 in
  deconfig)
    ip -4 addr flush dev "$interface"
    ;;
  bound | renew)
    ip -4 addr flush dev "$interface"
    ip addr add "$ip/${mask:-24}" dev "$interface"
    [ -n "$router" ] && ip route replace default via "${router%% *}" dev "$interface"
    : >/etc/resolv.conf
    [ -n "$domain" ] && echo "search $domain" >>/etc/resolv.conf
    for server in $dns; do echo "nameserver $server" >>/etc/resolv.conf; done
    ;;
esac
exit 0
