// The Linux knobs and planners, assembled.
#pragma once

#include "core/planner.h"

namespace tune::linux_platform {

Platform make_platform();

}  // namespace tune::linux_platform
