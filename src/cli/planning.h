// What plan and apply share: detect the host, choose the profile (named,
// a file, or `auto`), resolve it and plan it.
#pragma once

#include "cli/context.h"
#include "core/facts.h"

namespace tune::cli {

struct PlannedProfile {
  HostFacts facts;
  Profile profile;
  std::string why;  // for `auto`: the recommendation in one line
  Plan plan;
};

Result<PlannedProfile> plan_profile(Context& context, const std::string& requested);

// `auto` resolved to a profile name, with the reason.
Result<std::string> choose_automatic(Context& context, const HostFacts& facts, std::string* why);

}  // namespace tune::cli
