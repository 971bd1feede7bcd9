// FileKnob: whole files tune owns (sysctl.d, limits.d, unit drop-ins...).
// Observed as their bytes; restored exactly, mode and owner included, or
// removed when there was no file before.
#pragma once

#include "core/knob.h"

namespace tune {

class FileKnob final : public Knob {
 public:
  // Which paths tune may own. A saved plan or a journal is input like any
  // other: the platform names its files, and any other path is refused. The
  // default, for tests of the knob itself, is any absolute plain path.
  using Owned = bool (*)(const std::string& path);
  explicit FileKnob(Owned owned = nullptr) : owned_(owned) {}

  std::string domain() const override { return "file"; }
  Result<Observation> observe(const System& system, const std::string& path) const override;
  Status apply(System& system, const Change& change) const override;
  Status restore(System& system, const std::string& path, const PriorState& prior) const override;

 private:
  Status check_path(const std::string& path) const;
  Owned owned_;
};

// The first lines of every file tune writes: that tune wrote it, for which
// profile and what for ("# Written by tune for profile 'x': block queue
// settings."), and that rollback puts back what was there.
std::string tune_file_header(const std::string& profile, const std::string& what = "");

// A change that makes path hold content, or an unchanged entry when it does.
Result<Change> plan_file(const System& system, const std::string& path, const std::string& content, uint32_t mode,
                         const std::string& reason);

}  // namespace tune
