// Defender path exclusions (windows: defender_exclusion_paths): refused
// without the explicit opt-in, planned with a security warning with it, and
// rolled back to exactly what the operator had (an exclusion made before
// tune stays), over the recorded Windows API.
#include "core/engine.h"
#include "core/planner.h"
#include "core/profile_store.h"
#include "detect/probe.h"
#include "platform/platforms.h"
#include "platform/windows/defender_exclusion_knob.h"
#include "platform/windows/windows_fixture.h"
#include "util/dry_run_system.h"
#include "util/text.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace tune {
namespace {

const char* const kOptedIn = R"(name: defender-opted-in
summary: model folders excluded from Defender scans, knowingly
windows:
  defender_exclusion_paths: 'D:\models;C:\Users\me\.ollama'
  defender_exclusion_accept_unscanned_files: true
)";

const char* const kNotOptedIn = R"(name: defender-not-opted-in
summary: an exclusion without the opt-in
windows:
  defender_exclusion_paths: 'D:\models'
)";

const char* const kOptedOut = R"(name: defender-opted-out
summary: an exclusion with the opt-in set to false
windows:
  defender_exclusion_paths: 'D:\models'
  defender_exclusion_accept_unscanned_files: false
)";

const char* const kRelative = R"(name: defender-relative
summary: an opted-in exclusion of a relative path
windows:
  defender_exclusion_paths: 'models;E:\llm'
  defender_exclusion_accept_unscanned_files: true
)";

// An exclusion the operator made before tune, spelt in another case.
const char* const kOperatorExclusion = "c:\\users\\me\\.ollama";

struct Planned {
  std::unique_ptr<testing::WindowsHost> host;
  HostIdentity identity;
  Plan plan;
};

class DefenderExclusion : public ::testing::Test {
 protected:
  testing::TempTree profiles;
  void SetUp() override {
    profiles.write("/defender-opted-in.yaml", kOptedIn);
    profiles.write("/defender-not-opted-in.yaml", kNotOptedIn);
    profiles.write("/defender-opted-out.yaml", kOptedOut);
    profiles.write("/defender-relative.yaml", kRelative);
  }

  Planned plan_on(const std::string& profile_name) {
    Planned planned;
    planned.host = std::make_unique<testing::WindowsHost>("workstation-nvidia");
    EXPECT_TRUE(planned.host->door->api().add_defender_exclusion(kOperatorExclusion));
    auto facts = detect_host(*planned.host->door, DetectOptions{});
    EXPECT_TRUE(facts) << facts.error().message;
    planned.identity = facts->identity;
    auto profile = ProfileStore({profiles.root(), testing::source_dir() + "/profiles"}).resolve(profile_name);
    EXPECT_TRUE(profile) << profile.error().message;
    auto plan = make_plan({*profile, *facts, *planned.host->door}, platform_for("windows"), "test");
    EXPECT_TRUE(plan) << plan.error().message;
    planned.plan = std::move(*plan);
    return planned;
  }
};

std::string read_fixture(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const Change* find_change(const Plan& plan, const std::string& address) {
  for (const auto& change : plan.changes) {
    if (change.address() == address) return &change;
  }
  return nullptr;
}

std::vector<std::string> defender_changes(const Plan& plan) {
  std::vector<std::string> addresses;
  for (const auto& change : plan.changes) {
    if (change.domain == "defender_exclusion") addresses.push_back(change.address());
  }
  return addresses;
}

TEST_F(DefenderExclusion, WithoutTheOptInIsSkippedNamingTheTradeOff) {
  for (const std::string name : {"defender-not-opted-in", "defender-opted-out"}) {
    SCOPED_TRACE(name);
    Planned planned = plan_on(name);
    EXPECT_TRUE(defender_changes(planned.plan).empty());
    bool said = false;
    for (const auto& skip : planned.plan.skipped) {
      said = said || (skip.target == "defender_exclusion_paths" &&
                      skip.reason.find("never scanned for malware") != std::string::npos &&
                      skip.reason.find("defender_exclusion_accept_unscanned_files: true") != std::string::npos);
    }
    EXPECT_TRUE(said);
  }
}

TEST_F(DefenderExclusion, WithTheOptInPlansEachPathAndWarnsForIt) {
  Planned planned = plan_on("defender-opted-in");
  const Change* models = find_change(planned.plan, "defender_exclusion:D:\\models");
  ASSERT_NE(models, nullptr);
  EXPECT_EQ(models->action, Action::Create);
  EXPECT_EQ(models->after, "excluded");
  // The operator's own exclusion is already there (paths ignore case): nothing to do.
  const Change* ollama = find_change(planned.plan, "defender_exclusion:C:\\Users\\me\\.ollama");
  ASSERT_NE(ollama, nullptr);
  EXPECT_EQ(ollama->action, Action::None);
  size_t warnings = 0;
  for (const auto& warning : planned.plan.warnings) {
    if (warning.find("security trade-off") != std::string::npos && warning.find("not detected") != std::string::npos &&
        warning.find("D:\\models") != std::string::npos) {
      ++warnings;
    }
  }
  EXPECT_EQ(warnings, 1u);
}

TEST_F(DefenderExclusion, ARelativePathIsSkippedAndTheOthersPlanned) {
  Planned planned = plan_on("defender-relative");
  EXPECT_EQ(defender_changes(planned.plan), std::vector<std::string>{"defender_exclusion:E:\\llm"});
  bool said = false;
  for (const auto& skip : planned.plan.skipped) said = said || skip.reason.find("not an absolute path") != std::string::npos;
  EXPECT_TRUE(said);
}

TEST_F(DefenderExclusion, ApplyAddsOnlyWhatIsMissingAndRollbackKeepsTheOperatorsExclusion) {
  Planned planned = plan_on("defender-opted-in");
  auto& api = planned.host->door->api();
  const auto before = api.state();
  Engine engine(*planned.host->door, platform_for("windows").knobs, "/var/lib/tune");
  auto applied = engine.apply(planned.plan, planned.identity);
  ASSERT_TRUE(applied) << applied.error().message;
  ASSERT_FALSE(applied->failed) << applied->failure;
  auto during = api.defender_exclusions();
  ASSERT_TRUE(during);
  EXPECT_EQ(*during, (std::vector<std::string>{kOperatorExclusion, "D:\\models"}));
  size_t adds = 0;
  for (const auto& write : api.writes()) adds += starts_with(write, "add_defender_exclusion D:\\models");
  EXPECT_EQ(adds, 1u);
  auto rolled = engine.rollback(std::nullopt);
  ASSERT_TRUE(rolled) << rolled.error().message;
  EXPECT_TRUE(rolled->errors.empty()) << join(rolled->errors, "\n");
  EXPECT_EQ(api.state(), before);
  auto after = api.defender_exclusions();
  ASSERT_TRUE(after);
  EXPECT_EQ(*after, std::vector<std::string>{kOperatorExclusion});
}

TEST_F(DefenderExclusion, ADryRunRecordsTheAddAndChangesNothing) {
  Planned planned = plan_on("defender-opted-in");
  auto& api = planned.host->door->api();
  const auto before = api.state();
  const size_t writes_before = api.writes().size();
  DryRunSystem dry(*planned.host->door);
  Engine engine(dry, platform_for("windows").knobs, "/var/lib/tune");
  auto applied = engine.apply(planned.plan, planned.identity);
  ASSERT_TRUE(applied) << applied.error().message;
  ASSERT_FALSE(applied->failed) << applied->failure;
  EXPECT_EQ(api.state(), before);
  EXPECT_EQ(api.writes().size(), writes_before);
  bool recorded = false;
  for (const auto& action : dry.actions()) {
    recorded = recorded || (action.verb == "windows" && action.path == "add_defender_exclusion D:\\models");
  }
  EXPECT_TRUE(recorded);
  // The dry run reads its own add back.
  auto seen = dry.windows()->defender_exclusions();
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->size(), 2u);
}

TEST(DefenderExclusionProfiles, NoShippedProfileSetsAnExclusion) {
  namespace fs = std::filesystem;
  size_t read = 0;
  for (const auto& entry : fs::directory_iterator(testing::source_dir() + "/profiles")) {
    if (entry.path().extension() != ".yaml") continue;
    ++read;
    std::istringstream lines(read_fixture(entry.path().string()));
    for (std::string line; std::getline(lines, line);) {
      const std::string code = line.substr(0, line.find('#'));
      EXPECT_EQ(code.find("defender_exclusion"), std::string::npos) << entry.path() << ": " << line;
    }
  }
  EXPECT_GT(read, 0u);
}

TEST(DefenderExclusionKnob, RefusesARelativePathAndRestoresAbsenceByRemoving) {
  testing::WindowsHost host("workstation-nvidia");
  windows_platform::DefenderExclusionKnob knob;
  EXPECT_FALSE(knob.observe(*host.door, "models"));
  auto seen = knob.observe(*host.door, "E:\\llm");
  ASSERT_TRUE(seen) << seen.error().message;
  EXPECT_FALSE(seen->value);
  Change change;
  change.domain = "defender_exclusion";
  change.target = "E:\\llm";
  change.after = "excluded";
  ASSERT_TRUE(knob.apply(*host.door, change));
  EXPECT_EQ(knob.observe(*host.door, "e:\\LLM")->value, "excluded");
  ASSERT_TRUE(knob.restore(*host.door, "E:\\llm", seen->prior));
  EXPECT_FALSE(knob.observe(*host.door, "E:\\llm")->value);
}

TEST(RecordedDefenderExclusions, AreReadFromTheRegistryExportsExclusionsKey) {
  const std::string dir = testing::source_dir() + "/tests/fixtures/windows/workstation-nvidia";
  std::string registry = read_fixture(dir + "/registry.reg");
  // As regedit exports the key: each excluded path a value name, its data 0.
  registry += "\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows Defender\\Exclusions\\Paths]\r\n"
              "\"D:\\\\Models\"=dword:00000000\r\n";
  auto api = windows_platform::RecordedWindowsApi::from_text(registry, read_fixture(dir + "/powercfg.txt"),
                                                            read_fixture(dir + "/machine.txt"), "test");
  ASSERT_TRUE(api) << api.error().message;
  auto paths = api->defender_exclusions();
  ASSERT_TRUE(paths);
  EXPECT_EQ(*paths, std::vector<std::string>{"D:\\Models"});
}

}  // namespace
}  // namespace tune
