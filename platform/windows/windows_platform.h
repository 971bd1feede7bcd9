// The Windows knobs and planners, assembled.
#pragma once

#include "core/planner.h"

namespace tune::windows_platform {

Platform make_platform();

}  // namespace tune::windows_platform
