// Plan: everything tune would do to a host for one profile, as pure data.
// It round-trips through JSON, so a reviewed plan can be applied exactly.
#pragma once

#include "core/change.h"
#include "util/result.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace tune {

// Which machine a plan was made for; a plan is refused on another one.
struct HostIdentity {
  std::string hostname;
  std::string machine_id;
  std::string kernel;
};

struct Plan {
  static constexpr int kFormat = 1;

  std::string created_at;  // UTC, ISO 8601
  std::string tune_version;
  std::string profile;
  std::string profile_digest;  // sha256 of the resolved profile
  HostIdentity host;
  std::vector<Change> changes;  // in apply order; Action::None entries are shown, not applied
  std::vector<Skip> skipped;
  std::vector<std::string> warnings;  // things a reviewer should know that change nothing
  std::vector<std::string> validate_on;  // the profile's deciding metrics for apply --validate (may be empty)

  size_t pending() const;  // changes with an action
};

nlohmann::json plan_to_json(const Plan& plan);
Result<Plan> plan_from_json(const nlohmann::json& json);
Result<Plan> plan_from_text(const std::string& text, const std::string& source);

}  // namespace tune
