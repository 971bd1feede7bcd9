// The knowledge base: the shipped data loads, lookups prefer the most
// specific entry, paths map to settings, and values are judged by type,
// range and advice.
#include "core/knowledge.h"

#include "support/temp_tree.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace tune {
namespace {

// The YAML sources, parsed the slow way, as the build's packer reads them.
Knowledge parse_source_files() {
  std::vector<std::pair<std::string, std::string>> files;
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(testing::source_dir() + "/data/knowledge")) {
    if (entry.path().extension() == ".yaml") names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  for (const auto& name : names) files.emplace_back(name, testing::source_file("data/knowledge/" + name));
  auto parsed = Knowledge::parse(files);
  EXPECT_TRUE(parsed) << parsed.error().message;
  return parsed ? std::move(*parsed) : Knowledge::builtin();
}

TEST(Knowledge, PackingLosesNothing) {
  const Knowledge parsed = parse_source_files();
  auto unpacked = Knowledge::unpack(parsed.pack());
  ASSERT_TRUE(unpacked) << unpacked.error().message;
  EXPECT_EQ(unpacked->pack(), parsed.pack());
  ASSERT_EQ(unpacked->entries().size(), parsed.entries().size());
  const KnowledgeEntry* noop_advice = unpacked->find("block", "scheduler");
  ASSERT_TRUE(noop_advice);
  EXPECT_FALSE(noop_advice->advice.empty());
  EXPECT_EQ(unpacked->fact_names(), parsed.fact_names());
  EXPECT_TRUE(unpacked->known_fact("cpu.flag.avx2"));  // a prefix survives the trip
}

TEST(Knowledge, TheBuiltInCopyIsTheSourceFiles) {
  // The binary embeds what the build packed; it must be today's YAML.
  EXPECT_EQ(Knowledge::builtin().pack(), parse_source_files().pack());
}

TEST(Knowledge, DamagedPackedDataIsAnErrorNotACrash) {
  EXPECT_FALSE(Knowledge::unpack("not json"));
  EXPECT_FALSE(Knowledge::unpack("{\"format\": 2, \"entries\": [], \"facts\": []}"));
  auto missing = Knowledge::unpack("{\"format\": 1, \"entries\": [{\"domain\": \"cpu\"}], \"facts\": []}");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("packed knowledge"), std::string::npos);
}

TEST(Knowledge, ShippedDataLoads) {
  const Knowledge& knowledge = Knowledge::builtin();
  EXPECT_GT(knowledge.entries().size(), 200u);
  for (const char* domain : {"sysctl", "cpu", "block", "memory", "swap", "limits", "services", "environment", "boot", "power"}) {
    EXPECT_FALSE(knowledge.keys(domain).empty()) << domain;
  }
}

TEST(Knowledge, ExactKeysBeatPatternsAndLongerPatternsBeatShorter) {
  const Knowledge& knowledge = Knowledge::builtin();
  const KnowledgeEntry* context = knowledge.find("environment", "OLLAMA_CONTEXT_SIZE");
  ASSERT_TRUE(context);
  EXPECT_EQ(context->key, "OLLAMA_CONTEXT_SIZE");
  const KnowledgeEntry* unknown = knowledge.find("environment", "OLLAMA_GPU_SPLIT");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->key, "OLLAMA_*");
  EXPECT_EQ(unknown->status, Verdict::Nonexistent);
  const KnowledgeEntry* per_interface = knowledge.find("sysctl", "net.ipv4.conf.eth0.rp_filter");
  ASSERT_TRUE(per_interface);
  EXPECT_EQ(per_interface->key, "net.ipv4.conf.*.rp_filter");
  // In sysctl keys '*' stays within one dotted component.
  EXPECT_FALSE(knowledge.find("sysctl", "net.ipv4.conf.a.b.rp_filter"));
  EXPECT_FALSE(knowledge.find("sysctl", "vm.no_such_key"));
}

TEST(Knowledge, PathsMapToSettingsWithCaptures) {
  const Knowledge& knowledge = Knowledge::builtin();
  std::vector<std::string> captures;
  const KnowledgeEntry* scheduler = knowledge.find_by_path("/sys/block/nvme0n1/queue/scheduler", &captures);
  ASSERT_TRUE(scheduler);
  EXPECT_EQ(scheduler->domain, "block");
  EXPECT_EQ(captures, (std::vector<std::string>{"nvme0n1"}));
  const KnowledgeEntry* hugepages = knowledge.find_by_path("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", &captures);
  ASSERT_TRUE(hugepages);
  EXPECT_EQ(hugepages->key, "hugepages.count");
  EXPECT_EQ(captures, (std::vector<std::string>{"2048"}));
  const KnowledgeEntry* sysctl = knowledge.find_by_path("/proc/sys/vm/swappiness");
  ASSERT_TRUE(sysctl);
  EXPECT_EQ(sysctl->key, "vm.swappiness");
  EXPECT_TRUE(knowledge.find_by_path("/proc/sys/net/ipv4/conf/all/rp_filter"));
  EXPECT_FALSE(knowledge.find_by_path("/sys/unknown/file"));
}

TEST(Knowledge, ValuesAreCheckedByType) {
  KnowledgeEntry entry;
  entry.key = "k";
  entry.type = ValueType::Size;
  EXPECT_FALSE(Knowledge::check_value(entry, "8G"));
  EXPECT_FALSE(Knowledge::check_value(entry, "512MiB"));
  EXPECT_TRUE(Knowledge::check_value(entry, "8 gigs"));
  entry.type = ValueType::SizeOrPercent;
  EXPECT_FALSE(Knowledge::check_value(entry, "50%"));
  EXPECT_TRUE(Knowledge::check_value(entry, "500%"));
  entry.type = ValueType::Duration;
  EXPECT_FALSE(Knowledge::check_value(entry, "24h"));
  EXPECT_FALSE(Knowledge::check_value(entry, "-1"));
  EXPECT_FALSE(Knowledge::check_value(entry, "1h30m"));
  EXPECT_TRUE(Knowledge::check_value(entry, "a day"));
  entry.type = ValueType::CpuList;
  EXPECT_FALSE(Knowledge::check_value(entry, "0-7,16-23"));
  EXPECT_TRUE(Knowledge::check_value(entry, "0-"));
  entry.type = ValueType::Bool;
  EXPECT_FALSE(Knowledge::check_value(entry, "yes"));
  EXPECT_TRUE(Knowledge::check_value(entry, "maybe"));
  entry.type = ValueType::Path;
  EXPECT_TRUE(Knowledge::check_value(entry, "relative/path"));
  EXPECT_TRUE(Knowledge::check_value(entry, "/a/../etc"));
  entry.type = ValueType::Integer;
  entry.min = "0";
  entry.max = "18446744073709551615";
  EXPECT_FALSE(Knowledge::check_value(entry, "18446744073692774399"));
  EXPECT_EQ(*Knowledge::check_value(entry, "18446744073709551616"), "must be at most 18446744073709551615 (range 0 to 18446744073709551615)");
}

TEST(Knowledge, AdviceComesBeforeTheTypeCheck) {
  const Knowledge& knowledge = Knowledge::builtin();
  ValueJudgement noop = Knowledge::judge_value(*knowledge.find("block", "scheduler"), "noop");
  EXPECT_EQ(noop.verdict, Verdict::Mapped);
  EXPECT_EQ(noop.use, "none");
  ValueJudgement deadline = Knowledge::judge_value(*knowledge.find("block", "scheduler"), "deadline");
  EXPECT_EQ(deadline.use, "mq-deadline");
  ValueJudgement zero = Knowledge::judge_value(*knowledge.find("sysctl", "vm.swappiness"), "0");
  EXPECT_EQ(zero.verdict, Verdict::Risky);
  ValueJudgement one = Knowledge::judge_value(*knowledge.find("sysctl", "vm.swappiness"), "1");
  EXPECT_EQ(one.verdict, Verdict::Valid);
  EXPECT_NE(one.message.find("OOM"), std::string::npos) << one.message;  // 1 vs 0 is explained
  ValueJudgement file_max = Knowledge::judge_value(*knowledge.find("sysctl", "fs.file-max"), "2097152");
  EXPECT_EQ(file_max.verdict, Verdict::Risky);
  EXPECT_EQ(Knowledge::judge_value(*knowledge.find("sysctl", "fs.file-max"), "9223372036854775807").verdict, Verdict::Valid);
  EXPECT_EQ(Knowledge::judge_value(*knowledge.find("sysctl", "vm.swappiness"), "201").verdict, Verdict::OutOfRange);
}

TEST(Knowledge, BrokenDataIsReportedWithItsLine) {
  auto unknown_field = Knowledge::parse({{"x.yaml", "domain: sysctl\nsettings:\n  vm.a:\n    what: a\n    tpye: integer\n"}});
  ASSERT_FALSE(unknown_field);
  EXPECT_EQ(unknown_field.error().message, "x.yaml:5: vm.a: unknown field 'tpye' (did you mean 'type'?)");
  auto no_what = Knowledge::parse({{"x.yaml", "domain: sysctl\nsettings:\n  vm.a:\n    type: integer\n"}});
  ASSERT_FALSE(no_what);
  EXPECT_EQ(no_what.error().message, "x.yaml:3: vm.a: needs `what`");
  auto twice = Knowledge::parse({{"a.yaml", "domain: cpu\nsettings:\n  governor: { what: a }\n"},
                                 {"b.yaml", "domain: cpu\nsettings:\n  governor: { what: b }\n"}});
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().message, "b.yaml:3: cpu:governor is described twice");
}

TEST(Knowledge, WholeNumbersOfAnyLength) {
  EXPECT_EQ(compare_whole_numbers("18446744073709551616", "18446744073709551615"), 1);
  EXPECT_EQ(compare_whole_numbers("-5", "3"), -1);
  EXPECT_EQ(compare_whole_numbers("-5", "-30"), 1);
  EXPECT_EQ(compare_whole_numbers("007", "7"), 0);
  EXPECT_EQ(compare_whole_numbers("-0", "0"), 0);
  EXPECT_FALSE(compare_whole_numbers("1.5", "2"));
  EXPECT_EQ(parse_size("8G"), 8ull << 30);
  EXPECT_EQ(parse_size("4096"), 4096u);
  EXPECT_FALSE(parse_size("99999999999999999G"));
}

TEST(Knowledge, GlobsStayWithinSeparators) {
  std::vector<std::string> captures;
  EXPECT_TRUE(glob_match("/sys/devices/system/cpu/cpu*/cpufreq/scaling_governor",
                         "/sys/devices/system/cpu/cpu12/cpufreq/scaling_governor", '/', &captures));
  EXPECT_EQ(captures, (std::vector<std::string>{"12"}));
  EXPECT_FALSE(glob_match("/sys/block/*/queue/scheduler", "/sys/block/a/b/queue/scheduler", '/'));
  EXPECT_TRUE(glob_match("OLLAMA_*", "OLLAMA_A_B", '\0'));
}

TEST(Knowledge, FactsAreKnownByNameOrFamily) {
  const Knowledge& knowledge = Knowledge::builtin();
  EXPECT_TRUE(knowledge.known_fact("numa.nodes"));
  EXPECT_TRUE(knowledge.known_fact("cpu.flag.avx512f"));
  EXPECT_FALSE(knowledge.known_fact("cpu.flag."));
  EXPECT_FALSE(knowledge.known_fact("numa.node"));
}

}  // namespace
}  // namespace tune
