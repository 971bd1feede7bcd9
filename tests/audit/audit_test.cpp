// Verdicts: the knowledge base's word on each setting, sharpened by the host
// when there is one, and by the rest of the text.
#include "audit/audit.h"

#include "support/temp_tree.h"
#include "util/local_system.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tune::audit {
namespace {

// The settings' verdicts, without the mechanics and not-judged findings.
std::vector<Finding> settings_in(const std::string& text, const System* host = nullptr) {
  std::vector<Finding> settings;
  for (auto& finding : audit_text(text, "advice.txt", host)) {
    if (finding.kind == FindingKind::Setting) settings.push_back(std::move(finding));
  }
  return settings;
}

Finding only(const std::string& text, const System* host = nullptr) {
  auto findings = settings_in(text, host);
  EXPECT_EQ(findings.size(), 1u) << text;
  return findings.empty() ? Finding{} : findings.front();
}

TEST(Audit, NoopSchedulerIsMappedToNone) {
  Finding finding = only("echo noop > /sys/block/nvme0n1/queue/scheduler\n");
  EXPECT_EQ(finding.verdict, Verdict::Mapped);
  EXPECT_EQ(finding.item.domain, "block");
  EXPECT_EQ(finding.item.scope, "nvme0n1");
  EXPECT_EQ(finding.modern, "block nvme scheduler = none");
  EXPECT_NE(finding.message.find("Linux 5.0"), std::string::npos);
  EXPECT_NE(finding.message.find("mq-deadline"), std::string::npos);  // and what rotational disks want
}

TEST(Audit, SchedulerGranularityKeysMovedToDebugfs) {
  for (const char* key : {"kernel.sched_min_granularity_ns", "kernel.sched_wakeup_granularity_ns", "kernel.sched_latency_ns",
                          "kernel.sched_migration_cost_ns", "kernel.sched_nr_migrate"}) {
    Finding finding = only(std::string(key) + " = 1000000\n");
    EXPECT_EQ(finding.verdict, Verdict::Obsolete) << key;
    EXPECT_NE(finding.message.find("5.13"), std::string::npos) << key;
    EXPECT_EQ(finding.modern.rfind("/sys/kernel/debug/sched/", 0), 0u) << finding.modern;
  }
}

TEST(Audit, CompressedMemoryDoesNotExistOnLinux) {
  Finding finding = only("echo 'vm.compressed_memory=1' | sudo tee -a /etc/sysctl.conf\n");
  EXPECT_EQ(finding.verdict, Verdict::Nonexistent);
  EXPECT_NE(finding.message.find("zram"), std::string::npos);
  EXPECT_EQ(finding.modern, "swap zram.size");
}

TEST(Audit, TcpTwRecycleWasRemovedIn412) {
  Finding finding = only("net.ipv4.tcp_tw_recycle = 1\n");
  EXPECT_EQ(finding.verdict, Verdict::Obsolete);
  EXPECT_NE(finding.message.find("Removed in Linux 4.12"), std::string::npos);
  EXPECT_NE(finding.message.find("NAT"), std::string::npos);
  EXPECT_EQ(finding.modern, "sysctl net.ipv4.tcp_tw_reuse");
}

TEST(Audit, ThpAlwaysIsRiskyMadviseIsTheTradeOff) {
  Finding always = only("echo always > /sys/kernel/mm/transparent_hugepage/enabled\n");
  EXPECT_EQ(always.verdict, Verdict::Risky);
  EXPECT_NE(always.message.find("latency spikes"), std::string::npos);
  EXPECT_NE(always.message.find("madvise"), std::string::npos);
  Finding madvise = only("echo madvise > /sys/kernel/mm/transparent_hugepage/enabled\n");
  EXPECT_EQ(madvise.verdict, Verdict::Valid);
  EXPECT_NE(madvise.message.find("only to programs that ask"), std::string::npos);
  Finding never = only("echo never > /sys/kernel/mm/transparent_hugepage/enabled\n");
  EXPECT_EQ(never.verdict, Verdict::Valid);
  EXPECT_NE(never.message.find("prefer madvise"), std::string::npos);
}

TEST(Audit, SwappinessZeroIsRiskyOneIsNot) {
  Finding zero = only("vm.swappiness = 0\n");
  EXPECT_EQ(zero.verdict, Verdict::Risky);
  EXPECT_NE(zero.message.find("0 does not turn swap off"), std::string::npos);
  EXPECT_NE(zero.message.find("OOM killer"), std::string::npos);
  Finding one = only("vm.swappiness = 1\n");
  EXPECT_EQ(one.verdict, Verdict::Valid);
  EXPECT_NE(one.message.find("minimum"), std::string::npos);
}

TEST(Audit, FileMaxBelowWhatSystemdSetsIsRisky) {
  Finding finding = only("fs.file-max = 2097152\n");
  EXPECT_EQ(finding.verdict, Verdict::Risky);
  EXPECT_NE(finding.message.find("systemd 240"), std::string::npos);
  EXPECT_NE(finding.message.find("lowers the limit"), std::string::npos);
}

TEST(Audit, TheHostDecidesWhetherALimitIsLowered) {
  testing::TempTree systemd_host;
  systemd_host.write("/proc/sys/fs/file-max", "9223372036854775807\n");
  LocalSystem with_systemd(systemd_host.root());
  Finding lowered = only("fs.file-max = 2097152\n", &with_systemd);
  EXPECT_EQ(lowered.verdict, Verdict::Risky);
  EXPECT_NE(lowered.message.find("Lowers this host's value (9223372036854775807)"), std::string::npos) << lowered.message;
  EXPECT_EQ(lowered.host_note, "live value 9223372036854775807");

  testing::TempTree small_host;
  small_host.write("/proc/sys/fs/file-max", "100000\n");
  LocalSystem small(small_host.root());
  Finding raised = only("fs.file-max = 2097152\n", &small);
  EXPECT_EQ(raised.verdict, Verdict::Valid);
  EXPECT_EQ(raised.message, "This host has 100000, so 2097152 raises it here.");
}

TEST(Audit, KeysAbsentOnThisHostAreNoted) {
  testing::TempTree host;
  host.write("/proc/sys/vm/swappiness", "60\n");
  LocalSystem system(host.root());
  Finding finding = only("vm.compaction_proactiveness = 10\n", &system);
  EXPECT_EQ(finding.verdict, Verdict::Valid);
  EXPECT_EQ(finding.host_note, "absent on this host (added in Linux 5.9)");
}

TEST(Audit, OutOfRangeAndUnknown) {
  Finding range = only("vm.swappiness = 300\n");
  EXPECT_EQ(range.verdict, Verdict::OutOfRange);
  EXPECT_EQ(range.message, "vm.swappiness must be at most 200 (range 0 to 200)");
  Finding unknown = only("vm.swapiness = 10\n");
  EXPECT_EQ(unknown.verdict, Verdict::NotJudged);
  EXPECT_NE(unknown.message.find("did you mean vm.swappiness?"), std::string::npos);
}

TEST(Audit, RiskyCommandsSayWhy) {
  auto findings = settings_in("mount -o remount,noatime,nodiratime,barrier=0 /\nethtool -K eth0 lro on\n"
                              "echo 1 > /sys/block/nvme0n1/queue/rotational\n"
                              "echo 4 > /sys/class/net/eth0/queues/rx-0/rps_cpus\n");
  ASSERT_EQ(findings.size(), 6u);
  EXPECT_EQ(findings[0].verdict, Verdict::Valid);   // noatime
  EXPECT_EQ(findings[1].verdict, Verdict::Mapped);  // nodiratime: noatime implies it
  EXPECT_EQ(findings[2].verdict, Verdict::Risky);   // barrier=0
  EXPECT_NE(findings[2].message.find("corrupt"), std::string::npos);
  EXPECT_EQ(findings[3].verdict, Verdict::Risky);  // lro on
  EXPECT_EQ(findings[4].verdict, Verdict::Risky);  // rotational
  EXPECT_EQ(findings[5].verdict, Verdict::Risky);  // rps mask
  EXPECT_NE(findings[5].message.find("CPU 2 only"), std::string::npos);
}

TEST(Audit, MemlockUnlimitedForEveryoneIsRisky) {
  Finding everyone = only("* hard memlock unlimited\n");
  EXPECT_EQ(everyone.verdict, Verdict::Risky);
  Finding group = only("@ai hard memlock unlimited\n");
  EXPECT_EQ(group.verdict, Verdict::Valid);
}

TEST(Audit, ContradictionsWithinTheTextAreNoted) {
  auto findings = settings_in("net.core.rmem_default = 262144\nvm.overcommit_memory = 1\nvm.overcommit_ratio = 80\n"
                              "echo 16777216 > /proc/sys/net/core/rmem_default\n"
                              "echo never > /sys/kernel/mm/transparent_hugepage/enabled\n"
                              "echo 1 > /sys/kernel/mm/transparent_hugepage/khugepaged/defrag\n");
  ASSERT_EQ(findings.size(), 6u);
  // Moot under another setting of the text: no effect, and why.
  EXPECT_EQ(findings[2].verdict, Verdict::NoEffect);
  EXPECT_NE(findings[2].message.find("sets vm.overcommit_memory = 1 (line 2)"), std::string::npos) << findings[2].message;
  EXPECT_NE(findings[3].message.find("Contradicts line 1, which sets 262144"), std::string::npos);
  EXPECT_EQ(findings[5].verdict, Verdict::NoEffect);
  EXPECT_NE(findings[5].message.find("khugepaged collapses nothing"), std::string::npos);
}

TEST(Audit, OllamaVariablesOllamaDoesNotRead) {
  Finding made_up = only("export OLLAMA_MAX_MEMORY=8192\n");
  EXPECT_EQ(made_up.verdict, Verdict::Nonexistent);
  Finding renamed = only("export OLLAMA_CONTEXT_SIZE=4096\n");
  EXPECT_EQ(renamed.verdict, Verdict::Mapped);
  EXPECT_EQ(renamed.modern, "environment OLLAMA_CONTEXT_LENGTH = 4096");
  Finding real = only("export OLLAMA_NUM_PARALLEL=4\n");
  EXPECT_EQ(real.verdict, Verdict::Valid);
}

TEST(Audit, ReportsCountEveryVerdict) {
  auto findings = audit_text("vm.swappiness = 10\nvm.compressed_memory = 1\n", "a.conf", nullptr);
  std::string text = render_text(findings);
  EXPECT_NE(text.find("a.conf:1  valid  sysctl vm.swappiness = 10"), std::string::npos) << text;
  EXPECT_NE(text.find("2 lines set something: 2 judged, 0 not judged"), std::string::npos) << text;
  EXPECT_NE(text.find("2 settings: 1 valid, 1 nonexistent; 0 mechanics findings"), std::string::npos) << text;
  EXPECT_NE(text.find("--strict would fail: 1 finding is"), std::string::npos) << text;
  auto json = render_json(findings);
  EXPECT_EQ(json["findings"][1]["verdict"], "nonexistent");
  EXPECT_EQ(json["findings"][1]["kind"], "setting");
  EXPECT_EQ(json["counts"]["valid"], 1);
  EXPECT_EQ(json["counts"]["nonexistent"], 1);
  EXPECT_EQ(json["summary"]["lines"], 2);
  EXPECT_EQ(json["summary"]["verdicts"]["nonexistent"], 1);
}

}  // namespace
}  // namespace tune::audit
