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

// Where the values of TuneD's variables come from besides the profiles.
struct TunedVariableSources {
  // `--variables FILE`: read in place of every `include=` of [variables].
  std::string file;
  // `--set NAME=VALUE`: final, over anything the profiles or files say.
  std::vector<std::pair<std::string, std::string>> overrides;
};

struct TunedProfile {
  std::string name;
  std::string dir;                    // the outermost profile's directory (TuneD's ${i:PROFILE_DIR})
  std::string summary;
  std::vector<std::string> includes;  // resolved include chain, outermost parent first
  std::vector<TunedSection> sections; // merged, [main] and [variables] excluded
  std::vector<TunedOption> variables; // merged [variables], in TuneD's order; see tuned_profile.cpp for self-references
  std::vector<std::string> without_default;  // variables only defined as themselves (`x = ${x}`): TuneD has no value
  std::vector<std::string> notes;     // what the loader did that a reader should know (variable files read)
  std::vector<std::string> refusals;  // what the loader would not follow, and why (an include chosen by a function)
};

// Parse one tuned.conf (sections and options in file order).
Result<std::vector<TunedSection>> parse_tuned_conf(const std::string& text, const std::string& origin);

// Load a profile by directory, tuned.conf path or name, following includes
// through `search` (TuneD's /etc/tuned then /usr/lib/tuned).
// `[variables] include=/etc/tuned/X.conf` is read from the TuneD tree the
// profile came from (R/etc/tuned/X.conf for a profile in R/usr/lib/tuned),
// then from the path itself, then from the defaults TuneD's package ships
// (tuned_variable_defaults.h).
Result<TunedProfile> load_tuned_profile(const std::string& path_or_name, const std::vector<std::string>& search,
                                        const TunedVariableSources& sources = {});

}  // namespace tune::import
