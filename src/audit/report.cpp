// The audit report, for people and for machines.
#include "audit/audit.h"

#include "util/text.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace tune::audit {

std::string render_text(const std::vector<Finding>& findings) {
  std::string out;
  for (const auto& finding : findings) {
    const AdviceItem& item = finding.item;
    std::string setting = item.key.empty() ? item.path : item.domain + " " + (item.scope.empty() ? "" : item.scope + " ") + item.key;
    out += fmt::format("{}  {}  {} = {}\n", item.where(), verdict_name(finding.verdict), setting, item.value);
    if (!finding.message.empty()) out += "    " + finding.message + "\n";
    if (!finding.modern.empty() && finding.verdict != Verdict::Valid) out += "    tune: " + finding.modern + "\n";
    if (!finding.host_note.empty()) out += "    this host: " + finding.host_note + "\n";
  }
  auto counts = count_verdicts(findings);
  std::vector<std::string> parts;
  for (auto verdict : {Verdict::Valid, Verdict::Mapped, Verdict::Risky, Verdict::OutOfRange, Verdict::Obsolete,
                       Verdict::Nonexistent, Verdict::Unknown}) {
    if (counts[verdict]) parts.push_back(fmt::format("{} {}", counts[verdict], verdict_name(verdict)));
  }
  out += fmt::format("{} settings: {}\n", findings.size(), parts.empty() ? "none found" : join(parts, ", "));
  return out;
}

nlohmann::json render_json(const std::vector<Finding>& findings) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& finding : findings) {
    const AdviceItem& item = finding.item;
    list.push_back({{"file", item.source},
                    {"line", item.line},
                    {"text", item.text},
                    {"form", item.form},
                    {"domain", item.domain},
                    {"key", item.key},
                    {"path", item.path},
                    {"scope", item.scope},
                    {"value", item.value},
                    {"value_known", item.value_known},
                    {"verdict", verdict_name(finding.verdict)},
                    {"message", finding.message},
                    {"modern", finding.modern},
                    {"host", finding.host_note}});
  }
  nlohmann::json counts = nlohmann::json::object();
  for (const auto& [verdict, count] : count_verdicts(findings)) counts[verdict_name(verdict)] = count;
  return {{"findings", list}, {"counts", counts}};
}

}  // namespace tune::audit
