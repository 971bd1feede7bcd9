#include "platform/platforms.h"

#include "platform/linux/linux_platform.h"
#include "platform/macos/macos_platform.h"
#include "platform/windows/windows_platform.h"

namespace tune {

std::string native_os() {
#if defined(_WIN32)
  return "windows";
#elif defined(__APPLE__)
  return "macos";
#else
  return "linux";
#endif
}

const Platform& platform_for(const std::string& os_family) {
  // Built once each: a platform is a fixed table of knobs and planners.
  static const Platform linux_platform = linux_platform::make_platform();
  static const Platform macos = macos_platform::make_platform();
  static const Platform windows = windows_platform::make_platform();
  if (os_family == "macos") return macos;
  if (os_family == "windows") return windows;
  return linux_platform;
}

}  // namespace tune
