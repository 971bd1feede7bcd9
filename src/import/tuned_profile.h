// A TuneD profile as TuneD reads it: tuned.conf's sections in order, with
// `include=` resolved (included profiles first, the including one over them,
// section by section unless `replace=1`) and [variables] merged.
#pragma once

#include "util/result.h"

#include <string>
#include <vector>

namespace tune::import {

struct TunedOption {
  std::string key;
  std::string value;
  std::string origin;  // "throughput-performance/tuned.conf:28"
};

struct TunedSection {
  std::string name;  // "sysctl", "vm.thunderx", "disk-nvme"
  std::vector<TunedOption> options;

  const TunedOption* find(const std::string& key) const;
  std::string get(const std::string& key) const;  // empty when absent
  // The plugin: `type=` or the name up to the first '.'.
  std::string plugin() const;
};

struct TunedProfile {
  std::string name;
  std::string summary;
  std::vector<std::string> includes;  // resolved include chain, outermost parent first
  std::vector<TunedSection> sections; // merged, [main] and [variables] excluded
  std::vector<TunedOption> variables; // merged [variables]
  std::vector<std::string> notes;     // what the loader could not follow (missing variable files, chosen branches)
};

// Parse one tuned.conf (sections and options in file order).
Result<std::vector<TunedSection>> parse_tuned_conf(const std::string& text, const std::string& origin);

// Load a profile by directory, tuned.conf path or name, following includes
// through `search` (TuneD's /etc/tuned then /usr/lib/tuned).
Result<TunedProfile> load_tuned_profile(const std::string& path_or_name, const std::vector<std::string>& search);

}  // namespace tune::import
