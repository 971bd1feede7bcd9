// The five guides tune grew from (shared/seeds) are the audit's first
// corpus: every concrete setting in them gets a verdict other than unknown,
// and the ones the review (review-002-004.md) lists are found where they are,
// with the verdict the kernel's documentation supports.
#include "audit/audit.h"

#include "core/profile_store.h"
#include "util/text.h"
#include "support/corpora.h"
#include "support/temp_tree.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <regex>
#include <set>
#include <filesystem>

namespace tune::audit {
namespace {

namespace fs = std::filesystem;

// The guides, copied into tests/fixtures/seeds.
std::string seeds_dir() { return testing::seeds_dir(); }

std::vector<Finding> audit_seed(const std::string& prefix) {
  const std::string dir = seeds_dir();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && entry.path().extension() == ".txt") {
      auto text = read_input_file(entry.path().string());
      EXPECT_TRUE(text);
      return audit_text(*text, name, nullptr);
    }
  }
  ADD_FAILURE() << "no seed " << prefix << "_*.txt in " << dir;
  return {};
}

class SeedCorpus : public ::testing::Test {};

TEST_F(SeedCorpus, EverySettingGetsAVerdict) {
  size_t total = 0;
  for (const char* seed : {"000", "001", "002", "003", "004"}) {
    for (const auto& finding : audit_seed(seed)) {
      if (finding.kind != FindingKind::Setting) continue;
      ++total;
      EXPECT_NE(finding.verdict, Verdict::NotJudged)
          << finding.item.where() << ": " << finding.item.text << " -> " << finding.message;
      EXPECT_FALSE(finding.message.empty() && finding.verdict != Verdict::Valid) << finding.item.where();
    }
  }
  EXPECT_GE(total, 200u);  // the guides hold over two hundred concrete settings
}

// Lines that set something, found without the audit's own line reader: a
// deliberately plain detector per fenced block language, so that a line the
// audit forgets to account for shows up here.
std::set<int> setting_lines(const std::string& text) {
  static const std::regex kFence(R"re(^\s*```\s*(\S*).*$)re");
  static const std::regex kShell(
      R"re(^(sudo\s+)?(sysctl\s+(-w\s+)?[a-z]+\.\S+=|sysctl\s+-p|(echo|printf)\s.*(>(?!\s*/dev/null)|\btee\b)|ulimit\s+-[a-z]+\s+\S|export\s+[A-Za-z_]+=|blockdev\s+--set|ethtool\s+-[KGC]|cpupower\s+frequency-set|swapon\s+/|mkswap|fallocate|mount\s+-o|numactl\s+--(cpunodebind|membind|physcpubind|interleave)|taskset|renice|systemctl\s+(enable|disable|mask)|sed\s+-i|defaults\s+write|pmset\s+-|powercfg\s+/(setactive|change|setacvalueindex)|Set-ItemProperty|New-ItemProperty|Add-MpPreference|Set-Service|launchctl\s+(limit|setenv)))re");
  static const std::regex kConfig(R"re(^([a-z]+\.[a-z0-9_.\-]+\s*=\s*\S|[A-Z][A-Za-z]+=\S|(\*|@?[a-z]+)\s+(soft|hard|-)\s+[a-z]+\s+\S|ENV\s|[A-Z][A-Z0-9_]*=\S+$))re");
  static const std::regex kYaml(R"re(^-?\s*[a-z_][A-Za-z0-9_]*:\s+[^|>\s#])re");
  static const std::regex kPython(R"re(os\.environ\[.*\]\s*=[^=]|"num_(gpu|thread|ctx|batch)"\s*:)re");
  std::set<int> found;
  auto lines = split_lines(text);
  std::string language;
  bool in_fence = false, yaml_configures = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (std::regex_match(lines[i], m, kFence)) {
      in_fence = !in_fence;
      language = in_fence ? m[1].str() : "";
      // A YAML block configures when its first key is an identifier
      // (benchmark figures and hardware lists start "CPU: 4 cores").
      yaml_configures = false;
      for (size_t j = i + 1; in_fence && j < lines.size(); ++j) {
        std::string first = trim(lines[j]);
        if (first.empty() || first[0] == '#') continue;
        yaml_configures = std::regex_search(first, kYaml) || (first.back() == ':' && std::islower(static_cast<unsigned char>(first[0])));
        break;
      }
      continue;
    }
    const std::string line = trim(lines[i]);
    if (!in_fence || line.empty() || line[0] == '#') continue;
    const int number = static_cast<int>(i) + 1;
    // A continued command or directive is judged on its first line.
    const std::string previous = i > 0 ? trim(lines[i - 1]) : "";
    if (!previous.empty() && previous.back() == '\\') continue;
    if (language == "nginx" && !previous.empty() && previous.back() != ';' && previous.back() != '{' &&
        previous.back() != '}' && previous[0] != '#') {
      continue;
    }
    if (language == "bash" || language == "powershell" || language == "dockerfile" || language == "ini") {
      std::string code = line;
      if (code.rfind("RUN ", 0) == 0) code = code.substr(4);
      // A NAME=value that a later line reads as $NAME is the script's own variable.
      static const std::regex kAssignment(R"re(^([A-Z_][A-Z0-9_]*)=\S+$)re");
      if (std::regex_match(code, m, kAssignment) && text.find("$" + m[1].str()) != std::string::npos) continue;
      if (std::regex_search(code, kShell) || std::regex_search(code, kConfig)) found.insert(number);
    } else if (language == "yaml" && yaml_configures) {
      if (std::regex_search(line, kYaml)) found.insert(number);
    } else if (language == "nginx") {
      if (line.back() == ';') found.insert(number);
    } else if (language == "python") {
      if (std::regex_search(line, kPython)) found.insert(number);
    }
  }
  return found;
}

struct Expected {
  const char* seed;
  int line;
  const char* domain;
  const char* key;
  Verdict verdict;
};

// Lines the review names (and the two guides it did not review), with the
// verdict tune gives.
const Expected kExpected[] = {
    // 003's sysctl block (review 1.1)
    {"003", 68, "sysctl", "net.core.rmem_max", Verdict::Valid},
    {"003", 70, "sysctl", "net.core.rmem_default", Verdict::Valid},
    {"003", 73, "sysctl", "net.core.somaxconn", Verdict::Valid},
    {"003", 76, "sysctl", "net.ipv4.tcp_rmem", Verdict::Valid},
    {"003", 78, "sysctl", "net.ipv4.tcp_congestion_control", Verdict::Valid},
    {"003", 80, "sysctl", "net.ipv4.tcp_tw_reuse", Verdict::Valid},
    {"003", 84, "sysctl", "net.ipv4.tcp_keepalive_intvl", Verdict::Valid},
    {"003", 87, "sysctl", "fs.file-max", Verdict::Risky},
    {"003", 88, "sysctl", "fs.inotify.max_user_watches", Verdict::Valid},
    {"003", 92, "sysctl", "vm.overcommit_memory", Verdict::Risky},
    {"003", 95, "sysctl", "net.ipv4.conf.default.rp_filter", Verdict::Risky},
    {"003", 96, "sysctl", "net.ipv4.conf.all.rp_filter", Verdict::Risky},
    {"003", 98, "sysctl", "net.ipv4.conf.default.accept_redirects", Verdict::Valid},
    // governor, THP, scheduler, hugepages (1.3 - 1.6)
    {"003", 105, "cpu", "governor", Verdict::Valid},
    {"003", 108, "memory", "transparent_hugepages.enabled", Verdict::Valid},
    {"003", 109, "memory", "transparent_hugepages.defrag", Verdict::Valid},
    {"003", 112, "block", "scheduler", Verdict::Mapped},
    {"003", 165, "memory", "hugepages.count", Verdict::Valid},
    {"003", 168, "boot", "hugepages", Verdict::Valid},
    {"003", 168, "command", "grub.cmdline", Verdict::Mapped},
    {"003", 172, "sysctl", "vm.overcommit_memory", Verdict::Risky},
    {"003", 173, "sysctl", "vm.overcommit_ratio", Verdict::NoEffect}  /* overcommit_memory = 1 on line 172 */,
    {"003", 176, "memory", "transparent_hugepages.khugepaged_defrag", Verdict::NoEffect}  /* THP never on line 108 */,
    {"003", 177, "sysctl", "vm.compaction_proactiveness", Verdict::Risky},
    // NUMA drop-ins (1.9)
    {"003", 134, "command", "process.numactl", Verdict::Mapped},
    {"003", 135, "services", "CPUAffinity", Verdict::Valid},
    // NIC (1.8)
    {"003", 887, "command", "nic.ring", Verdict::Valid},
    {"003", 892, "command", "nic.lro", Verdict::Risky},
    {"003", 896, "command", "nic.coalesce", Verdict::Valid},
    {"003", 904, "sysfs", "net.rps_cpus", Verdict::Risky},
    {"003", 910, "sysctl", "net.core.rmem_default", Verdict::Risky},
    // storage (1.6, 1.7)
    {"003", 928, "block", "scheduler", Verdict::Mapped},
    {"003", 931, "block", "nr_requests", Verdict::Risky},
    {"003", 934, "block", "add_random", Verdict::Valid},
    {"003", 937, "block", "read_ahead_kb", Verdict::Valid},
    {"003", 942, "command", "mount.barrier", Verdict::Risky},
    {"003", 942, "command", "mount.nodiratime", Verdict::Mapped},
    // PostgreSQL drop-in (1.9)
    {"003", 951, "services", "IOSchedulingClass", Verdict::Risky},
    {"003", 954, "services", "MemoryDenyWriteExecute", Verdict::NoEffect}  /* false is the default */,
    {"003", 956, "services", "CPUSchedulingPolicy", Verdict::Risky},
    // 002: container environment (1.13, 1.14)
    {"002", 1110, "environment", "MALLOC_ARENA_MAX", Verdict::Valid},
    {"002", 1158, "environment", "OLLAMA_NUM_PARALLEL", Verdict::Valid},
    {"002", 1159, "environment", "OLLAMA_MAX_LOADED_MODELS", Verdict::Valid},
    // 001's kernel tuning script
    {"001", 982, "sysctl", "net.core.somaxconn", Verdict::Valid},
    {"001", 983, "sysctl", "net.ipv4.tcp_max_syn_backlog", Verdict::Valid},
    {"001", 991, "sysctl", "vm.swappiness", Verdict::Valid},
    {"001", 994, "sysctl", "vm.overcommit_memory", Verdict::Risky},
    {"001", 997, "sysctl", "fs.file-max", Verdict::Risky},
    {"001", 998, "limits", "nofile.soft", Verdict::Valid},
    {"001", 1005, "cpu", "governor", Verdict::Valid},
    {"001", 1035, "environment", "OMP_NUM_THREADS", Verdict::Valid},
    // 000: the ABOV3 guide
    {"000", 146, "sysctl", "vm.swappiness", Verdict::Valid},
    {"000", 149, "sysctl", "vm.compressed_memory", Verdict::Nonexistent},
    {"000", 179, "block", "scheduler", Verdict::Mapped},
    {"000", 180, "sysfs", "block.rotational", Verdict::Risky},
    {"000", 229, "environment", "OLLAMA_MAX_MEMORY", Verdict::Nonexistent},
    {"000", 230, "environment", "OLLAMA_CONTEXT_SIZE", Verdict::Mapped},
    {"000", 586, "sysfs", "intel_pstate.no_turbo", Verdict::Risky},
    {"000", 596, "power", "scheme_guid", Verdict::Mapped},
    {"000", 603, "power", "core_parking_min_cores_pct", Verdict::Valid},
    {"000", 680, "sysctl", "net.core.rmem_max", Verdict::Valid},
    {"000", 1827, "sysctl", "kernel.sched_autogroup_enabled", Verdict::Valid},
    {"000", 1828, "sysctl", "kernel.sched_child_runs_first", Verdict::Obsolete},
    {"000", 1829, "sysctl", "kernel.sched_latency_ns", Verdict::Obsolete},
    {"000", 1830, "sysctl", "kernel.sched_min_granularity_ns", Verdict::Obsolete},
    {"000", 1831, "sysctl", "kernel.sched_wakeup_granularity_ns", Verdict::Obsolete},
    {"000", 1846, "sysctl", "vm.page-cluster", Verdict::NoEffect}  /* 3 is the default */,
    {"000", 1864, "sysctl", "net.ipv4.tcp_congestion_control", Verdict::Valid},
    {"000", 1865, "sysctl", "net.core.default_qdisc", Verdict::Valid},
    {"000", 1879, "block", "scheduler", Verdict::Mapped},
    {"000", 1886, "block", "scheduler", Verdict::Valid},
    {"000", 1904, "sysctl", "fs.nr_open", Verdict::Risky},
    {"000", 1922, "limits", "memlock.soft", Verdict::Risky},
    {"000", 1942, "environment", "OLLAMA_MAX_MEMORY", Verdict::Nonexistent},
    {"000", 1946, "services", "LimitNOFILE", Verdict::Valid},
    {"000", 1950, "services", "IOSchedulingClass", Verdict::Risky},
    {"000", 2004, "power", "standby", Verdict::Valid},
    {"000", 2016, "command", "launchd.conf", Verdict::Obsolete},
    {"000", 2016, "limits", "nofile", Verdict::Valid},
    {"000", 140, "swap", "swapfile.size", Verdict::Valid},
};

TEST_F(SeedCorpus, TheReviewedSettingsAreFoundWithTheirVerdicts) {
  std::map<std::string, std::vector<Finding>> by_seed;
  for (const char* seed : {"000", "001", "002", "003"}) by_seed[seed] = audit_seed(seed);
  for (const auto& expected : kExpected) {
    const auto& findings = by_seed[expected.seed];
    auto found = std::find_if(findings.begin(), findings.end(), [&](const Finding& finding) {
      return finding.kind == FindingKind::Setting && finding.item.line == expected.line && finding.item.domain == expected.domain && finding.item.key == expected.key;
    });
    if (found == findings.end()) {
      ADD_FAILURE() << expected.seed << ":" << expected.line << " " << expected.domain << " " << expected.key << " not found";
      continue;
    }
    EXPECT_EQ(verdict_name(found->verdict), std::string(verdict_name(expected.verdict)))
        << expected.seed << ":" << expected.line << " " << expected.key << ": " << found->message;
  }
}

// Every line of each guide that sets something has a verdict or is counted
// as not judged, and the summary's totals add up to those lines.
TEST_F(SeedCorpus, EveryLineThatSetsSomethingIsJudgedOrCounted) {
  for (const char* seed : {"000", "001", "002", "003", "004"}) {
    std::string text;
    for (const auto& entry : fs::directory_iterator(seeds_dir())) {
      if (entry.path().filename().string().rfind(seed, 0) == 0) text = *read_input_file(entry.path().string());
    }
    ASSERT_FALSE(text.empty()) << seed;
    const auto findings = audit_seed(seed);
    std::set<int> accounted, judged;
    for (const auto& finding : findings) {
      accounted.insert(finding.item.line);
      if (finding.verdict != Verdict::NotJudged) judged.insert(finding.item.line);
      if (finding.verdict == Verdict::NotJudged) {
        EXPECT_FALSE(finding.message.empty()) << finding.item.where();
      }
    }
    const std::set<int> expected = setting_lines(text);
    size_t missing = 0;
    for (int line : expected) {
      if (accounted.count(line)) continue;
      ++missing;
      ADD_FAILURE() << seed << ":" << line << " sets something but has no verdict: " << split_lines(text)[static_cast<size_t>(line - 1)];
    }
    const Summary summary = summarize(findings);
    EXPECT_EQ(summary.lines, static_cast<int>(accounted.size())) << seed;
    EXPECT_EQ(summary.judged_lines, static_cast<int>(judged.size())) << seed;
    EXPECT_EQ(summary.judged_lines + summary.not_judged_lines, summary.lines) << seed;
    int not_judged = 0;
    for (const auto& [reason, count] : summary.not_judged) not_judged += count;
    EXPECT_LE(summary.not_judged_lines, not_judged) << seed;  // each such line has at least one reason
    std::printf("guide %s: %zu lines found setting something, %d accounted: %d judged + %d not judged; %d settings, %d "
                "mechanics findings\n",
                seed, expected.size(), summary.lines, summary.judged_lines, summary.not_judged_lines, summary.settings,
                summary.mechanics);
    EXPECT_EQ(missing, 0u) << seed;
  }
}

TEST_F(SeedCorpus, TheEmotionApiGuideHasNoHostSettings) {
  // The review found no OS-level settings in 004; neither does the audit.
  for (const auto& finding : audit_seed("004")) {
    EXPECT_NE(finding.kind, FindingKind::Setting) << finding.item.where() << ": " << finding.item.text;
  }
}

}  // namespace
}  // namespace tune::audit
