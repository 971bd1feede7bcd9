// `tune import sysctl FILE`: the settings of pasted advice that tune judges
// valid (or can map to their modern form) become a profile; everything else
// is listed as left out, with the audit's reason.
#pragma once

#include "audit/audit.h"
#include "import/profile_writer.h"

namespace tune::import {

ProfileWriter profile_from_advice(const std::vector<audit::Finding>& findings, const std::string& name,
                                  const std::string& summary);

}  // namespace tune::import
