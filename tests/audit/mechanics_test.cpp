// How advice applies its settings: each finding kind on the guide line it
// came from (tests/fixtures/seeds), and the forms that are fine left alone.
#include "audit/audit.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace tune::audit {
namespace {

std::vector<Finding> mechanics(const std::string& text, const std::string& source = "guide.md") {
  std::vector<Finding> found;
  for (auto& finding : audit_text(text, source, nullptr)) {
    if (finding.kind == FindingKind::Mechanics) found.push_back(std::move(finding));
  }
  return found;
}

const Finding* rule(const std::vector<Finding>& findings, const std::string& name, int line = 0) {
  auto it = std::find_if(findings.begin(), findings.end(), [&](const Finding& finding) {
    return finding.rule == name && (line == 0 || finding.item.line == line);
  });
  return it == findings.end() ? nullptr : &*it;
}

// 003 line 105.
TEST(Mechanics, AGlobAfterARedirectIsAmbiguousOnEveryHostWithTwoCpus) {
  auto found = mechanics("echo performance > /sys/devices/system/cpu/cpu*/cpufreq/scaling_governor\n");
  const Finding* glob = rule(found, "glob-redirect", 1);
  ASSERT_NE(glob, nullptr);
  EXPECT_EQ(glob->verdict, Verdict::Wrong);
  EXPECT_NE(glob->message.find("ambiguous redirect"), std::string::npos);
  EXPECT_EQ(glob->modern, "cpu governor = performance");  // what tune writes instead
  // tee takes every file the glob names (001 line 1005); a loop writes one at a time.
  EXPECT_EQ(rule(mechanics("echo performance | tee /sys/devices/system/cpu/cpu*/cpufreq/scaling_governor\n"), "glob-redirect"),
            nullptr);
  EXPECT_EQ(rule(mechanics("for f in /sys/devices/system/cpu/cpu*/cpufreq/scaling_governor; do\n"
                           "  echo performance > $f\ndone\n"),
                 "glob-redirect"),
            nullptr);
}

TEST(Mechanics, SudoDoesNotOpenTheRedirect) {
  auto found = mechanics("sudo echo 10 > /proc/sys/vm/swappiness\n");
  const Finding* sudo = rule(found, "sudo-redirect");
  ASSERT_NE(sudo, nullptr);
  EXPECT_EQ(sudo->verdict, Verdict::Wrong);
  EXPECT_NE(sudo->message.find("sudo tee /proc/sys/vm/swappiness"), std::string::npos);
  EXPECT_EQ(rule(mechanics("echo 10 | sudo tee /proc/sys/vm/swappiness\n"), "sudo-redirect"), nullptr);
}

// 001 lines 982-999 and 003 line 66: appends that repeat, once per file and block.
TEST(Mechanics, AppendingToSysctlConfRepeatsAndIsNotWhatBootReads) {
  auto found = mechanics("```bash\n"
                         "echo 'net.core.somaxconn = 65535' >> /etc/sysctl.conf\n"
                         "echo 'vm.swappiness = 1' >> /etc/sysctl.conf\n"
                         "echo '* soft nofile 65535' >> /etc/security/limits.conf\n"
                         "sysctl -p\n"
                         "```\n");
  ASSERT_EQ(std::count_if(found.begin(), found.end(), [](const Finding& f) { return f.rule == "append-repeats"; }), 2);
  const Finding* sysctl = rule(found, "append-repeats", 2);
  ASSERT_NE(sysctl, nullptr);
  EXPECT_EQ(sysctl->verdict, Verdict::Risky);
  EXPECT_NE(sysctl->message.find("/etc/sysctl.d/"), std::string::npos);
  EXPECT_NE(rule(found, "append-repeats", 4), nullptr);  // limits.conf
  auto heredoc = mechanics("cat >> /etc/sysctl.conf << 'EOF'\nvm.swappiness = 10\nEOF\n");
  EXPECT_NE(rule(heredoc, "append-repeats", 1), nullptr);
  EXPECT_EQ(rule(mechanics("cat > /etc/sysctl.d/60-ai.conf << 'EOF'\nvm.swappiness = 10\nEOF\n"), "append-repeats"), nullptr);
}

TEST(Mechanics, SysctlDashPSkipsTheDropInTheTextWrote) {
  auto found = mechanics("cat > /etc/sysctl.d/60-ai.conf << 'EOF'\nvm.swappiness = 10\nEOF\nsysctl -p\n");
  const Finding* load = rule(found, "sysctl-p-skips-drop-ins", 4);
  ASSERT_NE(load, nullptr);
  EXPECT_EQ(load->verdict, Verdict::Wrong);
  EXPECT_NE(load->message.find("sysctl --system"), std::string::npos);
  EXPECT_EQ(rule(mechanics("cat > /etc/sysctl.d/60-ai.conf << 'EOF'\nvm.swappiness = 10\nEOF\nsysctl --system\n"),
                 "sysctl-p-skips-drop-ins"),
            nullptr);
}

// 000 lines 140-143: a swap file without an fstab line.
TEST(Mechanics, ASwapFileWithoutFstabIsGoneAfterReboot) {
  const std::string setup = "sudo fallocate -l 8G /swapfile\nsudo chmod 600 /swapfile\nsudo mkswap /swapfile\nsudo swapon /swapfile\n";
  auto found = mechanics(setup);
  const Finding* swap = rule(found, "not-persistent", 4);
  ASSERT_NE(swap, nullptr);
  EXPECT_NE(swap->message.find("/etc/fstab"), std::string::npos);
  EXPECT_EQ(rule(mechanics(setup + "echo '/swapfile none swap sw 0 0' | sudo tee -a /etc/fstab\n"), "not-persistent"), nullptr);
}

// 003 lines 105-112 and 173-177: runtime writes nothing persists.
TEST(Mechanics, RuntimeWritesThatNoBootFileRepeatAreLostAtReboot) {
  auto found = mechanics("echo never > /sys/kernel/mm/transparent_hugepage/enabled\nsysctl -w vm.swappiness=10\n");
  EXPECT_NE(rule(found, "not-persistent", 1), nullptr);
  EXPECT_NE(rule(found, "not-persistent", 2), nullptr);
  // The same key also written to a sysctl file, or a boot parameter for the pool, persists it.
  EXPECT_EQ(rule(mechanics("sysctl -w vm.swappiness=10\necho 'vm.swappiness=10' > /etc/sysctl.d/60-ai.conf\n"),
                 "not-persistent"),
            nullptr);
  EXPECT_EQ(rule(mechanics("echo 512 > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages\n"
                           "GRUB_CMDLINE_LINUX=\"hugepages=512\"\n"),
                 "not-persistent"),
            nullptr);
}

// 003 lines 131 and 947-948.
TEST(Mechanics, ADropInDirectoryNobodyCreatedFailsTheWrite) {
  auto found = mechanics("cat > /etc/systemd/system/truststram.service.d/numa.conf << EOF\n[Service]\nNice=-5\nEOF\n");
  const Finding* mkdir = rule(found, "missing-mkdir", 1);
  ASSERT_NE(mkdir, nullptr);
  EXPECT_EQ(mkdir->verdict, Verdict::Wrong);
  EXPECT_NE(mkdir->message.find("mkdir -p /etc/systemd/system/truststram.service.d"), std::string::npos);
  EXPECT_EQ(rule(mechanics("mkdir -p /etc/systemd/system/truststram.service.d\n"
                           "cat > /etc/systemd/system/truststram.service.d/numa.conf << EOF\n[Service]\nNice=-5\nEOF\n"),
                 "missing-mkdir"),
            nullptr);
}

// 003 line 948: Debian's postgresql.service runs /bin/true.
TEST(Mechanics, ADropInForAWrapperUnitReachesNoServer) {
  auto found = mechanics("mkdir -p /etc/systemd/system/postgresql.service.d\n"
                         "cat > /etc/systemd/system/postgresql.service.d/storage.conf << 'EOF'\n[Service]\n"
                         "IOSchedulingClass=realtime\nEOF\n");
  const Finding* wrapper = rule(found, "dropin-wrapper-unit", 2);
  ASSERT_NE(wrapper, nullptr);
  EXPECT_EQ(wrapper->verdict, Verdict::Wrong);
  EXPECT_NE(wrapper->message.find("postgresql@15-main"), std::string::npos);
  EXPECT_NE(wrapper->modern.find("postgresql@.service"), std::string::npos);
  EXPECT_EQ(rule(found, "dropin-wrapper-unit", 1), nullptr);  // the mkdir line names it, the write is the finding
  EXPECT_EQ(rule(mechanics("cat > /etc/systemd/system/ollama.service.d/x.conf << 'EOF'\n[Service]\nNice=-5\nEOF\n"),
                 "dropin-wrapper-unit"),
            nullptr);
}

// 003 lines 131-136.
TEST(Mechanics, NumactlInExecStartOverridesCpuAffinity) {
  auto found = mechanics("cat > /etc/systemd/system/a.service.d/numa.conf << EOF\n[Service]\nExecStart=\n"
                         "ExecStart=numactl --cpunodebind=0 --membind=0 /opt/a/bin/a\nCPUAffinity=0-7\nEOF\n");
  const Finding* affinity = rule(found, "numactl-overrides-cpuaffinity", 5);
  ASSERT_NE(affinity, nullptr);
  EXPECT_EQ(affinity->verdict, Verdict::NoEffect);
  EXPECT_EQ(rule(mechanics("cat > /etc/systemd/system/a.service.d/numa.conf << EOF\n[Service]\nCPUAffinity=0-7\nEOF\n"),
                 "numactl-overrides-cpuaffinity"),
            nullptr);
}

// 000 line 179 and 003 lines 925-928.
TEST(Mechanics, DeviceNamesWhereAClassIsMeant) {
  auto one = mechanics("echo none | sudo tee /sys/block/nvme0n1/queue/scheduler\n");
  const Finding* named = rule(one, "hard-coded-device");
  ASSERT_NE(named, nullptr);
  EXPECT_EQ(named->verdict, Verdict::Risky);
  EXPECT_EQ(named->modern, "block nvme scheduler = none");
  auto loop = mechanics("for disk in /dev/nvme0n1 /dev/sda; do\n  echo none > /sys/block/$(basename $disk)/queue/scheduler\ndone\n");
  const Finding* spinning = rule(loop, "rotational-unchecked", 2);
  ASSERT_NE(spinning, nullptr);
  EXPECT_NE(spinning->message.find("/sys/block/sda/queue/rotational"), std::string::npos);
  // A script that checks rotational first knows what it is doing.
  EXPECT_EQ(rule(mechanics("for disk in /dev/sda; do\n"
                           "  if [ $(cat /sys/block/sda/queue/rotational) = 0 ]; then echo none > /sys/block/$(basename $disk)/queue/scheduler; fi\n"
                           "done\n"),
                 "rotational-unchecked"),
            nullptr);
}

TEST(Mechanics, UlimitLastsForTheShellOnly) {
  auto found = mechanics("ulimit -n 1048576\n");
  const Finding* shell = rule(found, "not-persistent", 1);
  ASSERT_NE(shell, nullptr);
  EXPECT_NE(shell->message.find("/etc/security/limits.d/"), std::string::npos);
  EXPECT_EQ(shell->modern, "services <unit> LimitNOFILE = 1048576");
}

// A drop-in written, then sysctl -p: also when the text appends to sysctl.conf later.
TEST(Mechanics, SysctlDashPAfterADropInIsWrongWhateverFollows) {
  auto found = mechanics("sudo tee /etc/sysctl.d/99-llm.conf <<EOF\nvm.swappiness=1\nEOF\nsudo sysctl -p\n"
                         "echo 'vm.dirty_ratio=10' >> /etc/sysctl.conf\n");
  EXPECT_NE(rule(found, "sysctl-p-skips-drop-ins", 4), nullptr);
  // sysctl -p before any drop-in is written loads what the text appended.
  EXPECT_EQ(rule(mechanics("echo 'vm.dirty_ratio=10' >> /etc/sysctl.conf\nsysctl -p\n"), "sysctl-p-skips-drop-ins"), nullptr);
}

}  // namespace
}  // namespace tune::audit
