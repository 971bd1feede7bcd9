// Reading settings out of advice as people paste it.
#include "audit/advice.h"

#include <gtest/gtest.h>

namespace tune::audit {
namespace {

std::vector<AdviceItem> read(const std::string& text) { return extract_advice(text, "advice.txt"); }

TEST(Extract, SysctlConfLinesAndCommands) {
  auto items = read("# comment\nvm.swappiness = 10\n; also a comment\nnet.ipv4.tcp_rmem=4096 87380 16777216\n"
                    "sudo sysctl -w net.core.somaxconn=65535 vm.dirty_ratio=15\n");
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].domain, "sysctl");
  EXPECT_EQ(items[0].key, "vm.swappiness");
  EXPECT_EQ(items[0].value, "10");
  EXPECT_EQ(items[0].line, 2);
  EXPECT_EQ(items[0].form, "sysctl.conf");
  EXPECT_EQ(items[1].value, "4096 87380 16777216");
  EXPECT_EQ(items[2].form, "sysctl -w");
  EXPECT_EQ(items[3].key, "vm.dirty_ratio");
  EXPECT_EQ(items[3].where(), "advice.txt:5");
}

TEST(Extract, CodeThatLooksLikeAssignmentsIsNotASysctl) {
  EXPECT_TRUE(read("config.max_connections = 50\nself.timeout = 5\nx = 1\n").empty());
}

TEST(Extract, EchoIntoProcAndSysWithRedirectOrTee) {
  auto items = read("echo 1 > /proc/sys/vm/overcommit_memory\n"
                    "echo never | sudo tee /sys/kernel/mm/transparent_hugepage/enabled\n"
                    "echo 'vm.swappiness=10' | sudo tee -a /etc/sysctl.conf\n"
                    "echo 'net.core.somaxconn = 65535' >> /etc/sysctl.conf\n"
                    "echo performance | sudo tee /sys/devices/system/cpu/cpu*/cpufreq/scaling_governor\n"
                    "echo 1 | sudo tee /sys/devices/system/cpu/intel_pstate/no_turbo 2>/dev/null || true\n");
  ASSERT_EQ(items.size(), 6u);
  EXPECT_EQ(items[0].key, "vm.overcommit_memory");
  EXPECT_EQ(items[0].value, "1");
  EXPECT_EQ(items[1].path, "/sys/kernel/mm/transparent_hugepage/enabled");
  EXPECT_EQ(items[1].value, "never");
  EXPECT_EQ(items[2].key, "vm.swappiness");
  EXPECT_EQ(items[2].form, "echo >> sysctl.conf");
  EXPECT_EQ(items[3].key, "net.core.somaxconn");
  EXPECT_EQ(items[4].path, "/sys/devices/system/cpu/cpu*/cpufreq/scaling_governor");
  EXPECT_EQ(items[5].path, "/sys/devices/system/cpu/intel_pstate/no_turbo");
}

TEST(Extract, ShellVariablesAndLoopsAreFollowed) {
  auto items = read("HUGEPAGE_SIZE=2048\nHUGEPAGE_COUNT=1024  # 2GB\n"
                    "echo $HUGEPAGE_COUNT > /sys/kernel/mm/hugepages/hugepages-${HUGEPAGE_SIZE}kB/nr_hugepages\n"
                    "for disk in /dev/nvme0n1 /dev/sda; do\n"
                    "  echo noop > /sys/block/$(basename $disk)/queue/scheduler\n"
                    "done\n"
                    "echo $UNSET > /proc/sys/vm/swappiness\n");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].path, "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages");
  EXPECT_EQ(items[0].value, "1024");
  EXPECT_TRUE(items[0].value_known);
  EXPECT_EQ(items[1].path, "/sys/block/*/queue/scheduler");
  EXPECT_EQ(items[2].value, "$UNSET");
  EXPECT_FALSE(items[2].value_known);
}

TEST(Extract, LimitsUlimitAndLaunchctl) {
  auto items = read("* soft nofile 65535\n@ai hard memlock unlimited\nollama - nproc 4096\nulimit -n 1048576\n"
                    "launchctl limit maxfiles 65536 200000\n");
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[0].domain, "limits");
  EXPECT_EQ(items[0].scope, "*");
  EXPECT_EQ(items[0].key, "nofile.soft");
  EXPECT_EQ(items[1].scope, "@ai");
  EXPECT_EQ(items[1].key, "memlock.hard");
  EXPECT_EQ(items[2].key, "nproc");
  EXPECT_EQ(items[3].form, "ulimit");
  EXPECT_EQ(items[3].key, "nofile");
  EXPECT_EQ(items[3].value, "1048576");
  EXPECT_EQ(items[4].key, "nofile");
  EXPECT_EQ(items[4].value, "200000");  // the hard limit
}

TEST(Extract, UnitDirectivesBelongToTheUnitTheHeredocWrites) {
  auto items = read("sudo tee /etc/systemd/system/ollama.service > /dev/null << 'EOF'\n[Service]\n"
                    "Environment=OLLAMA_KEEP_ALIVE=24h\nEnvironment=\"OLLAMA_NUM_PARALLEL=4\" MY_VAR=1\n"
                    "LimitNOFILE=65536\nNice=-10\nEOF\nexport OLLAMA_HOST=0.0.0.0\n");
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[0].domain, "environment");
  EXPECT_EQ(items[0].scope, "ollama.service");
  EXPECT_EQ(items[1].key, "OLLAMA_NUM_PARALLEL");  // MY_VAR is the app's own
  EXPECT_EQ(items[2].domain, "services");
  EXPECT_EQ(items[2].key, "LimitNOFILE");
  EXPECT_EQ(items[2].scope, "ollama.service");
  EXPECT_EQ(items[4].key, "OLLAMA_HOST");
  EXPECT_EQ(items[4].scope, "");  // after the heredoc ended
}

TEST(Extract, ContinuedLinesAreOneCommand) {
  auto items = read("ENV PYTHONUNBUFFERED=1 \\\n    PYTHONHASHSEED=random \\\n    OMP_NUM_THREADS=4\n");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[2].key, "OMP_NUM_THREADS");
  EXPECT_EQ(items[2].line, 1);
}

TEST(Extract, OtherPlatformsAndCommands) {
  auto items = read("sudo pmset -a standby 0 powernap 0\n"
                    "powercfg /setactive 8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c\n"
                    "powercfg /setacvalueindex scheme_current sub_processor CPMINCORES 100\n"
                    "blockdev --setra 4096 /dev/nvme0n1\n"
                    "mount -o remount,noatime,barrier=0 /\n"
                    "ethtool -K eth0 lro on gro on\n"
                    "sudo fallocate -l 8G /swapfile\n"
                    "sed -i 's/GRUB_CMDLINE_LINUX=\"/GRUB_CMDLINE_LINUX=\"hugepages=1024 /' /etc/default/grub\n"
                    "numactl --hardware\n");
  std::vector<std::string> keys;
  for (const auto& item : items) keys.push_back(item.domain + ":" + item.key + "=" + item.value);
  EXPECT_EQ(keys, (std::vector<std::string>{"power:standby=0", "power:powernap=0",
                                            "power:scheme_guid=8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c",
                                            "power:core_parking_min_cores_pct=100", "block:read_ahead_kb=2048",
                                            "command:mount.noatime=noatime", "command:mount.barrier=barrier=0",
                                            "command:nic.lro=lro on", "command:nic.offload=gro on",
                                            "swap:swapfile.size=8G", "command:grub.cmdline=" + items[10].value,
                                            "boot:hugepages=1024"}));
  EXPECT_EQ(items[4].scope, "nvme0n1");
}

TEST(Extract, VariablesGivenToOneCommand) {
  auto items = read("OLLAMA_NUM_PARALLEL=4 OLLAMA_MAX_QUEUE=1024 ollama serve\nMY_OWN=1 ./run.sh\n");
  ASSERT_EQ(items.size(), 2u);  // MY_OWN is no variable tune knows
  EXPECT_EQ(items[0].key, "OLLAMA_NUM_PARALLEL");
  EXPECT_EQ(items[0].value, "4");
  EXPECT_EQ(items[0].form, "command environment");
  EXPECT_EQ(items[1].key, "OLLAMA_MAX_QUEUE");
}

TEST(Extract, PythonSettingTheEnvironmentAndGrubDefaults) {
  auto items = read("os.environ[\"OLLAMA_NUM_PARALLEL\"] = \"4\"\nos.environ['OMP_NUM_THREADS'] = str(n)\n"
                    "GRUB_CMDLINE_LINUX=\"hugepages=512\"\n");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].value, "4");
  EXPECT_TRUE(items[0].value_known);
  EXPECT_EQ(items[1].key, "OMP_NUM_THREADS");
  EXPECT_FALSE(items[1].value_known);  // an expression the text does not give
  EXPECT_EQ(items[2].domain, "boot");
  EXPECT_EQ(items[2].key, "hugepages");
}

}  // namespace
}  // namespace tune::audit
