#include "platform/windows/windows_platform.h"

namespace tune::windows_platform {

Platform make_platform() {
  Platform platform;
  platform.name = "windows";
  return platform;
}

}  // namespace tune::windows_platform
