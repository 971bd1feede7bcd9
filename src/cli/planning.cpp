#include "cli/planning.h"

#include "core/policy.h"
#include "core/recommend.h"
#include "detect/probe.h"

#ifndef TUNE_VERSION
#define TUNE_VERSION "0"
#endif

namespace tune::cli {

Result<std::string> choose_automatic(Context& context, const HostFacts& facts, std::string* why) {
  auto listing = context.profiles().list();
  if (!listing.errors.empty()) return listing.errors.front();
  Recommendation recommendation = recommend(listing.profiles, flatten_facts(facts));
  if (why) {
    if (recommendation.fell_back) {
      *why = "no profile's match rules fit this host, so the default '" + recommendation.chosen + "'";
    } else {
      const Candidate& best = recommendation.ranked.front();
      std::string reasons;
      for (const auto& verdict : best.verdicts) {
        reasons += (reasons.empty() ? "" : ", ") + verdict.fact + " = " + verdict.actual;
      }
      *why = "'" + best.profile + "' matched with score " + std::to_string(best.score) +
             (reasons.empty() ? "" : " (" + reasons + ")");
    }
  }
  return recommendation.chosen;
}

Result<PlannedProfile> plan_profile(Context& context, const std::string& requested) {
  PlannedProfile planned;
  planned.facts = detect_host(context.system());
  // The host policy (/etc/tune/tune.toml) names the default profile and the
  // domains tune must leave alone on this host.
  auto policy = load_policy(context.system());
  if (!policy) return policy.error();
  std::string name = requested.empty() ? policy->profile : requested;
  if (name.empty() || name == "auto") {
    auto chosen = choose_automatic(context, planned.facts, &planned.why);
    if (!chosen) return chosen.error();
    name = *chosen;
  }
  auto profile = context.profiles().resolve(name);
  if (!profile) return profile.error();
  planned.profile = std::move(*profile);
  auto plan = make_plan({planned.profile, planned.facts, context.system(), &policy->leave_alone}, context.platform(),
                        TUNE_VERSION);
  if (!plan) return plan.error();
  planned.plan = std::move(*plan);
  return planned;
}

}  // namespace tune::cli
