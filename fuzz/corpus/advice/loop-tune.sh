#!/bin/bash
set -e
for cpu in /sys/devices/system/cpu/cpu[0-9]*; do
  echo performance > $cpu/cpufreq/scaling_governor
done
echo 1024 > /proc/sys/vm/nr_hugepages
sysctl -w vm.swappiness=10 net.core.rmem_max=16777216
echo "vm.swappiness=10" > /etc/sysctl.d/60-swap.conf
echo 'net.core.rmem_max=16777216' > /etc/sysctl.d/60-net.conf
modprobe tcp_bbr
echo tcp_bbr >> /etc/modules-load.d/bbr.conf
sysctl -w net.ipv4.tcp_congestion_control=bbr
ip link set dev eth0 txqueuelen 10000
tuned-adm profile throughput-performance
