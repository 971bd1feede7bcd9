#include "platform/macos/macos_platform.h"

namespace tune::macos_platform {

Platform make_platform() {
  Platform platform;
  platform.name = "macos";
  return platform;
}

}  // namespace tune::macos_platform
