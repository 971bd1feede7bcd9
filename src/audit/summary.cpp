// The audit's totals, and what --strict fails on.
#include "audit/audit.h"

#include <set>
#include <utility>

namespace tune::audit {

const char* finding_kind_name(FindingKind kind) {
  switch (kind) {
    case FindingKind::Setting: return "setting";
    case FindingKind::Mechanics: return "mechanics";
    case FindingKind::Line: return "line";
  }
  return "setting";
}

std::map<Verdict, int> count_verdicts(const std::vector<Finding>& findings) {
  std::map<Verdict, int> counts;
  for (const auto& finding : findings) ++counts[finding.verdict];
  return counts;
}

Summary summarize(const std::vector<Finding>& findings) {
  Summary summary;
  std::set<std::pair<std::string, int>> lines, judged;
  for (const auto& finding : findings) {
    const auto line = std::make_pair(finding.item.source, finding.item.line);
    lines.insert(line);
    if (finding.verdict != Verdict::NotJudged) judged.insert(line);
    switch (finding.kind) {
      case FindingKind::Setting: ++summary.settings; break;
      case FindingKind::Mechanics: ++summary.mechanics; break;
      case FindingKind::Line: break;
    }
    if (finding.kind == FindingKind::Line) ++summary.not_judged[finding.rule];
    else ++summary.verdicts[finding.verdict];
  }
  summary.lines = static_cast<int>(lines.size());
  summary.judged_lines = static_cast<int>(judged.size());
  summary.not_judged_lines = summary.lines - summary.judged_lines;
  return summary;
}

bool fails_strict(Verdict verdict) {
  switch (verdict) {
    case Verdict::Risky:
    case Verdict::Wrong:
    case Verdict::OutOfRange:
    case Verdict::Obsolete:
    case Verdict::Nonexistent:
      return true;
    case Verdict::Valid:
    case Verdict::Mapped:
    case Verdict::NoEffect:
    case Verdict::NotJudged:
      return false;
  }
  return false;
}

}  // namespace tune::audit
