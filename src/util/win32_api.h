// The WindowsApi over the real Win32 API (registry, power management,
// service control manager, LSA, DXGI). Compiled only for Windows; every
// failure is one line naming the call and Windows' own text for the error.
#pragma once

#include "util/windows_api.h"

#include <memory>

namespace tune {

std::unique_ptr<WindowsApi> make_win32_api();

}  // namespace tune
