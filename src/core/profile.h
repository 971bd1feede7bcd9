// Profile: what a host should look like, as written in a YAML file, and the
// resolved form (parents merged in, variables substituted) the planner works
// from. The format is documented in docs/PROFILES.md.
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

const char* want_op_name(Want::Op op);  // "value", "at_least", "at_most", "one_of"

// A condition on one host fact: any alternative may hold (">=64", "!=kvm", "none").
struct Condition {
  std::string fact;
  std::vector<std::string> alternatives;
  Origin origin;

  std::string describe() const;  // "numa.nodes >=2"
};

// One `match` rule: every condition must hold for the rule to score.
struct MatchRule {
  std::vector<Condition> when;
  int score = 0;
  Origin origin;
};

// One thing a profile asks for, in one domain.
struct Setting {
  std::string domain;  // sysctl, cpu, block, memory, swap, limits, services, environment, boot, power
  std::string scope;   // block: device class; limits: "*", user or @group; services and environment: the
                       // unit; memory hugepages: the page size. Empty where the domain has none.
  std::string key;     // vm.swappiness, governor, scheduler, nofile.soft, CPUAffinity, OLLAMA_NUM_PARALLEL...
  Want want;
  std::vector<Condition> when;  // all must hold: the section's, the scope's and the setting's own
  Origin origin;                // the key in the file
  Origin value_origin;          // the value in the file
  std::string profile;          // which profile in the lineage set it
  bool needs_reboot = false;    // takes effect at the next boot (boot parameters)
  // After resolution: definitions from earlier layers, nearest first, tried
  // in turn when this one's `when` does not hold on a host.
  std::vector<Setting> otherwise;

  std::string target() const;   // "nvme/scheduler", "*/nofile", "vm.swappiness"
  std::string address() const;  // "block:nvme/scheduler"
};

// A profile variable, used in values as ${name}.
struct Variable {
  std::string name;
  std::string value;
  Origin origin;
  std::string profile;
};

struct Profile {
  std::string name;
  std::string summary;
  std::vector<std::string> extends;
  std::vector<MatchRule> match;      // not inherited: a rule describes the profile it is in
  std::vector<Variable> variables;   // after resolution: merged, children overriding parents
  // The metrics that decide `tune apply --validate` for this workload
  // (tune bench's names); after resolution, the nearest layer's.
  std::vector<std::string> validate_on;
  std::vector<Setting> settings;     // in file order (after resolution: parents' first)
  std::vector<std::string> warnings; // "file:line:col: ..." things a reviewer should read; never errors
  std::string path;                  // the file it came from
  std::string text;                  // its source, for digests and `profiles show`

  // Filled by resolution.
  std::vector<std::string> lineage;  // parents first, this profile last
  std::string digest;                // sha256 over the lineage's sources

  // The settings of one domain, in order.
  std::vector<const Setting*> in_domain(const std::string& domain) const;
};

// The domains a profile may hold, in the order plans and `profiles show` list them.
const std::vector<std::string>& profile_domains();

// Whether a name can be a sysctl key in a profile ("vm.swappiness",
// "net.ipv4.conf.eth0/1.rp_filter"): the one rule the parser and the
// converters share.
bool valid_sysctl_key(const std::string& key);

// Whether a block scope can name kernel block devices: a name or a glob
// with * and ? ("sda", "nvme0n1", "loop*"). Class names are checked apart.
bool valid_block_device_pattern(const std::string& text);

// Whether a limits item is "*", a user name or @group (also %group, which
// pam keeps for login counts): the parser's rule, and the limits backend's
// for the targets of saved plans and journals.
bool valid_limits_item(const std::string& item);

// Parse one profile file, strictly: unknown keys, wrong types, values out of
// range and advice the knowledge base marks obsolete are errors that name
// file:line:col. Values that use ${variables} are checked at resolution.
Result<Profile> parse_profile(const std::string& text, const std::string& path);

}  // namespace tune
