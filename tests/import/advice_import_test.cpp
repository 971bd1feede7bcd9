// tune import sysctl: valid advice becomes a profile that passes validation;
// the rest is listed with the audit's reason.
#include "import/advice_import.h"

#include "core/profile_store.h"
#include "support/corpora.h"
#include "support/temp_tree.h"
#include "util/text.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace tune::import {
namespace {

const Setting* find(const Profile& profile, const std::string& address) {
  for (const auto& setting : profile.settings) {
    if (setting.address() == address) return &setting;
  }
  return nullptr;
}

// What a profile asks for at an address, or "(absent)".
std::string want_at(const Profile& profile, const std::string& address) {
  const Setting* setting = find(profile, address);
  return setting ? setting->want.describe() : "(absent)";
}

Profile import_text(const std::string& text, ProfileWriter* out = nullptr) {
  auto findings = audit::audit_text(text, "advice.sh", nullptr);
  ProfileWriter writer = profile_from_advice(findings, "imported", "from advice");
  auto profile = parse_profile(writer.yaml(), "imported.yaml");
  EXPECT_TRUE(profile) << profile.error().message << "\n" << writer.yaml();
  if (out) *out = writer;
  return profile ? *profile : Profile{};
}

TEST(AdviceImport, ValidSettingsBecomeAProfileAndTheRestIsListed) {
  ProfileWriter writer("x", "y");
  Profile profile = import_text("vm.swappiness = 10\nvm.swappiness = 0\nnet.core.somaxconn = 65535\n"
                                "vm.compressed_memory = 1\nkernel.sched_min_granularity_ns = 100000\n"
                                "echo noop > /sys/block/nvme0n1/queue/scheduler\n"
                                "echo never > /sys/kernel/mm/transparent_hugepage/enabled\n"
                                "* soft nofile 65536\n* hard nofile 65536\n"
                                "export OLLAMA_CONTEXT_SIZE=4096\n",
                                &writer);
  // The risky swappiness 0 is left out, so the valid 10 stays.
  EXPECT_EQ(want_at(profile, "sysctl:vm.swappiness"), "10");
  // Limits tune only raises are imported as bounds.
  EXPECT_EQ(want_at(profile, "sysctl:net.core.somaxconn"), "at least 65535");
  EXPECT_EQ(want_at(profile, "block:nvme/scheduler"), "none");
  EXPECT_EQ(want_at(profile, "memory:transparent_hugepages.enabled"), "never");
  EXPECT_EQ(want_at(profile, "limits:*/nofile.soft"), "at least 65536");
  EXPECT_EQ(want_at(profile, "limits:*/nofile.hard"), "at least 65536");
  EXPECT_FALSE(find(profile, "sysctl:vm.compressed_memory"));
  EXPECT_FALSE(find(profile, "sysctl:kernel.sched_min_granularity_ns"));
  // No unit is named for the exported variable.
  EXPECT_FALSE(find(profile, "environment:OLLAMA_CONTEXT_LENGTH"));
  std::string left_out = join(writer.left_out(), "\n");
  EXPECT_NE(left_out.find("advice.sh:2 sysctl vm.swappiness = 0: risky: 0 does not turn swap off"), std::string::npos) << left_out;
  EXPECT_NE(left_out.find("advice.sh:4 sysctl vm.compressed_memory = 1: nonexistent"), std::string::npos);
  EXPECT_NE(left_out.find("advice.sh:5 sysctl kernel.sched_min_granularity_ns = 100000: obsolete"), std::string::npos);
  EXPECT_NE(left_out.find("no unit is named"), std::string::npos);
  EXPECT_NE(writer.yaml().find("# Not carried over:"), std::string::npos);
}

TEST(AdviceImport, UnitsNamedByTheTextCarryTheirDirectivesAndEnvironment) {
  Profile profile = import_text("cat > /etc/systemd/system/ollama.service << EOF\n[Service]\n"
                                "Environment=OLLAMA_CONTEXT_SIZE=4096\nLimitNOFILE=65536\nCPUSchedulingPolicy=1\nEOF\n");
  EXPECT_EQ(want_at(profile, "environment:ollama.service/OLLAMA_CONTEXT_LENGTH"), "4096");
  EXPECT_EQ(want_at(profile, "services:ollama.service/LimitNOFILE"), "at least 65536");
  EXPECT_FALSE(find(profile, "services:ollama.service/CPUSchedulingPolicy"));
}

TEST(AdviceImport, MappedFormsLandInTheirModernPlace) {
  Profile profile = import_text("blockdev --setra 4096 /dev/nvme0n1\npowercfg /setactive 8c5e7fda-e8bf-4a96-9a85-a6e23a8c635c\n"
                                "echo 0 > /sys/devices/system/cpu/intel_pstate/no_turbo\nsudo fallocate -l 8G /swapfile\n");
  EXPECT_EQ(want_at(profile, "block:nvme/read_ahead_kb"), "2048");
  EXPECT_EQ(want_at(profile, "power:scheme"), "high-performance");
  EXPECT_EQ(want_at(profile, "cpu:boost"), "true");
  EXPECT_EQ(want_at(profile, "swap:swapfile.size"), "8G");
  EXPECT_EQ(want_at(profile, "swap:swapfile.path"), "/swapfile");
}

TEST(AdviceImport, DevicesWithoutAClassAreLeftOut) {
  ProfileWriter writer("x", "y");
  import_text("echo mq-deadline > /sys/block/sda/queue/scheduler\n", &writer);
  ASSERT_EQ(writer.left_out().size(), 1u);
  EXPECT_NE(writer.left_out()[0].find("does not say its class"), std::string::npos);
}

TEST(AdviceImport, EverySeedGuideImportsIntoAValidProfile) {
  const std::string dir = testing::seeds_dir();
  int seeds = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".txt") continue;
    ++seeds;
    auto text = read_input_file(entry.path().string());
    ASSERT_TRUE(text);
    auto findings = audit::audit_text(*text, entry.path().filename().string(), nullptr);
    ProfileWriter writer = profile_from_advice(findings, "seed", "seed");
    auto profile = parse_profile(writer.yaml(), entry.path().filename().string() + ".yaml");
    EXPECT_TRUE(profile) << profile.error().message;
  }
  EXPECT_EQ(seeds, 5);
}

TEST(ProfileWriter, QuotesWhatYamlWouldMisread) {
  EXPECT_EQ(yaml_scalar("10"), "10");
  EXPECT_EQ(yaml_scalar("none"), "none");
  EXPECT_EQ(yaml_scalar("off"), "\"off\"");
  EXPECT_EQ(yaml_scalar("4096 87380 16777216"), "\"4096 87380 16777216\"");
  EXPECT_EQ(yaml_scalar("*"), "\"*\"");
  EXPECT_EQ(yaml_scalar("@ai"), "\"@ai\"");
  EXPECT_EQ(yaml_scalar("a\"b"), "\"a\\\"b\"");
  EXPECT_EQ(yaml_scalar("0.0.0.0:11434"), "\"0.0.0.0:11434\"");
}

}  // namespace
}  // namespace tune::import
