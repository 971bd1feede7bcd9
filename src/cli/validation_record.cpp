#include "cli/validation_record.h"

#include <nlohmann/json.hpp>

namespace tune::cli {

Status save_validation_record(System& system, const std::string& state_dir, const ValidationRecord& record) {
  const nlohmann::json json = {{"kind", "tune-validation"},          {"transaction", record.transaction},
                               {"profile", record.profile},         {"measured_at", record.measured_at},
                               {"threshold_pct", record.threshold_pct}, {"regression", record.regression},
                               {"kept", record.kept},               {"rolled_back", record.rolled_back},
                               {"gains", record.gains},             {"reasons", record.reasons},
                               {"verdict", record.verdict},         {"lines", record.lines}};
  return system.write_file(state_dir + "/" + kValidationRecordFile, json.dump(2) + "\n", FileAttrs{0600, {}, {}});
}

Result<std::optional<ValidationRecord>> load_validation_record(const System& system, const std::string& state_dir) {
  const std::string path = state_dir + "/" + kValidationRecordFile;
  auto info = system.stat(path);
  if (!info) return info.error();
  if (!info->exists) return std::optional<ValidationRecord>{};
  auto text = system.read_file(path);
  if (!text) return text.error();
  const nlohmann::json json = nlohmann::json::parse(*text, nullptr, false);
  ValidationRecord record;
  auto strings = [](const nlohmann::json& list, std::vector<std::string>& into) {
    if (!list.is_array()) return false;
    for (const auto& item : list) {
      if (!item.is_string()) return false;
      into.push_back(item.get<std::string>());
    }
    return true;
  };
  const bool valid = json.is_object() && json.value("kind", "") == "tune-validation" &&
                     json.contains("transaction") && json["transaction"].is_number_integer() &&
                     json.contains("profile") && json["profile"].is_string() && json.contains("measured_at") &&
                     json["measured_at"].is_string() && json.contains("threshold_pct") &&
                     json["threshold_pct"].is_number() && json.contains("regression") && json["regression"].is_boolean() &&
                     json.contains("kept") && json["kept"].is_boolean() && json.contains("rolled_back") &&
                     json["rolled_back"].is_boolean() && json.contains("gains") && strings(json["gains"], record.gains) &&
                     json.contains("reasons") && strings(json["reasons"], record.reasons) &&
                     // Optional: records written before verdicts had names lack them.
                     (!json.contains("verdict") || json["verdict"].is_string()) &&
                     (!json.contains("lines") || strings(json["lines"], record.lines));
  if (!valid) return make_error("{}: not a validation record tune wrote", path);
  const auto transaction = json["transaction"].get<long long>();
  if (transaction < 0 || transaction > 99999999) return make_error("{}: not a validation record tune wrote", path);
  record.transaction = static_cast<int>(transaction);
  record.profile = json["profile"].get<std::string>();
  record.measured_at = json["measured_at"].get<std::string>();
  record.threshold_pct = json["threshold_pct"].get<double>();
  record.regression = json["regression"].get<bool>();
  record.kept = json["kept"].get<bool>();
  record.rolled_back = json["rolled_back"].get<bool>();
  if (json.contains("verdict")) record.verdict = json["verdict"].get<std::string>();
  return std::optional<ValidationRecord>{record};
}

}  // namespace tune::cli
