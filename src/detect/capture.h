// Snapshot capture: copies the /proc, /sys and /etc files that detection
// (and hwloc's Linux discovery) reads into a directory, so that
// `tune --root DIR detect` reads the same host elsewhere: for bug reports
// and test fixtures.
#pragma once

#include "util/system.h"

#include <string>
#include <vector>

namespace tune {

struct CaptureReport {
  size_t files = 0;
  size_t directories = 0;
  std::vector<std::string> left_out;  // what was deliberately not copied, and why
};

// Reads through `host` (the real host, or a rooted tree) and writes the
// snapshot under `dir`, which must not exist yet or be empty. Left out on
// purpose: /etc/machine-id, and every environment variable except the
// container markers detection looks for.
Result<CaptureReport> capture_snapshot(const System& host, const std::string& dir);

}  // namespace tune
