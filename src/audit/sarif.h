// The audit as SARIF 2.1.0, the format CI systems (GitHub code scanning,
// GitLab, Azure DevOps, IDE viewers) read to show findings on the lines of
// the file they came from.
#pragma once

#include "audit/audit.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace tune::audit {

// One run of tool "tune" (driver.version = tool_version): one rule per
// setting verdict ("tune.setting.risky"), per mechanics check
// ("tune.mechanics.glob-redirect") and per reason a line is not judged
// ("tune.not-judged.application-config") that the findings use; one result
// per finding, on the file and line it came from. Valid settings are results
// of kind "pass" (level "none"), so the log shows what was checked too.
nlohmann::json render_sarif(const std::vector<Finding>& findings, const std::string& tool_version);

// The level a finding of this verdict has: "error" (wrong, out of range,
// obsolete, nonexistent), "warning" (risky), "note" (mapped, no effect, not
// judged) or "none" (valid).
const char* sarif_level(Verdict verdict);

// A file name as a URI reference: a relative path stays relative, an
// absolute one becomes a file:// URI; every byte but unreserved ones and "/"
// is percent-encoded ("my guide.md" -> "my%20guide.md").
std::string sarif_uri(const std::string& path);

}  // namespace tune::audit
