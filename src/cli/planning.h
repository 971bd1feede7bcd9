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

// The facts detect, recommend and plan work from: this host (or the --root
// tree), a saved facts file (--facts), or a topology from --topology or
// --synthetic. A topology without --root describes another machine: facts
// only its /proc and /sys could tell are then unknown. Malformed host files
// become warnings (logged here); a bad --facts/--topology/--synthetic is an error.
Result<HostFacts> gather_facts(Context& context);

Result<PlannedProfile> plan_profile(Context& context, const std::string& requested);

// `auto` resolved to a profile name, with the reason.
Result<std::string> choose_automatic(Context& context, const HostFacts& facts, std::string* why);

}  // namespace tune::cli
