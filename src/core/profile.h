// Profile: what a host should look like, as written in a YAML file, and the
// resolved form (parents merged in) the planner works from.
#pragma once

#include "util/result.h"

#include <string>
#include <vector>

namespace tune {

// Where something was written: reported as file:line:col.
struct Origin {
  std::string file;
  int line = 0;
  int column = 0;
  std::string str() const;
};

// What a setting asks for: an exact value, a bound, or a list of acceptable values.
struct Want {
  enum class Op { Exact, AtLeast, AtMost, OneOf };
  Op op = Op::Exact;
  std::vector<std::string> values;  // one for Exact and bounds; several for OneOf

  std::string describe() const;
  // Whether a live value already gives what is asked.
  bool satisfied_by(const std::string& live) const;
  // The value to set, given the live one: the exact value, the bound raised
  // or lowered to, or the first alternative.
  std::string target_for(const std::string& live) const;
};

struct SysctlSetting {
  std::string key;
  Want want;
  Origin origin;
  std::string profile;  // which profile in the lineage set it
};

// One `match` rule: every condition must hold for the rule to score.
struct Condition {
  std::string fact;
  std::vector<std::string> alternatives;  // any one may hold: ">=64", "!=kvm", "none"
  Origin origin;
};

struct MatchRule {
  std::vector<Condition> when;
  int score = 0;
  Origin origin;
};

struct Profile {
  std::string name;
  std::string summary;
  std::vector<std::string> extends;
  std::vector<MatchRule> match;  // not inherited: a rule describes the profile it is in
  std::vector<SysctlSetting> sysctl;
  std::string path;   // the file it came from
  std::string text;   // its source, for digests and `profiles show`

  // Filled by resolution.
  std::vector<std::string> lineage;  // parents first, this profile last
  std::string digest;                // sha256 over the lineage's sources
};

// Parse one profile file, strictly: unknown keys, wrong types and bad values
// are errors that name file:line:col.
Result<Profile> parse_profile(const std::string& text, const std::string& path);

}  // namespace tune
