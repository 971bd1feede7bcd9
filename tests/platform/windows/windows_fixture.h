// Fixture Windows hosts for the tests: a recorded Windows API loaded from
// tests/fixtures/windows/NAME, behind a System rooted in a temporary tree (for
// the journal and locks), whose windows() is that recorded host.
#pragma once

#include "platform/windows/recorded_windows_api.h"
#include "support/rooted_door.h"
#include "support/temp_tree.h"

#include <memory>
#include <string>

namespace tune::testing {

class WindowsDoor final : public RootedDoor {
 public:
  WindowsDoor(const std::string& root, windows_platform::RecordedWindowsApi api)
      : RootedDoor(root), api_(std::move(api)) {}
  WindowsApi* windows() const override { return &api_; }
  windows_platform::RecordedWindowsApi& api() const { return api_; }

 private:
  mutable windows_platform::RecordedWindowsApi api_;
};

// "workstation-nvidia" (RTX 4090, hybrid Intel) or "laptop-igpu" (Ryzen, on battery).
windows_platform::RecordedWindowsApi load_windows_fixture(const std::string& name);

struct WindowsHost {
  TempTree tree;
  std::unique_ptr<WindowsDoor> door;
  explicit WindowsHost(const std::string& name);
};

}  // namespace tune::testing
