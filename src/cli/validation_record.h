// The verdict of the last `tune apply --validate`, kept in the state
// directory (last-validation.json) so `tune status` can say what the last
// measurement showed without measuring again.
#pragma once

#include "util/result.h"
#include "util/system.h"

#include <string>
#include <vector>

namespace tune::cli {

struct ValidationRecord {
  int transaction = 0;
  std::string profile;
  std::string measured_at;  // UTC, ISO 8601
  double threshold_pct = 0;
  bool regression = false;
  bool kept = false;         // a regression kept with --keep
  bool rolled_back = false;  // undone because of the regression
  std::vector<std::string> gains;    // records before the paired design: the headline figures
  std::vector<std::string> reasons;  // and the regressions, one line per metric
  std::string verdict;               // better, within the allowance, inconclusive, worse (empty in older records)
  std::vector<std::string> lines;    // one per deciding metric
};

inline constexpr const char* kValidationRecordFile = "last-validation.json";

Status save_validation_record(System& system, const std::string& state_dir, const ValidationRecord& record);
// Nothing when no validation was recorded; an error naming the file when it is damaged.
Result<std::optional<ValidationRecord>> load_validation_record(const System& system, const std::string& state_dir);

}  // namespace tune::cli
