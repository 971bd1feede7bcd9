// Resolution: extends order, diamonds, cycles, conditional overrides and
// variables across a lineage.
#include "core/profile_store.h"

#include "support/temp_tree.h"
#include "core/profile_test_util.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace tune {
namespace {

using testing::find_setting;
using testing::TempTree;

class Resolution : public ::testing::Test {
 protected:
  void write(const std::string& name, const std::string& body) {
    tree_.write("/profiles/" + name + ".yaml", "name: " + name + "\n" + body);
  }
  ProfileStore store() const { return ProfileStore({tree_.real("/profiles")}); }
  std::string want_of(const Profile& profile, const std::string& address) {
    const Setting* setting = find_setting(profile, address);
    return setting ? setting->want.describe() : "(absent)";
  }
  TempTree tree_;
};

TEST_F(Resolution, ParentsFirstThenLaterParentsThenTheProfile) {
  write("base", "sysctl:\n  vm.swappiness: 60\n  vm.dirty_ratio: 20\n  vm.dirty_background_ratio: 10\n");
  write("left", "extends: base\nsysctl:\n  vm.swappiness: 30\n  vm.dirty_ratio: 25\n");
  write("right", "extends: base\nsysctl:\n  vm.swappiness: 20\n");
  write("child", "extends: [left, right]\nsysctl:\n  vm.dirty_ratio: 15\n");
  auto profile = store().resolve("child");
  ASSERT_TRUE(profile) << profile.error().message;
  EXPECT_EQ(profile->lineage, (std::vector<std::string>{"base", "left", "right", "child"}));
  EXPECT_EQ(want_of(*profile, "sysctl:vm.swappiness"), "20");          // the later parent wins
  EXPECT_EQ(want_of(*profile, "sysctl:vm.dirty_ratio"), "15");         // the profile itself wins
  EXPECT_EQ(want_of(*profile, "sysctl:vm.dirty_background_ratio"), "10");  // inherited once (diamond)
  EXPECT_EQ(find_setting(*profile, "sysctl:vm.swappiness")->profile, "right");
  EXPECT_EQ(profile->settings.size(), 3u);
}

TEST_F(Resolution, TheNearestLayerNamesTheDecidingMetrics) {
  write("base", "validate_on: [ttft_ms]\n");
  write("inherits", "extends: [base]\n");
  write("overrides", "extends: [base]\nvalidate_on: [itl_p99_ms]\n");
  write("plain", "sysctl:\n  vm.swappiness: 10\n");
  EXPECT_EQ(store().resolve("inherits")->validate_on, std::vector<std::string>{"ttft_ms"});
  EXPECT_EQ(store().resolve("overrides")->validate_on, std::vector<std::string>{"itl_p99_ms"});
  EXPECT_TRUE(store().resolve("plain")->validate_on.empty());
}

TEST_F(Resolution, SameInputsGiveTheSameDigest) {
  write("base", "sysctl:\n  vm.swappiness: 60\n");
  write("child", "extends: base\n");
  auto first = store().resolve("child");
  auto second = store().resolve("child");
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->digest, second->digest);
  write("base", "sysctl:\n  vm.swappiness: 61\n");
  auto changed = store().resolve("child");
  ASSERT_TRUE(changed);
  EXPECT_NE(changed->digest, first->digest);
}

TEST_F(Resolution, CyclesAreRejectedWithTheChain) {
  write("a", "extends: b\n");
  write("b", "extends: c\n");
  write("c", "extends: a\n");
  auto profile = store().resolve("a");
  ASSERT_FALSE(profile);
  EXPECT_NE(profile.error().message.find("profiles extend each other in a cycle: a -> b -> c -> a"), std::string::npos)
      << profile.error().message;
}

TEST_F(Resolution, MissingParentNamesTheChild) {
  write("child", "extends: throughputt\n");
  write("throughput", "");
  auto profile = store().resolve("child");
  ASSERT_FALSE(profile);
  EXPECT_NE(profile.error().message.find("child.yaml: extends 'throughputt': no profile named 'throughputt' (did you mean 'throughput'?)"),
            std::string::npos)
      << profile.error().message;
}

TEST_F(Resolution, ConditionalOverrideKeepsTheParentAsFallback) {
  write("base", "sysctl:\n  vm.swappiness: 10\n");
  write("child", "extends: base\nsysctl:\n  vm.swappiness: { value: 1, when: { power.on_battery: \"true\" } }\n");
  auto profile = store().resolve("child");
  ASSERT_TRUE(profile) << profile.error().message;
  const Setting* setting = find_setting(*profile, "sysctl:vm.swappiness");
  ASSERT_TRUE(setting);
  EXPECT_EQ(setting->want.describe(), "1");
  ASSERT_EQ(setting->otherwise.size(), 1u);
  EXPECT_EQ(setting->otherwise[0].want.describe(), "10");
  EXPECT_EQ(setting->otherwise[0].profile, "base");
}

TEST_F(Resolution, UnconditionalOverrideReplacesFallbacks) {
  write("base", "sysctl:\n  vm.swappiness: 10\n");
  write("mid", "extends: base\nsysctl:\n  vm.swappiness: { value: 1, when: { os: debian } }\n");
  write("child", "extends: mid\nsysctl:\n  vm.swappiness: 30\n");
  auto profile = store().resolve("child");
  ASSERT_TRUE(profile);
  EXPECT_TRUE(find_setting(*profile, "sysctl:vm.swappiness")->otherwise.empty());
}

TEST_F(Resolution, ChildVariablesTuneTheParentsValues) {
  write("base", "variables:\n  swap: 10\n  unit: ollama.service\nsysctl:\n  vm.swappiness: ${swap}\n"
                "environment:\n  ${unit}:\n    OLLAMA_NUM_PARALLEL: 2\n");
  write("child", "extends: base\nvariables:\n  swap: 1\n  unit: llama.service\n");
  auto profile = store().resolve("child");
  ASSERT_TRUE(profile) << profile.error().message;
  EXPECT_EQ(want_of(*profile, "sysctl:vm.swappiness"), "1");
  EXPECT_TRUE(find_setting(*profile, "environment:llama.service/OLLAMA_NUM_PARALLEL"));
  ASSERT_EQ(profile->variables.size(), 2u);
  EXPECT_EQ(profile->variables[0].profile, "child");
}

TEST_F(Resolution, VariablesReferToVariables) {
  write("p", "variables:\n  cores: 8\n  threads: ${cores}\nenvironment:\n  app.service:\n    OMP_NUM_THREADS: ${threads}\n"
             "    LITERAL: \"$${not_a_variable}\"\n");
  auto profile = store().resolve("p");
  ASSERT_TRUE(profile) << profile.error().message;
  EXPECT_EQ(want_of(*profile, "environment:app.service/OMP_NUM_THREADS"), "8");
  EXPECT_EQ(want_of(*profile, "environment:app.service/LITERAL"), "${not_a_variable}");
}

TEST_F(Resolution, UndefinedVariableNamesThePositionAndTheClosestName) {
  write("p", "variables:\n  swappiness: 10\nsysctl:\n  vm.swappiness: ${swapiness}\n");
  auto profile = store().resolve("p");
  ASSERT_FALSE(profile);
  EXPECT_EQ(profile.error().message, tree_.real("/profiles/p.yaml") + ":5:18: no variable 'swapiness' (did you mean 'swappiness'?)");
}

TEST_F(Resolution, VariableCyclesAreRejected) {
  write("p", "variables:\n  a: ${b}\n  b: ${a}\nsysctl:\n  vm.swappiness: ${a}\n");
  auto profile = store().resolve("p");
  ASSERT_FALSE(profile);
  EXPECT_NE(profile.error().message.find("variables refer to each other in a cycle: a -> b -> a"), std::string::npos)
      << profile.error().message;
}

TEST_F(Resolution, SubstitutedValuesAreValidated) {
  write("p", "variables:\n  swap: plenty\nsysctl:\n  vm.swappiness: ${swap}\n");
  auto profile = store().resolve("p");
  ASSERT_FALSE(profile);
  EXPECT_EQ(profile.error().message,
            tree_.real("/profiles/p.yaml") + ":5:18: sysctl vm.swappiness must be a whole number, not 'plenty'");
}

TEST_F(Resolution, FactReferencesWaitForPlanning) {
  write("p", "environment:\n  app.service:\n    OMP_NUM_THREADS: ${facts.cpu.cores}\n");
  auto profile = store().resolve("p");
  ASSERT_TRUE(profile) << profile.error().message;
  EXPECT_EQ(want_of(*profile, "environment:app.service/OMP_NUM_THREADS"), "${facts.cpu.cores}");
}

TEST_F(Resolution, ProfilesInLaterDirectoriesAreShadowed) {
  tree_.write("/local/balanced.yaml", "name: balanced\nsysctl:\n  vm.swappiness: 5\n");
  write("balanced", "sysctl:\n  vm.swappiness: 10\n");
  ProfileStore layered({tree_.real("/local"), tree_.real("/profiles")});
  auto profile = layered.resolve("balanced");
  ASSERT_TRUE(profile);
  EXPECT_EQ(want_of(*profile, "sysctl:vm.swappiness"), "5");
}

TEST_F(Resolution, AnEndlessChainOfParentsIsRefusedBeforeTheStackIs) {
  for (int i = 0; i < 100; ++i) write("p" + std::to_string(i), "extends: p" + std::to_string(i + 1) + "\n");
  write("p100", "sysctl:\n  vm.swappiness: 10\n");
  auto profile = store().resolve("p0");
  ASSERT_FALSE(profile);
  EXPECT_NE(profile.error().message.find("profiles extend each other more than 32 deep (p0 -> p1 -> p2 ...)"),
            std::string::npos)
      << profile.error().message;
}

TEST_F(Resolution, InputsAreRegularFilesOfABoundedSize) {
  tree_.mkdir("/in");
  ASSERT_EQ(::mkfifo(tree_.real("/in/fifo").c_str(), 0600), 0);
  auto fifo = read_input_file(tree_.real("/in/fifo"));
  ASSERT_FALSE(fifo);
  EXPECT_EQ(fifo.error().message, "reading " + tree_.real("/in/fifo") + ": not a regular file");
  auto device = read_input_file("/dev/zero");
  ASSERT_FALSE(device);
  EXPECT_EQ(device.error().message, "reading /dev/zero: not a regular file");
  tree_.write("/in/big", std::string((16u << 20) + 1, 'x'));
  auto big = read_input_file(tree_.real("/in/big"));
  ASSERT_FALSE(big);
  EXPECT_NE(big.error().message.find("larger than the 16 MiB tune reads as input"), std::string::npos);
}

}  // namespace
}  // namespace tune
