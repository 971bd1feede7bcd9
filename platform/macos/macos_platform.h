// The macOS knobs and planners, assembled.
#pragma once

#include "core/planner.h"

namespace tune::macos_platform {

Platform make_platform();

}  // namespace tune::macos_platform
