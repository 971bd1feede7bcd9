// Host policy: /etc/tune/tune.toml, what the administrator of one host decides
// whatever profile is applied: the default profile (or `auto`), domains tune
// must leave alone, validation thresholds for `tune apply --validate`, and
// where the journal lives. Absent file: the defaults below.
#pragma once

#include "util/result.h"
#include "util/system.h"

#include <string>
#include <vector>

namespace tune {

inline constexpr const char* kPolicyPath = "/etc/tune/tune.toml";

struct ValidationPolicy {
  // A measured slowdown larger than this (percent of the baseline) makes
  // `tune apply --validate` roll the change back.
  double max_regression_pct = 5.0;
  int repeats = 5;               // benchmark runs before and after
  double confidence_pct = 95.0;  // confidence required before calling a difference real
};

struct Policy {
  std::string profile = "auto";          // default for plan/apply without --profile
  // [services] restart: whether units whose settings tune changed are
  // restarted ("on-change") or keep running until their next restart ("never").
  std::string restart_services = "never";
  std::vector<std::string> leave_alone;  // domains: sysctl, cpu, block, ...
  std::string journal_dir;               // empty: <state dir>/journal
  ValidationPolicy validation;
  std::string source;                    // the file read, or empty for the defaults
};

// Parse tune.toml text strictly: unknown keys (with "did you mean"), wrong
// types and values out of range are errors naming path:line:col.
Result<Policy> parse_policy(const std::string& text, const std::string& path);

// Read the policy from a host (rooted like everything else); a missing file
// gives the defaults.
Result<Policy> load_policy(const System& system, const std::string& path = kPolicyPath);

// For `tune apply --validate`: how much worse `after` is than `before`, in
// percent of `before` (negative: it got better). higher_is_better: tokens/s
// yes, latency no.
double regression_pct(double before, double after, bool higher_is_better);

// Whether a measured change breaks the host's threshold.
bool exceeds_regression_threshold(const Policy& policy, double before, double after, bool higher_is_better);

}  // namespace tune
