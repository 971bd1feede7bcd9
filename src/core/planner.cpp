#include "core/planner.h"

#include "core/journal.h"
#include "core/profile_host.h"

#include <set>

namespace tune {
namespace {

// A plan never drops a request silently: settings of a domain no planner of
// this platform handles yet are listed as skipped, with what was wanted.
void skip_unplanned(const Profile& profile, const Platform& platform, Plan& plan) {
  std::set<std::string> planned;
  for (const auto& planner : platform.planners) {
    for (const auto& domain : planner->domains()) planned.insert(domain);
  }
  for (const auto& setting : profile.settings) {
    if (planned.count(setting.domain)) continue;
    std::string reason = "no backend for the " + setting.domain + " domain yet";
    if (setting.needs_reboot) reason += " (a boot parameter: needs reboot)";
    plan.skipped.push_back({setting.domain, setting.target(), setting.want.describe(), reason, setting_origin(setting)});
  }
}

}  // namespace

Result<Plan> make_plan(const PlanRequest& request, const Platform& platform, const std::string& tune_version) {
  Plan plan;
  plan.created_at = utc_now_iso8601();
  plan.tune_version = tune_version;
  plan.profile = request.profile.name;
  plan.profile_digest = request.profile.digest;
  plan.validate_on = request.profile.validate_on;
  plan.host = request.facts.identity;
  static const std::vector<std::string> kNothingExcluded;
  HostProfile host = specialize_for_host(request.profile, flatten_facts(request.facts),
                                         request.leave_alone ? *request.leave_alone : kNothingExcluded);
  PlanRequest specialized{host.profile,      request.facts,         request.system,
                          request.leave_alone, request.template_dirs, request.restart};
  for (const auto& planner : platform.planners) {
    if (auto status = planner->plan(specialized, plan); !status) return with_context(planner->domain(), status.error());
  }
  plan.skipped.insert(plan.skipped.end(), host.skipped.begin(), host.skipped.end());
  skip_unplanned(host.profile, platform, plan);
  for (const auto& warning : host.profile.warnings) plan.warnings.push_back(warning);
  return plan;
}

}  // namespace tune
