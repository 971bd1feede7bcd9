#include "platform/linux/units_planner.h"

#include "platform/linux/backend_test_util.h"
#include "platform/linux/systemd_knob.h"
#include "platform/linux/unit_dropin.h"
#include "platform/linux/unit_settings_knob.h"
#include "support/fake_service_manager.h"
#include "support/rooted_door.h"

#include <gtest/gtest.h>

namespace tune::linux_platform {
namespace {

using namespace testing_util;
using tune::testing::FakeServiceManager;
using tune::testing::RootedDoor;
using tune::testing::TempTree;

const char* const kOllamaUnit = "[Unit]\nDescription=Ollama\n\n[Service]\nExecStart=/usr/bin/ollama serve\nLimitNOFILE=1024\n"
                                "Environment=\"OLLAMA_HOST=0.0.0.0\"\n\n[Install]\nWantedBy=multi-user.target\n";

// A host with ollama.service from a package, and a fake systemd.
class UnitsPlannerTest : public ::testing::Test {
 protected:
  UnitsPlannerTest() : door(tree.root()) {
    tree.write("/usr/lib/systemd/system/ollama.service", kOllamaUnit);
    tree.mkdir("/etc/systemd/system");
    auto fake = std::make_unique<FakeServiceManager>();
    fake->units["ollama.service"] = UnitStatus{"loaded", "active", "enabled"};
    systemd = fake.get();
    door.set_services(std::move(fake));
  }
  Plan plan(const std::string& text, const std::string& restart = "never") {
    static const Platform platform = make_platform();
    Profile profile = profile_from(text);
    std::vector<std::string> templates = {tune::testing::source_dir() + "/templates"};
    auto made = make_plan({profile, facts, door, nullptr, &templates, restart}, platform, "test");
    EXPECT_TRUE(made) << made.error().message;
    return made ? *made : Plan{};
  }
  TempTree tree;
  RootedDoor door;
  FakeServiceManager* systemd = nullptr;
  HostFacts facts = test_facts();
};

TEST_F(UnitsPlannerTest, TheDropInCarriesDirectivesAndEnvironmentQuotedBySystemdsRules) {
  Plan p = plan("name: t\nservices:\n  ollama.service:\n    LimitNOFILE: 65536\n    CPUAffinity: 0-3\n"
                "environment:\n  ollama.service:\n    OLLAMA_KEEP_ALIVE: 24h\n    OLLAMA_ORIGINS: 'a \"b\" 50% c\\d'\n");
  const Change* dropin = change_at(p, "file", "/etc/systemd/system/ollama.service.d/90-tune.conf");
  ASSERT_NE(dropin, nullptr);
  EXPECT_EQ(*dropin->after,
            "# Written by tune for profile 't': settings of ollama.service.\n"
            "# Edit the profile rather than this file: `tune rollback` puts back what was here before.\n"
            "[Service]\nLimitNOFILE=65536\nCPUAffinity=\nCPUAffinity=0-3\n"
            "Environment=\"OLLAMA_KEEP_ALIVE=24h\"\n"
            "Environment=\"OLLAMA_ORIGINS=a \\\"b\\\" 50%% c\\\\d\"\n");
}

TEST_F(UnitsPlannerTest, ThePlanShowsWhatTheUnitRunsWithBeforeAndAfter) {
  Plan p = plan("name: t\nservices:\n  ollama.service:\n    LimitNOFILE: 65536\nenvironment:\n  ollama.service:\n"
                "    OLLAMA_HOST: 127.0.0.1\n    OLLAMA_KEEP_ALIVE: 24h\n");
  EXPECT_EQ(*change_at(p, "services", "ollama.service/LimitNOFILE")->before, "1024");
  EXPECT_EQ(*change_at(p, "services", "ollama.service/LimitNOFILE")->after, "65536");
  EXPECT_EQ(*change_at(p, "environment", "ollama.service/OLLAMA_HOST")->before, "0.0.0.0");
  EXPECT_FALSE(change_at(p, "environment", "ollama.service/OLLAMA_KEEP_ALIVE")->before);
  // Read before the drop-in is written: the views come first.
  EXPECT_EQ(p.changes.front().domain, "services");
}

TEST_F(UnitsPlannerTest, AUnitTheHostDoesNotHaveIsSkippedSayingHowToGetOne) {
  Plan p = plan("name: t\nservices:\n  vllm.service:\n    LimitNOFILE: 65536\n");
  ASSERT_NE(skip_at(p, "services", "vllm.service/LimitNOFILE"), nullptr);
  EXPECT_EQ(skip_at(p, "services", "vllm.service/LimitNOFILE")->reason,
            "not available here: no unit vllm.service on this host (install it, or give the profile `template:` to "
            "install one)");
  EXPECT_TRUE(p.changes.empty());
}

TEST_F(UnitsPlannerTest, RestartOnChangeReloadsAndRestartsAndRollbackDoesBoth) {
  auto before = snapshot(tree);
  Plan p = plan("name: t\nservices:\n  ollama.service:\n    LimitNOFILE: 65536\n    restart: on-change\n");
  ASSERT_NE(change_at(p, "systemd", kDaemonReload), nullptr);
  EXPECT_EQ(change_at(p, "systemd", kDaemonReload)->action, Action::Run);
  ASSERT_NE(change_at(p, "systemd", "restart ollama.service"), nullptr);
  auto report = apply_plan(door, p);
  ASSERT_TRUE(report && !report->failed) << (report ? report->failure : report.error().message);
  EXPECT_EQ(systemd->calls, (std::vector<std::string>{"daemon-reload", "restart ollama.service"}));
  auto verify = verify_host(door);
  ASSERT_TRUE(verify);
  EXPECT_TRUE(verify->drift.empty());
  ASSERT_TRUE(rollback_last(door));
  EXPECT_EQ(snapshot(tree), before);
  // The calls again, once the drop-in is gone.
  EXPECT_EQ(systemd->calls, (std::vector<std::string>{"daemon-reload", "restart ollama.service", "daemon-reload",
                                                       "restart ollama.service"}));
}

TEST_F(UnitsPlannerTest, WithoutRestartThePlanSaysWhenTheSettingsTakeEffect) {
  Plan p = plan("name: t\nservices:\n  ollama.service:\n    LimitNOFILE: 65536\n");
  EXPECT_EQ(change_at(p, "systemd", "restart ollama.service"), nullptr);
  EXPECT_EQ(change_at(p, "file", dropin_path("ollama.service"))->note, "takes effect at the next restart of ollama.service");
  Plan from_policy = plan("name: t\nservices:\n  ollama.service:\n    LimitNOFILE: 65536\n", "on-change");
  EXPECT_NE(change_at(from_policy, "systemd", "restart ollama.service"), nullptr);
}

TEST_F(UnitsPlannerTest, WithoutSystemdTheFilesAreWrittenAndThePlanSaysTheyWait) {
  systemd->is_running = false;
  Plan p = plan("name: t\nservices:\n  ollama.service:\n    LimitNOFILE: 65536\n    restart: on-change\n");
  EXPECT_EQ(change_at(p, "systemd", kDaemonReload), nullptr);
  ASSERT_FALSE(p.warnings.empty());
  EXPECT_EQ(p.warnings.back(), "systemd is not running here (systemd is not PID 1 here): the unit files are written, and "
                               "systemd reads them when it next starts");
  auto report = apply_plan(door, p);
  ASSERT_TRUE(report && !report->failed);
  EXPECT_NE(tree.read("/etc/systemd/system/ollama.service.d/90-tune.conf").find("LimitNOFILE=65536"), std::string::npos);
  EXPECT_TRUE(systemd->calls.empty());
}

TEST_F(UnitsPlannerTest, ATemplateInstallsTheUnitEnabledAndStartedAndRollbackTakesItAway) {
  tree.write("/usr/local/bin/llama-server", "", 0755);
  facts.cpu.logical = 8;
  facts.cpu.cores = 4;
  facts.topology.numa_known = true;
  facts.topology.numa_nodes.resize(2);
  auto before = snapshot(tree);
  Plan p = plan("name: t\nservices:\n  llama-server.service:\n    template: llama-server\n    LimitNOFILE: 65536\n");
  const Change* unit = change_at(p, "file", "/etc/systemd/system/llama-server.service");
  ASSERT_NE(unit, nullptr);
  EXPECT_NE(unit->after->find("CPUAffinity=0-7\nNUMAPolicy=interleave\nNUMAMask=all\n"), std::string::npos) << *unit->after;
  EXPECT_NE(unit->after->find("--threads 4"), std::string::npos);
  auto report = apply_plan(door, p);
  ASSERT_TRUE(report && !report->failed) << (report ? report->failure : report.error().message);
  EXPECT_EQ(systemd->calls,
            (std::vector<std::string>{"daemon-reload", "enable llama-server.service", "start llama-server.service"}));
  ASSERT_TRUE(rollback_last(door));
  EXPECT_EQ(systemd->calls, (std::vector<std::string>{"daemon-reload", "enable llama-server.service",
                                                       "start llama-server.service", "stop llama-server.service",
                                                       "disable llama-server.service", "daemon-reload"}));
  EXPECT_EQ(snapshot(tree), before);
}

TEST_F(UnitsPlannerTest, ATemplateIsNeitherInstalledOverAUnitNorForAProgramNotThere) {
  Plan over = plan("name: t\nservices:\n  ollama.service:\n    template: ollama\n    LimitNOFILE: 65536\n");
  EXPECT_EQ(skip_at(over, "services", "ollama.service/template")->reason,
            "ollama.service is already here (/usr/lib/systemd/system/ollama.service); the template is not installed over it");
  EXPECT_NE(change_at(over, "file", dropin_path("ollama.service")), nullptr);
  Plan missing = plan("name: t\nservices:\n  vllm.service:\n    template: vllm\n");
  EXPECT_EQ(skip_at(missing, "services", "vllm.service/template")->reason,
            "not available here: the template runs /opt/vllm/bin/vllm, which is not installed");
}

TEST_F(UnitsPlannerTest, ALaterDropInThatOverridesTuneIsDrift) {
  Plan p = plan("name: t\nservices:\n  ollama.service:\n    LimitNOFILE: 65536\n");
  ASSERT_TRUE(apply_plan(door, p));
  tree.write("/etc/systemd/system/ollama.service.d/99-local.conf", "[Service]\nLimitNOFILE=4096\n");
  auto verify = verify_host(door);
  ASSERT_TRUE(verify);
  ASSERT_EQ(verify->drift.size(), 1u);
  EXPECT_EQ(verify->drift[0].target, "ollama.service/LimitNOFILE");
  EXPECT_EQ(*verify->drift[0].live, "4096");
}

TEST_F(UnitsPlannerTest, AValueWithALineBreakIsRefusedWhereItIsWritten) {
  auto profile = parse_profile("name: t\nenvironment:\n  ollama.service:\n    MODEL_DIR: \"a\\nExecStartPre=/bin/sh\"\n", "t.yaml");
  ASSERT_FALSE(profile);
  EXPECT_EQ(profile.error().message, "t.yaml:4:16: environment ollama.service MODEL_DIR: a value must be one non-empty line");
  auto known = parse_profile("name: t\nenvironment:\n  ollama.service:\n    OLLAMA_KEEP_ALIVE: \"1h\\r\"\n", "t.yaml");
  ASSERT_FALSE(known);
  EXPECT_EQ(known.error().message.rfind("t.yaml:4:24: environment ollama.service OLLAMA_KEEP_ALIVE: ", 0), 0u)
      << known.error().message;
  auto trailing = parse_profile("name: t\nservices:\n  ollama.service:\n    LimitNOFILE: '65536\\'\n", "t.yaml");
  ASSERT_FALSE(trailing);
  EXPECT_NE(trailing.error().message.find("ending in a backslash"), std::string::npos);
}

// The seed guides' systemd advice in tune's words: Ollama's variables (000,
// 002), 003's NUMA binding through numactl as the unit's own NUMA policy and
// its restart after the drop-in, and 003's GRUB edit for hugepages. It plans
// with no skip in the services, environment and boot domains.
TEST_F(UnitsPlannerTest, TheSeedGuidesSystemdAdvicePlansWithoutASkip) {
  tree.write("/usr/lib/systemd/system/truststram.service", "[Service]\nExecStart=/opt/truststram/bin/truststram\n");
  tree.write("/etc/default/grub", "GRUB_CMDLINE_LINUX=\"\"\n");
  systemd->units["truststram.service"] = UnitStatus{"loaded", "active", "enabled"};
  Plan p = plan(
      "name: seeds\n"
      "services:\n"
      "  truststram.service:\n"
      "    CPUAffinity: 0-7\n"
      "    NUMAPolicy: bind\n"
      "    NUMAMask: \"0\"\n"
      "    restart: on-change\n"
      "  ollama.service:\n"
      "    LimitNOFILE: 65536\n"
      "    LimitMEMLOCK: infinity\n"
      "environment:\n"
      "  ollama.service:\n"
      "    OLLAMA_NUM_PARALLEL: 2\n"
      "    OLLAMA_MAX_LOADED_MODELS: 1\n"
      "    OLLAMA_MODELS: /models\n"
      "    OLLAMA_KEEP_ALIVE: 24h\n"
      "boot:\n"
      "  hugepages: 1024\n");
  for (const auto& skip : p.skipped) {
    EXPECT_TRUE(skip.domain != "services" && skip.domain != "environment" && skip.domain != "boot")
        << skip.domain << " " << skip.target << ": " << skip.reason;
  }
  EXPECT_NE(change_at(p, "systemd", "restart truststram.service"), nullptr);
  EXPECT_EQ(*change_at(p, "environment", "ollama.service/OLLAMA_MODELS")->after, "/models");
  EXPECT_EQ(*change_at(p, "boot", "hugepages")->after, "1024");
}

TEST(UnitKnobs, RefuseTargetsThatAreNotUnitsAndKeys) {
  TempTree tree;
  RootedDoor door(tree.root());
  UnitSettingsKnob services("services");
  for (const char* target : {"../x/LimitNOFILE", "ollama.service/../../etc/passwd", "ollama/LimitNOFILE",
                             "ollama.service/limit nofile"}) {
    EXPECT_FALSE(services.observe(door, target)) << target;
  }
  SystemdKnob systemd;
  for (const char* target : {"restart ../../x", "reboot", "ollama.service/masked", "ollama/enabled"}) {
    EXPECT_FALSE(systemd.observe(door, target)) << target;
    Change change;
    change.target = target;
    change.after = "enabled";
    EXPECT_FALSE(systemd.apply(door, change)) << target;
  }
  EXPECT_TRUE(systemd.is_call(kDaemonReload));
  EXPECT_TRUE(systemd.is_call("restart ollama.service"));
  EXPECT_FALSE(systemd.is_call("ollama.service/enabled"));
}

}  // namespace
}  // namespace tune::linux_platform
