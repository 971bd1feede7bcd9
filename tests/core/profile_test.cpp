// The profile format: every domain's shape, and every validation error with
// its message and file:line:col.
#include "core/profile.h"
#include "core/profile_test_util.h"
#include "core/profile_variables.h"

#include <gtest/gtest.h>

namespace tune {
namespace {

using testing::find_setting;
using testing::parse_error;
using testing::parse_text;

bool has_warning(const Profile& profile, const std::string& needle) {
  for (const auto& warning : profile.warnings) {
    if (warning.find(needle) != std::string::npos) return true;
  }
  return false;
}

TEST(ProfileFormat, ReadsEveryDomainIntoSettings) {
  auto profile = parse_text(R"(name: all
summary: every domain
sysctl:
  vm.swappiness: 10
cpu:
  governor: { one_of: [performance, schedutil] }
  boost: true
block:
  nvme: { scheduler: none, read_ahead_kb: { at_least: 128 } }
  hdd: { scheduler: mq-deadline }
memory:
  transparent_hugepages: { enabled: madvise, defrag: defer+madvise }
  hugepages:
    2M: 512
    1G: { node0: 2, node1: 2 }
swap:
  swapfile: { size: 8G, path: /swapfile }
  zram: { size: 50%, algorithm: zstd }
limits:
  "*": { nofile: 65535 }
  "@ai": { memlock: { soft: unlimited, hard: unlimited } }
services:
  ollama.service:
    CPUAffinity: 0-7
    NUMAPolicy: preferred
    Environment: { OMP_NUM_THREADS: 8 }
environment:
  ollama.service: { OLLAMA_NUM_PARALLEL: 4 }
boot:
  transparent_hugepage: madvise
power:
  sleep: 0
)");
  ASSERT_TRUE(profile) << profile.error().message;
  EXPECT_EQ(profile->settings.size(), 24u);
  auto governor = find_setting(*profile, "cpu:governor");
  ASSERT_TRUE(governor);
  EXPECT_EQ(governor->want.op, Want::Op::OneOf);
  EXPECT_EQ(governor->want.values, (std::vector<std::string>{"performance", "schedutil"}));
  ASSERT_TRUE(find_setting(*profile, "block:nvme/scheduler"));
  EXPECT_EQ(find_setting(*profile, "block:nvme/read_ahead_kb")->want.op, Want::Op::AtLeast);
  EXPECT_TRUE(find_setting(*profile, "memory:transparent_hugepages.defrag"));
  EXPECT_EQ(find_setting(*profile, "memory:2M/hugepages.count")->want.values.at(0), "512");
  EXPECT_TRUE(find_setting(*profile, "memory:1G/hugepages.node1"));
  EXPECT_TRUE(find_setting(*profile, "swap:zram.algorithm"));
  EXPECT_TRUE(find_setting(*profile, "limits:*/nofile"));
  EXPECT_TRUE(find_setting(*profile, "limits:@ai/memlock.hard"));
  EXPECT_TRUE(find_setting(*profile, "services:ollama.service/NUMAPolicy"));
  // Environment under a service and under `environment` land in one domain.
  EXPECT_TRUE(find_setting(*profile, "environment:ollama.service/OMP_NUM_THREADS"));
  EXPECT_TRUE(find_setting(*profile, "environment:ollama.service/OLLAMA_NUM_PARALLEL"));
  auto boot = find_setting(*profile, "boot:transparent_hugepage");
  ASSERT_TRUE(boot);
  EXPECT_TRUE(boot->needs_reboot);
  EXPECT_TRUE(find_setting(*profile, "power:sleep"));
  for (const auto& setting : profile->settings) EXPECT_EQ(setting.profile, "all");
}

TEST(ProfileFormat, SwapSwappinessIsVmSwappiness) {
  auto profile = parse_text("name: s\nswap:\n  swappiness: 10\n");
  ASSERT_TRUE(profile) << profile.error().message;
  ASSERT_TRUE(find_setting(*profile, "sysctl:vm.swappiness"));
  EXPECT_EQ(parse_error("name: s\nsysctl:\n  vm.swappiness: 10\nswap:\n  swappiness: 1\n"),
            "t.yaml:5:3: swap swappiness is already set at t.yaml:3:3");
}

TEST(ProfileFormat, RecordsPositionsOfKeysAndValues) {
  auto profile = parse_text("name: p\nsysctl:\n  vm.swappiness:   10\n");
  ASSERT_TRUE(profile);
  const Setting& setting = profile->settings.at(0);
  EXPECT_EQ(setting.origin.str(), "t.yaml:3:3");
  EXPECT_EQ(setting.value_origin.str(), "t.yaml:3:20");
}

TEST(ProfileFormat, ValidateOnNamesTheDecidingMetrics) {
  auto profile = parse_profile("name: api\nvalidate_on: [itl_p99_ms, decode_tokens_per_s, itl_p99_ms]\n", "api.yaml");
  ASSERT_TRUE(profile) << profile.error().message;
  EXPECT_EQ(profile->validate_on, (std::vector<std::string>{"itl_p99_ms", "decode_tokens_per_s"}));
}

TEST(ProfileValidation, ValidateOnTakesOnlyMetricsAValidationMeasures) {
  EXPECT_EQ(parse_error("name: p\nvalidate_on: [itl_p90_ms]\n"),
            "t.yaml:2:15: validate_on: 'itl_p90_ms' is not a metric a validation can decide on (did you mean "
            "'itl_p50_ms'?)");
  EXPECT_EQ(parse_error("name: p\nvalidate_on: decode\n"), "t.yaml:2:14: validate_on must be a list of metric names");
  EXPECT_EQ(parse_error("name: p\nvalidate_on: []\n"), "t.yaml:2:14: validate_on must be a list of metric names");
}

TEST(ProfileValidation, UnknownTopLevelKeySuggestsTheClosest) {
  EXPECT_EQ(parse_error("name: p\nsysclt:\n  vm.swappiness: 10\n"),
            "t.yaml:2:1: unknown key 'sysclt' in the profile (did you mean 'sysctl'?)");
}

TEST(ProfileValidation, MisspelledSysctlKeySuggestsTheKnownOne) {
  EXPECT_EQ(parse_error("name: p\nsysctl:\n  vm.swapiness: 10\n"),
            "t.yaml:3:3: unknown sysctl key 'vm.swapiness' (did you mean 'vm.swappiness'?)");
}

TEST(ProfileValidation, SysctlKeyOutsideTheKnowledgeBaseNeedsUnchecked) {
  std::string error = parse_error("name: p\nsysctl:\n  net.example.made_up_key: 1\n");
  EXPECT_EQ(error.rfind("t.yaml:3:3: unknown sysctl key 'net.example.made_up_key': ", 0), 0u) << error;
  EXPECT_NE(error.find("unchecked: true"), std::string::npos);
  auto profile = parse_text("name: p\nsysctl:\n  net.example.made_up_key: { value: 1, unchecked: true }\n");
  ASSERT_TRUE(profile) << profile.error().message;
  EXPECT_TRUE(has_warning(*profile, "not in tune's knowledge base"));
}

TEST(ProfileValidation, NotASysctlKey) {
  EXPECT_EQ(parse_error("name: p\nsysctl:\n  swappiness: 10\n"),
            "t.yaml:3:3: 'swappiness' is not a sysctl key (they look like vm.swappiness)");
}

TEST(ProfileValidation, WrongTypeNamesTheValuePosition) {
  EXPECT_EQ(parse_error("name: p\nsysctl:\n  vm.swappiness: lots\n"),
            "t.yaml:3:18: sysctl vm.swappiness must be a whole number, not 'lots'");
}

TEST(ProfileValidation, OutOfRangeGivesTheRange) {
  EXPECT_EQ(parse_error("name: p\nsysctl:\n  vm.swappiness: 300\n"),
            "t.yaml:3:18: sysctl vm.swappiness must be at most 200 (range 0 to 200)");
  EXPECT_EQ(parse_error("name: p\ncpu:\n  max_perf_pct: { at_least: 101 }\n"),
            "t.yaml:3:17: cpu max_perf_pct must be at most 100 (range 0 to 100)");
}

TEST(ProfileValidation, FieldCountOfMultiNumberValues) {
  EXPECT_EQ(parse_error("name: p\nsysctl:\n  net.ipv4.tcp_rmem: 4096 87380\n"),
            "t.yaml:3:22: sysctl net.ipv4.tcp_rmem must be 3 whole numbers separated by spaces, not '4096 87380'");
}

TEST(ProfileValidation, EnumSuggestsTheClosestValue) {
  EXPECT_EQ(parse_error("name: p\ncpu:\n  governor: performnce\n"),
            "t.yaml:3:13: cpu governor must be one of performance, powersave, schedutil, ondemand, conservative, "
            "userspace, not 'performnce' (did you mean 'performance'?)");
}

TEST(ProfileValidation, BoundsNeedNumbers) {
  EXPECT_EQ(parse_error("name: p\ncpu:\n  governor: { at_least: 3 }\n"),
            "t.yaml:3:13: cpu governor: at_least needs a setting that takes numbers; governor takes enum values");
  EXPECT_EQ(parse_error("name: p\nsysctl:\n  vm.swappiness: { at_least: ten }\n"),
            "t.yaml:3:30: sysctl vm.swappiness: at_least needs a whole number, not 'ten'");
}

TEST(ProfileValidation, ValueFormsAreStrict) {
  EXPECT_EQ(parse_error("name: p\nsysctl:\n  vm.swappiness: { at_least: 1, at_most: 20 }\n"),
            "t.yaml:3:18: sysctl vm.swappiness: give exactly one of value, at_least, at_most, one_of");
  EXPECT_EQ(parse_error("name: p\nsysctl:\n  vm.swappiness: [1, 10]\n"),
            "t.yaml:3:18: sysctl vm.swappiness: a list of alternatives is written { one_of: [...] }");
  EXPECT_EQ(parse_error("name: p\nsysctl:\n  vm.swappiness: { atleast: 1 }\n"),
            "t.yaml:3:20: unknown key 'atleast' in sysctl vm.swappiness (did you mean 'at_least'?)");
  EXPECT_EQ(parse_error("name: p\nsysctl:\n  vm.swappiness:\n"), "t.yaml:3:3: sysctl vm.swappiness needs a value");
  EXPECT_EQ(parse_error("name: p\nsysctl:\n  vm.swappiness: { one_of: [] }\n"),
            "t.yaml:3:28: sysctl vm.swappiness: one_of needs a non-empty list");
}

TEST(ProfileValidation, DuplicateKeysAreRefused) {
  EXPECT_EQ(parse_error("name: p\nsysctl:\n  vm.swappiness: 10\n  vm.swappiness: 20\n"),
            "t.yaml:4:3: duplicate key 'vm.swappiness' in sysctl");
}

TEST(ProfileValidation, ObsoleteSchedulerKeysWarnAndPointToDebugfs) {
  // Kernels before 5.13 still have them, so the profile stays valid; the
  // warning says what happened, and plans skip them where they are gone.
  auto profile = parse_text("name: p\nsysctl:\n  kernel.sched_min_granularity_ns: 10000000\n");
  ASSERT_TRUE(profile) << profile.error().message;
  ASSERT_EQ(profile->warnings.size(), 1u);
  const std::string& warning = profile->warnings[0];
  EXPECT_EQ(warning.rfind("t.yaml:3:3: sysctl kernel.sched_min_granularity_ns is obsolete: ", 0), 0u) << warning;
  EXPECT_NE(warning.find("5.13"), std::string::npos);
  EXPECT_NE(warning.find("/sys/kernel/debug/sched/"), std::string::npos);
  EXPECT_EQ(profile->settings.size(), 1u);
  for (const char* key : {"kernel.sched_wakeup_granularity_ns", "kernel.sched_latency_ns", "kernel.sched_migration_cost_ns"}) {
    auto other = parse_text(std::string("name: p\nsysctl:\n  ") + key + ": 1\n");
    ASSERT_TRUE(other) << key;
    EXPECT_TRUE(has_warning(*other, "is obsolete")) << key;
  }
}

TEST(ProfileValidation, TcpTwRecycleWarnsThatItWasRemoved) {
  auto profile = parse_text("name: p\nsysctl:\n  net.ipv4.tcp_tw_recycle: 1\n");
  ASSERT_TRUE(profile) << profile.error().message;
  EXPECT_TRUE(has_warning(*profile, "is obsolete: Removed in Linux 4.12"));
  EXPECT_TRUE(has_warning(*profile, "net.ipv4.tcp_tw_reuse"));
}

TEST(ProfileValidation, CompressedMemoryDoesNotExist) {
  std::string error = parse_error("name: p\nsysctl:\n  vm.compressed_memory: 1\n");
  EXPECT_NE(error.find("sysctl vm.compressed_memory is nonexistent: There is no vm.compressed_memory on Linux"),
            std::string::npos)
      << error;
  EXPECT_NE(error.find("zram"), std::string::npos);
}

TEST(ProfileValidation, LegacySchedulerNamesAreWarningsThatSayTheModernName) {
  auto profile = parse_text("name: p\nblock:\n  nvme: { scheduler: noop }\n  hdd: { scheduler: cfq }\n");
  ASSERT_TRUE(profile) << profile.error().message;
  ASSERT_EQ(profile->warnings.size(), 2u);
  EXPECT_EQ(profile->warnings[0].rfind("t.yaml:3:22: old name: block nvme scheduler = noop: noop went away with the legacy block layer", 0), 0u)
      << profile->warnings[0];
  EXPECT_NE(profile->warnings[0].find("write 'none'."), std::string::npos);
  EXPECT_NE(profile->warnings[1].find("write 'bfq'."), std::string::npos);
}

TEST(ProfileValidation, RiskyValuesAreWarningsWithPositions) {
  auto profile = parse_text("name: p\nsysctl:\n  vm.swappiness: 0\n  fs.file-max: 2097152\n");
  ASSERT_TRUE(profile) << profile.error().message;
  ASSERT_EQ(profile->warnings.size(), 2u);
  EXPECT_EQ(profile->warnings[0].rfind("t.yaml:3:18: risky: sysctl vm.swappiness = 0: 0 does not turn swap off", 0), 0u)
      << profile->warnings[0];
  EXPECT_NE(profile->warnings[1].find("systemd 240"), std::string::npos) << profile->warnings[1];
  auto one = parse_text("name: p\nsysctl:\n  vm.swappiness: 1\n");
  ASSERT_TRUE(one);
  EXPECT_TRUE(one->warnings.empty());
}

TEST(ProfileValidation, LowerBoundsNeverLowerAnything) {
  // 2048 is below the modern default, but { at_least: 2048 } only raises.
  auto bound = parse_text("name: p\nsysctl:\n  net.core.somaxconn: { at_least: 2048 }\n");
  ASSERT_TRUE(bound);
  EXPECT_TRUE(bound->warnings.empty());
  auto exact = parse_text("name: p\nsysctl:\n  net.core.somaxconn: 2048\n");
  ASSERT_TRUE(exact);
  EXPECT_TRUE(has_warning(*exact, "already default to 4096"));
}

TEST(ProfileValidation, ThpAlwaysIsRiskyAndMadviseIsNot) {
  auto always = parse_text("name: p\nmemory:\n  transparent_hugepages: always\n");
  ASSERT_TRUE(always) << always.error().message;
  EXPECT_TRUE(has_warning(*always, "madvise gives huge pages to the programs that ask"));
  auto madvise = parse_text("name: p\nmemory:\n  transparent_hugepages: madvise\n");
  ASSERT_TRUE(madvise);
  EXPECT_TRUE(madvise->warnings.empty());
}

TEST(ProfileValidation, NofileCannotBeUnlimited) {
  EXPECT_EQ(parse_error("name: p\nlimits:\n  \"*\": { nofile: unlimited }\n"),
            "t.yaml:3:18: limits * nofile cannot be unlimited: the kernel caps it at 1073741816; give a number");
  EXPECT_EQ(parse_error("name: p\nlimits:\n  \"bad user\": { nofile: 1024 }\n"),
            "t.yaml:3:3: limits: 'bad user' is not \"*\", a user name or @group");
  EXPECT_EQ(parse_error("name: p\nlimits:\n  \"*\": { nofiles: 1024 }\n"),
            "t.yaml:3:10: unknown key 'nofiles' in limits * (did you mean 'nofile'?)");
}

TEST(ProfileValidation, ServicesAreCheckedAgainstSystemdDirectives) {
  EXPECT_EQ(parse_error("name: p\nservices:\n  ollama.service: { CPUAfinity: 0-3 }\n"),
            "t.yaml:3:21: unknown key 'CPUAfinity' in services ollama.service (did you mean 'CPUAffinity'?)");
  EXPECT_EQ(parse_error("name: p\nservices:\n  ollama: { Nice: 5 }\n"),
            "t.yaml:3:3: services: 'ollama' is not a systemd unit name (such as ollama.service) or launchd label");
  EXPECT_EQ(parse_error("name: p\nservices:\n  ollama.service: { Nice: -30 }\n"),
            "t.yaml:3:27: services ollama.service Nice must be at least -20 (range -20 to 19)");
  EXPECT_EQ(parse_error("name: p\nservices:\n  ollama.service: { CPUAffinity: 7-3 }\n"),
            "t.yaml:3:34: services ollama.service CPUAffinity must be a CPU list such as 0-7,16-23, not '7-3'");
  auto realtime = parse_text("name: p\nservices:\n  db.service: { CPUSchedulingPolicy: fifo }\n");
  ASSERT_TRUE(realtime) << realtime.error().message;
  EXPECT_TRUE(has_warning(*realtime, "Realtime policies"));
}

TEST(ProfileValidation, OllamaVariablesMustBeOnesOllamaReads) {
  std::string renamed = parse_error("name: p\nenvironment:\n  ollama.service: { OLLAMA_CONTEXT_SIZE: 4096 }\n");
  EXPECT_NE(renamed.find("OLLAMA_CONTEXT_LENGTH"), std::string::npos) << renamed;
  std::string made_up = parse_error("name: p\nenvironment:\n  ollama.service: { OLLAMA_BATCH_SIZE: 512 }\n");
  EXPECT_EQ(made_up.rfind("t.yaml:3:21: environment ollama.service OLLAMA_BATCH_SIZE: Ollama reads no such variable", 0), 0u)
      << made_up;
  auto custom = parse_text("name: p\nenvironment:\n  app.service: { MY_APP_WORKERS: 4 }\n");
  ASSERT_TRUE(custom) << custom.error().message;
  EXPECT_TRUE(has_warning(*custom, "passed to the service unchecked"));
  EXPECT_EQ(parse_error("name: p\nenvironment:\n  app.service: { 1BAD: 4 }\n"),
            "t.yaml:3:18: '1BAD' is not an environment variable name (letters, digits and _)");
}

TEST(ProfileValidation, HugepageSizesAndNodes) {
  EXPECT_EQ(parse_error("name: p\nmemory:\n  hugepages: { 3M: 10 }\n"),
            "t.yaml:3:16: hugepage size '3M' is not one Linux offers (64K, 2M, 32M, 512M, 1G, 16G) (did you mean '2M'?)");
  EXPECT_EQ(parse_error("name: p\nmemory:\n  hugepages: { 1G: { nodeA: 1 } }\n"),
            "t.yaml:3:22: memory hugepages 1G: 'nodeA' is neither count nor a NUMA node (node0, node1, ...)");
  EXPECT_EQ(parse_error("name: p\nmemory:\n  hugepages: { 1G: { count: 4, node0: 1 } }\n"),
            "t.yaml:3:16: memory hugepages 1G: give either count or per-node counts, not both");
}

TEST(ProfileValidation, BootParametersAreKnownOnes) {
  EXPECT_EQ(parse_error("name: p\nboot:\n  transparent_hugepages: never\n"),
            "t.yaml:3:3: unknown key 'transparent_hugepages' in boot (did you mean 'transparent_hugepage'?)");
  auto mitigations = parse_text("name: p\nboot:\n  mitigations: \"off\"\n");
  ASSERT_TRUE(mitigations);
  EXPECT_TRUE(has_warning(*mitigations, "Spectre"));
}

TEST(ProfileValidation, ConditionsNameKnownFacts) {
  EXPECT_EQ(parse_error("name: p\nsysctl:\n  when: { numa.node: \">=2\" }\n  vm.swappiness: 10\n"),
            "t.yaml:3:11: unknown fact 'numa.node' (did you mean 'numa.nodes'?)");
  auto far = parse_text("name: p\nsysctl:\n  when: { rack.position: top }\n  vm.swappiness: 10\n");
  ASSERT_TRUE(far) << far.error().message;
  EXPECT_TRUE(has_warning(*far, "fact 'rack.position' is not one tune detects"));
  EXPECT_EQ(parse_error("name: p\nsysctl:\n  vm.swappiness: { value: 10, when: { numa.nodes: \">=two\" } }\n"),
            "t.yaml:3:51: condition on 'numa.nodes': '>=' compares numbers, not 'two'");
}

TEST(ProfileValidation, SectionScopeAndSettingConditionsCombine) {
  auto profile = parse_text(R"(name: p
block:
  when: { virtualization: none }
  nvme:
    when: { block.nvme: ">=1" }
    scheduler: { value: none, when: { kernel.major: ">=5" } }
)");
  ASSERT_TRUE(profile) << profile.error().message;
  const Setting* setting = find_setting(*profile, "block:nvme/scheduler");
  ASSERT_TRUE(setting);
  ASSERT_EQ(setting->when.size(), 3u);
  EXPECT_EQ(setting->when[0].fact, "virtualization");
  EXPECT_EQ(setting->when[1].fact, "block.nvme");
  EXPECT_EQ(setting->when[2].fact, "kernel.major");
}

TEST(ProfileValidation, VariablesAreNamedSimply) {
  EXPECT_EQ(parse_error("name: p\nvariables:\n  Threads: 4\n"),
            "t.yaml:3:3: variable name 'Threads' must be lowercase letters, digits and _ (and not 'facts')");
  EXPECT_EQ(parse_error("name: p\nvariables:\n  threads: [4]\n"), "t.yaml:3:12: variable threads must be a single value");
}

TEST(ProfileValidation, ProfileLevelErrors) {
  EXPECT_EQ(parse_error("summary: no name\n"), "t.yaml: the profile has no name");
  EXPECT_EQ(parse_error("name: a/b\n"), "t.yaml: profile name 'a/b' may hold only letters, digits, '-' and '_'");
  EXPECT_EQ(parse_error("- a\n- b\n"), "t.yaml: a profile must be a mapping (name:, summary:, sysctl:...)");
  EXPECT_EQ(parse_error("name: p\nextends: [a, a]\n"), "t.yaml:2:10: extends lists 'a' twice");
  EXPECT_EQ(parse_error("name: p\nmatch:\n  - when: { os: debian }\n"), "t.yaml:3:5: a match rule needs a score");
}

TEST(ProfileValidation, YamlSyntaxErrorsHavePositions) {
  std::string error = parse_error("name: p\nsysctl:\n  vm.swappiness: [10\n");
  EXPECT_EQ(error.rfind("t.yaml:4:1: ", 0), 0u) << error;
}

TEST(ProfileValidation, DeepNestingIsRefusedWithoutCrashing) {
  std::string deep = "name: p\nsysctl: " + std::string(100000, '[') + "\n";
  EXPECT_EQ(parse_error(deep), "t.yaml: nested more than 64 levels deep");
  std::string dashes = "name: p\nsysctl:\n";
  for (int i = 0; i < 300; ++i) dashes += "- ";
  EXPECT_EQ(parse_error(dashes + "x\n"), "t.yaml: nested more than 64 levels deep");
}

TEST(ProfileValidation, ControlBytesInAValueAreRefusedWhereTheyAre) {
  std::string nul = "name: p\nsysctl:\n  vm.swappiness: \"1\\0\\nvm.overcommit_memory = 1\"\n";
  EXPECT_EQ(parse_error(nul).rfind("t.yaml:3:18: sysctl vm.swappiness: a value must be UTF-8 text without control characters", 0), 0u)
      << parse_error(nul);
  std::string escape = "name: p\nsysctl:\n  vm.swappiness: \"10\\e[8m\"\n";
  EXPECT_NE(parse_error(escape).find("without control characters"), std::string::npos) << parse_error(escape);
  std::string latin1 = "name: p\nsysctl:\n  kernel.hostname: caf\xe9\n";
  EXPECT_NE(parse_error(latin1).find("t.yaml:3:20: sysctl kernel.hostname: a value must be UTF-8"), std::string::npos)
      << parse_error(latin1);
  std::string variable = "name: p\nvariables:\n  v: \"a\\u0007\"\n";
  EXPECT_NE(parse_error(variable).find("variable v must be UTF-8 text without control characters"), std::string::npos);
}

TEST(ProfileValidation, ASecondYamlDocumentIsRefusedNotIgnored) {
  EXPECT_EQ(parse_error("name: p\nsysctl:\n  vm.swappiness: 10\n---\nsysctl:\n  vm.swappiness: 0\n"),
            "t.yaml: holds more than one YAML document; a profile is one");
}

// yaml-cpp's LoadAll never returns on these (found by profile_loader_fuzz).
TEST(ProfileValidation, TextYamlCppCannotGetPastIsAnErrorNotAHang) {
  EXPECT_EQ(parse_error(","), "t.yaml:1:1: unexpected character");
  EXPECT_EQ(parse_error("\n\n  ,"), "t.yaml:3:3: unexpected character");
}

TEST(ProfileValidation, VariablesThatMultiplyAValueAreRefused) {
  std::string text = "name: p\nvariables:\n";
  text += "  a: \"0123456789012345678901234567890123456789\"\n";
  for (char name = 'b'; name <= 'h'; ++name) {
    const char previous = static_cast<char>(name - 1);
    text += std::string("  ") + name + ": \"${" + previous + "}${" + previous + "}${" + previous + "}${" + previous + "}\"\n";
  }
  text += "environment:\n  x.service:\n    V: ${h}\n";
  auto profile = parse_text(text);
  ASSERT_TRUE(profile);  // variables are filled in when the profile is resolved
  Profile resolved = *profile;
  auto status = substitute_variables(resolved);
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("grows past 64 KiB"), std::string::npos) << status.error().message;
}

}  // namespace
}  // namespace tune
