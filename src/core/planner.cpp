#include "core/planner.h"

#include "core/journal.h"

namespace tune {

Result<Plan> make_plan(const PlanRequest& request, const Platform& platform, const std::string& tune_version) {
  Plan plan;
  plan.created_at = utc_now_iso8601();
  plan.tune_version = tune_version;
  plan.profile = request.profile.name;
  plan.profile_digest = request.profile.digest;
  plan.host = request.facts.identity;
  for (const auto& planner : platform.planners) {
    if (auto status = planner->plan(request, plan); !status) return with_context(planner->domain(), status.error());
  }
  return plan;
}

}  // namespace tune
