#include "platform/windows/windows_fixture.h"

#include <gtest/gtest.h>

namespace tune::testing {

windows_platform::RecordedWindowsApi load_windows_fixture(const std::string& name) {
  auto api = windows_platform::RecordedWindowsApi::load(source_dir() + "/tests/fixtures/windows/" + name);
  if (!api) {
    ADD_FAILURE() << api.error().message;
    std::abort();
  }
  return std::move(*api);
}

WindowsHost::WindowsHost(const std::string& name)
    : door(std::make_unique<WindowsDoor>(tree.root(), load_windows_fixture(name))) {}

}  // namespace tune::testing
