// BootKnob: kernel command line parameters ("hugepages", "nosoftlockup").
// A parameter's value is what the next boot will use, from the boot
// loader's configuration; the boot loader drop-in (a file step) sets it, so
// the knob is derived. Where the running kernel differs, the observation is
// "pending": applied, waiting for a reboot, not drift. Its calls regenerate
// the boot loader's files: "update-grub", "kernel-install".
#pragma once

#include "core/knob.h"

namespace tune::linux_platform {

inline constexpr const char* kUpdateGrub = "update-grub";
inline constexpr const char* kKernelInstall = "kernel-install";

class BootKnob final : public Knob {
 public:
  std::string domain() const override { return "boot"; }
  bool derived() const override { return true; }
  bool is_call(const std::string& target) const override { return target == kUpdateGrub || target == kKernelInstall; }
  Result<Observation> observe(const System& system, const std::string& target) const override;
  // Parameters: nothing (their file step sets them). Calls: run the tool.
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& target, const PriorState& prior) const override;
};

}  // namespace tune::linux_platform
