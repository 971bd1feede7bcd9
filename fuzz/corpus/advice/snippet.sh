HUGEPAGE_COUNT=1024
echo $HUGEPAGE_COUNT > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
echo 'vm.swappiness=10' | sudo tee -a /etc/sysctl.conf
for disk in /dev/nvme0n1 /dev/sda; do echo noop > /sys/block/$(basename $disk)/queue/scheduler; done
* soft nofile 65535
sudo tee /etc/systemd/system/ollama.service << 'EOF2'
Environment=OLLAMA_KEEP_ALIVE=24h
LimitNOFILE=65536
EOF2
ulimit -n 65535
pmset -a sleep 0
powercfg /setactive 8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c
mount -o remount,noatime,barrier=0 /
