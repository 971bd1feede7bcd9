// The audit report, for people and for machines.
#include "audit/audit.h"

#include "util/text.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace tune::audit {
namespace {

std::string setting_name(const AdviceItem& item) {
  if (item.key.empty()) return item.path;
  return item.domain + " " + (item.scope.empty() ? "" : item.scope + " ") + item.key;
}

void render_setting(const Finding& finding, std::string& out) {
  const AdviceItem& item = finding.item;
  out += fmt::format("{}  {}  {} = {}\n", item.where(), verdict_name(finding.verdict), setting_name(item), item.value);
  if (!finding.message.empty()) out += "    " + finding.message + "\n";
  if (!finding.modern.empty() && finding.verdict != Verdict::Valid) out += "    tune: " + finding.modern + "\n";
  if (!finding.host_note.empty()) out += "    this host: " + finding.host_note + "\n";
}

// A mechanics finding follows the settings of its line; when the line set
// nothing tune reads (`sysctl -p`, `cat >> /etc/sysctl.conf`), the line itself
// is shown so the reader sees what the finding is about.
void render_mechanics(const Finding& finding, bool line_shown, std::string& out) {
  const AdviceItem& item = finding.item;
  out += fmt::format("{}  {}  mechanics {}\n", item.where(), verdict_name(finding.verdict), finding.rule);
  if (!line_shown) out += "    line: " + item.text + "\n";
  if (!finding.message.empty()) out += "    " + finding.message + "\n";
  if (!finding.modern.empty()) out += "    tune: " + finding.modern + "\n";
  if (!finding.host_note.empty()) out += "    this host: " + finding.host_note + "\n";
}

// "lines 120-160, 170": line numbers in order, runs of consecutive ones
// joined. A block broken by comments into many runs (a Kubernetes manifest,
// at least half of its lines not judged) is given by its count and span
// instead; the JSON lists every line.
constexpr size_t kMostRanges = 6;
std::string line_ranges(std::vector<int> lines) {
  std::sort(lines.begin(), lines.end());
  lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
  if (lines.size() == 1) return "line " + std::to_string(lines.front());
  std::vector<std::string> parts;
  for (size_t i = 0; i < lines.size();) {
    size_t end = i;
    while (end + 1 < lines.size() && lines[end + 1] == lines[end] + 1) ++end;
    parts.push_back(end == i ? std::to_string(lines[i]) : fmt::format("{}-{}", lines[i], lines[end]));
    i = end + 1;
  }
  const size_t span = static_cast<size_t>(lines.back() - lines.front() + 1);
  if (parts.size() > kMostRanges && span <= 2 * lines.size()) return fmt::format("{} lines between {} and {}", lines.size(), lines.front(), lines.back());
  return "lines " + join(parts, ", ");
}

// Lines not judged are listed last, one entry per file, reason and sentence:
// a guide full of application settings would otherwise bury the verdicts
// under lines that all say the same thing. Every one is still in the totals
// and in the JSON.
void render_not_judged(const std::vector<Finding>& findings, std::string& out) {
  struct Group {
    std::string source, rule, message;
    std::vector<int> lines;
  };
  std::vector<Group> groups;  // in the order their first line appears
  for (const auto& finding : findings) {
    if (finding.kind != FindingKind::Line) continue;
    auto same = [&](const Group& group) {
      return group.source == finding.item.source && group.rule == finding.rule && group.message == finding.message;
    };
    auto group = std::find_if(groups.begin(), groups.end(), same);
    if (group == groups.end()) group = groups.insert(groups.end(), Group{finding.item.source, finding.rule, finding.message, {}});
    group->lines.push_back(finding.item.line);
  }
  for (const auto& group : groups) {
    out += fmt::format("{}  not judged ({}): {}\n", group.source, group.rule, line_ranges(group.lines));
    if (!group.message.empty()) out += "    " + group.message + "\n";
  }
}

std::string plural(int count, const std::string& one, const std::string& many) {
  return fmt::format("{} {}", count, count == 1 ? one : many);
}

std::string verdict_counts(const std::map<Verdict, int>& counts) {
  std::vector<std::string> parts;
  for (const auto& [verdict, count] : counts) parts.push_back(fmt::format("{} {}", count, verdict_name(verdict)));
  return join(parts, ", ");
}

int strict_failures(const std::vector<Finding>& findings) {
  return static_cast<int>(std::count_if(findings.begin(), findings.end(), [](const Finding& finding) {
    return fails_strict(finding.verdict);
  }));
}

std::string render_summary(const std::vector<Finding>& findings) {
  const Summary summary = summarize(findings);
  std::map<Verdict, int> settings, mechanics;
  for (const auto& finding : findings) {
    if (finding.kind == FindingKind::Setting) ++settings[finding.verdict];
    if (finding.kind == FindingKind::Mechanics) ++mechanics[finding.verdict];
  }
  std::string out = fmt::format("{} set something: {} judged, {} not judged\n",
                                plural(summary.lines, "line", "lines"), summary.judged_lines, summary.not_judged_lines);
  std::string counts = plural(summary.settings, "setting", "settings");
  if (!settings.empty()) counts += ": " + verdict_counts(settings);
  counts += "; " + plural(summary.mechanics, "mechanics finding", "mechanics findings");
  if (!mechanics.empty()) counts += ": " + verdict_counts(mechanics);
  if (!summary.not_judged.empty()) {
    std::vector<std::string> reasons;
    for (const auto& [reason, count] : summary.not_judged) reasons.push_back(fmt::format("{} {}", count, reason));
    counts += "; not judged: " + join(reasons, ", ");
  }
  out += counts + "\n";
  const int failing = strict_failures(findings);
  out += failing == 0 ? std::string("--strict would pass: nothing risky, wrong, out of range, obsolete or nonexistent\n")
                      : fmt::format("--strict would fail: {} risky, wrong, out of range, obsolete or nonexistent\n",
                                    plural(failing, "finding is", "findings are"));
  return out;
}

}  // namespace

std::string render_text(const std::vector<Finding>& findings) {
  std::string out;
  std::string last_line;  // file:line of the finding shown last
  for (const auto& finding : findings) {
    if (finding.kind == FindingKind::Line) continue;
    const std::string where = finding.item.where();
    if (finding.kind == FindingKind::Mechanics) render_mechanics(finding, where == last_line, out);
    else render_setting(finding, out);
    last_line = where;
  }
  render_not_judged(findings, out);
  out += render_summary(findings);
  return out;
}

nlohmann::json finding_json(const Finding& finding) {
  const AdviceItem& item = finding.item;
  return {{"file", item.source},
          {"line", item.line},
          {"text", item.text},
          {"kind", finding_kind_name(finding.kind)},
          {"rule", finding.rule},
          {"form", item.form},
          {"domain", item.domain},
          {"key", item.key},
          {"path", item.path},
          {"scope", item.scope},
          {"value", item.value},
          {"value_known", item.value_known},
          {"verdict", verdict_name(finding.verdict)},
          {"fails_strict", fails_strict(finding.verdict)},
          {"message", finding.message},
          {"modern", finding.modern},
          {"host", finding.host_note}};
}

nlohmann::json render_json(const std::vector<Finding>& findings) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& finding : findings) list.push_back(finding_json(finding));
  // counts: every finding per verdict, as before the summary existed.
  nlohmann::json counts = nlohmann::json::object();
  for (const auto& [verdict, count] : count_verdicts(findings)) counts[verdict_name(verdict)] = count;
  const Summary summary = summarize(findings);
  nlohmann::json verdicts = nlohmann::json::object();
  for (const auto& [verdict, count] : summary.verdicts) verdicts[verdict_name(verdict)] = count;
  nlohmann::json not_judged = nlohmann::json::object();
  for (const auto& [reason, count] : summary.not_judged) not_judged[reason] = count;
  const int failing = strict_failures(findings);
  return {{"findings", list},
          {"counts", counts},
          {"summary",
           {{"lines", summary.lines},
            {"judged_lines", summary.judged_lines},
            {"not_judged_lines", summary.not_judged_lines},
            {"settings", summary.settings},
            {"mechanics", summary.mechanics},
            {"verdicts", verdicts},
            {"not_judged", not_judged},
            {"strict_failures", failing},
            {"strict_passes", failing == 0}}}};
}

}  // namespace tune::audit
