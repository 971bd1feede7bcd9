// The host classes tune must recognise, each detected from its fixture and
// recommended against the shipped profiles in profiles/.
#include "core/profile_store.h"
#include "core/recommend.h"
#include "host_fixture.h"

#include <gtest/gtest.h>

namespace tune::testing {
namespace {

struct Outcome {
  HostFacts facts;
  FactMap flat;
  Recommendation recommendation;
};

Outcome recommend_for(const std::string& name) {
  auto facts = detect_fixture(name);
  EXPECT_TRUE(facts) << facts.error().message;
  ProfileStore store({source_dir() + "/profiles"});
  auto listing = store.list();
  EXPECT_TRUE(listing.errors.empty()) << listing.errors.front().message;
  EXPECT_GE(listing.profiles.size(), 14u);
  Outcome outcome{facts.value_or_default(), flatten_facts(facts.value_or_default()), {}};
  outcome.recommendation = recommend(listing.profiles, outcome.flat);
  return outcome;
}

TEST(HostFixtures, AGpuServerWithNvidiaGpusAndTwoNumaNodesGetsTheGpuProfile) {
  Outcome o = recommend_for("gpu-server");
  EXPECT_EQ(o.flat.at("gpu.nvidia.count"), "4");
  EXPECT_EQ(o.flat.at("numa.nodes"), "2");
  EXPECT_EQ(o.flat.at("virtualization"), "none");
  EXPECT_EQ(o.flat.at("gpu.memory_gib"), "320");
  EXPECT_EQ(o.recommendation.chosen, "llm-inference-gpu");
  EXPECT_EQ(o.recommendation.runner_up_name(), "throughput");
  EXPECT_TRUE(o.facts.warnings.empty()) << o.facts.warnings.front();
}

TEST(HostFixtures, ALargeCpuOnlyNumaServerGetsCpuInference) {
  Outcome o = recommend_for("large-numa-server");
  EXPECT_EQ(o.flat.at("numa.nodes"), "4");
  EXPECT_EQ(o.flat.at("cpu.packages"), "2");
  EXPECT_EQ(o.flat.at("cpu.logical"), "192");
  EXPECT_EQ(o.flat.at("memory.total_gib"), "504");
  EXPECT_EQ(o.flat.at("gpu.count"), "0") << "the BMC's display controller is not a GPU";
  EXPECT_EQ(o.flat.at("block.rotational"), "1");
  EXPECT_EQ(o.recommendation.chosen, "llm-inference-cpu");
  EXPECT_EQ(o.recommendation.runner_up_name(), "throughput");
}

TEST(HostFixtures, ASmallVmGetsTheGuestProfile) {
  // Captured from a Firecracker microVM with `tune detect --capture`.
  Outcome o = recommend_for("small-vm");
  EXPECT_EQ(o.flat.at("virtualization"), "firecracker");
  EXPECT_EQ(o.flat.at("container"), "none") << "its /.dockerenv sits on an ext4 root";
  EXPECT_EQ(o.flat.at("cpufreq.driver"), "none");
  EXPECT_EQ(o.flat.at("cpu.logical"), "2");
  EXPECT_EQ(o.flat.at("block.virtio"), "1");
  EXPECT_EQ(o.recommendation.chosen, "virtual-guest");
}

TEST(HostFixtures, AContainerGetsTheContainerProfileAndSaysWhy) {
  Outcome o = recommend_for("container");
  EXPECT_EQ(o.flat.at("container"), "docker");
  EXPECT_EQ(o.recommendation.chosen, "container-guest");
  // The same host outside a container would be a CPU inference server.
  EXPECT_EQ(o.recommendation.runner_up_name(), "llm-inference-cpu");
  ProfileStore store({source_dir() + "/profiles"});
  std::string text = explain_recommendation(o.recommendation, store.list().profiles, o.facts.evidence);
  EXPECT_NE(text.find("only the namespaced settings a container may change"), std::string::npos) << text;
  EXPECT_NE(text.find("container = docker (wanted !=none): /.dockerenv exists and / is overlay"), std::string::npos) << text;
}

TEST(HostFixtures, ALaptopOnBatteryNeverGetsAPerformanceProfile) {
  Outcome o = recommend_for("laptop-battery");
  EXPECT_EQ(o.flat.at("power.on_battery"), "true");
  EXPECT_EQ(o.flat.at("dmi.chassis"), "laptop");
  EXPECT_EQ(o.flat.at("power.battery_percent"), "63");
  EXPECT_EQ(o.recommendation.chosen, "laptop-battery");
  // Throughput's rule holds too (bare metal, 20 threads), and loses on priority.
  ASSERT_NE(o.recommendation.runner_up(), nullptr);
  EXPECT_EQ(o.recommendation.runner_up()->profile, "throughput");
  EXPECT_TRUE(o.recommendation.runner_up()->matched);
}

TEST(HostFixtures, AnArmBoardFallsBackToBalanced) {
  Outcome o = recommend_for("arm-board");
  EXPECT_EQ(o.flat.at("arch"), "aarch64");
  EXPECT_EQ(o.flat.at("cpu.vendor"), "ARM");
  EXPECT_EQ(o.flat.at("cpu.model"), "Cortex-A72");
  EXPECT_EQ(o.flat.at("cpu.flag.neon"), "true");
  EXPECT_EQ(o.flat.at("cpu.cores"), "4");
  EXPECT_EQ(o.flat.at("virtualization"), "none");
  EXPECT_EQ(o.flat.at("block.mmcblk0.kind"), "mmc");
  EXPECT_EQ(o.recommendation.chosen, "balanced");
  EXPECT_TRUE(o.recommendation.fell_back);
  EXPECT_EQ(o.recommendation.runner_up_name(), "llm-inference-cpu") << "one condition (memory) short";
}

TEST(HostFixtures, EveryClassDetectsWithoutWarnings) {
  for (const char* name : {"gpu-server", "large-numa-server", "small-vm", "container", "laptop-battery", "arm-board"}) {
    auto facts = detect_fixture(name);
    ASSERT_TRUE(facts) << name << ": " << facts.error().message;
    EXPECT_TRUE(facts->warnings.empty()) << name << ": " << facts->warnings.front();
  }
}

}  // namespace
}  // namespace tune::testing
