// tune's exit codes: stable, documented in docs/CLI.md, relied on by scripts.
#pragma once

namespace tune::exit_code {

inline constexpr int kOk = 0;              // done, or nothing to do
inline constexpr int kError = 1;           // bad input, refused, or failed before changing anything
inline constexpr int kPending = 2;         // --detailed-exitcode: changes pending (plan) or drift (verify)
// audit --strict: a finding is risky, wrong, out of range, obsolete or
// nonexistent. The same number as kPending on purpose: 2 is "ran fine, and
// found something to act on", 1 stays "could not run".
inline constexpr int kFindings = 2;
inline constexpr int kUndone = 3;          // a step failed; what was done before it was put back
inline constexpr int kRegression = 4;      // --validate measured a regression; the change was rolled back
inline constexpr int kUsage = 64;          // the command line itself is wrong

}  // namespace tune::exit_code
