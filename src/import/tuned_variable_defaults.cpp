#include "import/tuned_variable_defaults.h"

#include <map>

namespace tune::import {

std::optional<std::string> shipped_tuned_variables(const std::string& file_name) {
  // From TuneD 2.2x's package (its comments dropped): every profile that
  // isolates CPUs isolates all but the first of each package unless told
  // otherwise; cpu-partitioning-powersave allows C1 (or 10 us) at most.
  static const std::map<std::string, std::string> kShipped = {
      {"cpu-partitioning-variables.conf", "isolated_cores=${f:calc_isolated_cores:1}\n"},
      {"cpu-partitioning-powersave-variables.conf",
       "isolated_cores=${f:calc_isolated_cores:1}\nmax_power_state=cstate.name:C1|10\n"},
      {"realtime-variables.conf", "isolated_cores=${f:calc_isolated_cores:1}\nisolate_managed_irq=Y\n"},
      {"realtime-virtual-guest-variables.conf", "isolated_cores=${f:calc_isolated_cores:1}\nisolate_managed_irq=Y\n"},
      {"realtime-virtual-host-variables.conf", "isolated_cores=${f:calc_isolated_cores:1}\nisolate_managed_irq=Y\n"},
  };
  auto it = kShipped.find(file_name);
  if (it == kShipped.end()) return std::nullopt;
  return it->second;
}

}  // namespace tune::import
