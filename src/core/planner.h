// Planner: turns a resolved profile and the host's live state into a Plan.
// Each domain plans its own part; nothing here changes the host.
#pragma once

#include "core/facts.h"
#include "core/knob.h"
#include "core/plan.h"
#include "core/profile.h"

#include <memory>
#include <vector>

namespace tune {

struct PlanRequest {
  const Profile& profile;
  const HostFacts& facts;
  const System& system;
  // Domains the host policy (tune.toml leave_alone) keeps tune out of.
  const std::vector<std::string>* leave_alone = nullptr;
  // Where unit templates are looked up (profiles' `template:`), first match wins.
  const std::vector<std::string>* template_dirs = nullptr;
  // Units whose settings change are restarted ("on-change") or not ("never"),
  // unless the profile says for a unit; the host policy's [services] restart.
  std::string restart = "never";
};

class DomainPlanner {
 public:
  virtual ~DomainPlanner() = default;
  virtual std::string domain() const = 0;
  // Every profile domain it plans (services and environment share one drop-in).
  virtual std::vector<std::string> domains() const { return {domain()}; }
  // Append this domain's changes, skips and warnings to plan.
  virtual Status plan(const PlanRequest& request, Plan& plan) const = 0;
};

// The knobs and planners of one platform.
struct Platform {
  std::string name;
  KnobRegistry knobs;
  std::vector<std::unique_ptr<DomainPlanner>> planners;
};

Result<Plan> make_plan(const PlanRequest& request, const Platform& platform, const std::string& tune_version);

}  // namespace tune
