// A rooted tree, a door on it, and a Probe writing into fresh facts: what
// every probe test starts from.
#pragma once

#include "detect/probes.h"
#include "support/temp_tree.h"
#include "util/local_system.h"

#include <algorithm>
#include <string>

namespace tune::testing {

struct ProbeHarness {
  TempTree tree;
  LocalSystem system{tree.root()};
  HostFacts facts;
  detect::Probe probe{system, facts};

  // Whether some warning mentions text.
  bool warned(const std::string& text) const {
    return std::any_of(facts.warnings.begin(), facts.warnings.end(),
                       [&](const std::string& w) { return w.find(text) != std::string::npos; });
  }
};

}  // namespace tune::testing
