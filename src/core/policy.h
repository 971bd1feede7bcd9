// Host policy: /etc/tune/tune.toml, what the administrator of one host decides
// whatever profile is applied: the default profile (or `auto`), domains tune
// must leave alone, validation thresholds for `tune apply --validate`, where
// the journal lives, and what the package's install hook does. Absent file:
// the defaults below.
#pragma once

#include "util/result.h"
#include "util/system.h"

#include <string>
#include <vector>

namespace tune {

inline constexpr const char* kPolicyPath = "/etc/tune/tune.toml";

struct ValidationPolicy {
  // The deciding metric may get worse by this much (percent of the baseline)
  // before `tune apply --validate` rolls the change back.
  double max_regression_pct = 5.0;
  int repeats = 3;               // benchmark runs in each measurement block (their median is the block's value)
  int pairs = 16;                // baseline/changed pairs, measured alternately
  int calibration_pairs = 3;     // A/A pairs first, for the host's noise floor (0: none)
  double confidence_pct = 95.0;  // of the intervals the decision reads
  std::vector<std::string> metrics = {"decode_tokens_per_s"};  // the metrics that decide
  bool metrics_set = false;      // the file names them: then they win over a profile's validate_on
  bool rollback_on_inconclusive = false;  // on_inconclusive = "rollback" (default "keep")
};

// The metrics a validation may decide on (tune bench's names).
const std::vector<std::string>& validation_metric_names();
bool is_validation_metric(const std::string& name);
// Why `name` cannot decide a validation, for tune.toml, profiles and the
// command line alike: "'itl_p90_ms' is not a metric a validation can decide
// on (did you mean 'itl_p50_ms'?)", or the list when no name is close.
// nullptr: an item that is not a name at all.
std::string not_a_validation_metric(const std::string* name);

// [hook]: what `tune hook post-install` (the package's postinst) does. The
// default is nothing, so installing or upgrading the package never changes a
// host whose administrator did not ask for it here.
struct HookPolicy {
  bool apply_on_install = false;  // post_install = "apply" (default "none")
  std::string profile;            // [hook] profile; empty: the top-level `profile`
};

struct Policy {
  std::string profile = "auto";          // default for plan/apply without --profile
  // [services] restart: whether units whose settings tune changed are
  // restarted ("on-change") or keep running until their next restart ("never").
  std::string restart_services = "never";
  std::vector<std::string> leave_alone;  // domains: sysctl, cpu, block, ...
  std::string journal_dir;               // empty: <state dir>/journal
  ValidationPolicy validation;
  HookPolicy hook;
  std::string source;                    // the file read, or empty for the defaults
};

// Parse tune.toml text strictly: unknown keys (with "did you mean"), wrong
// types and values out of range are errors naming path:line:col.
Result<Policy> parse_policy(const std::string& text, const std::string& path);

// Read the policy from a host (rooted like everything else); a missing file
// gives the defaults.
Result<Policy> load_policy(const System& system, const std::string& path = kPolicyPath);

// The profile the install hook applies: [hook] profile, else the top-level one.
std::string hook_profile(const Policy& policy);

}  // namespace tune
