// Shared by the Linux backend tests: a profile from text, a plan over a
// door, a whole-tree snapshot to prove that rollback puts back every byte,
// and an engine with the Linux knobs.
#pragma once

#include "core/engine.h"
#include "core/planner.h"
#include "platform/linux/linux_platform.h"
#include "support/temp_tree.h"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace tune::linux_platform::testing_util {

inline Profile profile_from(const std::string& text) {
  auto profile = parse_profile(text, "test.yaml");
  EXPECT_TRUE(profile) << profile.error().message;
  return profile ? *profile : Profile{};
}

// The parse error of a profile text, empty when it parses.
inline std::string parse_error(const std::string& text) {
  auto profile = parse_profile(text, "test.yaml");
  return profile ? "" : profile.error().message;
}

// A knob given targets of the wrong shape observes, applies and restores nothing.
inline void expect_refuses_targets(const Knob& knob, System& system, std::initializer_list<const char*> targets) {
  for (const char* target : targets) {
    EXPECT_FALSE(knob.observe(system, target)) << target;
    Change change;
    change.target = target;
    change.after = "x";
    EXPECT_FALSE(knob.apply(system, change)) << target;
    EXPECT_FALSE(knob.restore(system, target, PriorState::of_value("x"))) << target;
  }
}

inline HostFacts test_facts() {
  HostFacts facts;
  facts.identity = {"host", "0123456789abcdef0123456789abcdef", "6.1.0"};
  facts.os = "linux";
  return facts;
}

inline Plan plan_of(const System& system, const std::string& text) {
  static const Platform platform = make_platform();
  Profile profile = profile_from(text);
  auto made = make_plan({profile, test_facts(), system}, platform, "test");
  EXPECT_TRUE(made) << made.error().message;
  return made ? *made : Plan{};
}

inline const Change* change_at(const Plan& plan, const std::string& domain, const std::string& target) {
  for (const auto& change : plan.changes) {
    if (change.domain == domain && change.target == target) return &change;
  }
  return nullptr;
}

inline const Skip* skip_at(const Plan& plan, const std::string& domain, const std::string& target) {
  for (const auto& skip : plan.skipped) {
    if (skip.domain == domain && skip.target == target) return &skip;
  }
  return nullptr;
}

// Every file under the tree with its bytes and mode, but tune's own state:
// the journal's directory and the host-wide lock.
inline std::map<std::string, std::string> snapshot(const testing::TempTree& tree, const std::string& skip = "/state") {
  namespace fs = std::filesystem;
  std::map<std::string, std::string> files;
  for (auto it = fs::recursive_directory_iterator(tree.root()); it != fs::recursive_directory_iterator(); ++it) {
    const std::string path = it->path().string().substr(tree.root().size());
    if (path.rfind(skip, 0) == 0 || path.rfind("/run/lock", 0) == 0) continue;
    struct stat st {};
    ::lstat(it->path().c_str(), &st);
    std::string entry = "mode " + std::to_string(st.st_mode & 07777);
    if (it->is_regular_file()) {
      std::ifstream in(it->path(), std::ios::binary);
      std::ostringstream bytes;
      bytes << in.rdbuf();
      entry += " " + bytes.str();
    } else if (it->is_directory()) {
      continue;  // rollback removes files, not the directories made for them
    }
    files[path] = entry;
  }
  return files;
}

// Apply, roll back and verify through the engine with the Linux knobs.
inline Result<ApplyReport> apply_plan(System& system, const Plan& plan) {
  static const Platform platform = make_platform();
  Engine engine(system, platform.knobs, "/state");
  return engine.apply(plan, test_facts().identity);
}
inline Result<RollbackReport> rollback_last(System& system) {
  static const Platform platform = make_platform();
  Engine engine(system, platform.knobs, "/state");
  return engine.rollback(std::nullopt);
}
inline Result<VerifyReport> verify_host(System& system) {
  static const Platform platform = make_platform();
  Engine engine(system, platform.knobs, "/state");
  return engine.verify();
}

}  // namespace tune::linux_platform::testing_util
