// Lines of macOS and Windows advice that are steps of a setting judged on
// another line: re-activating the power plan a value was written to, stopping
// the services Set-Service disabled, loading the launchd plist a heredoc
// wrote, restarting the Dock after `defaults write`, the WMI calls around a
// page-file size. Each gets a Line finding pointing at that line, so it is
// counted rather than left silent (or reported as a change of its own).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // std::regex under GCC 12 with sanitizers (see extract.cpp)
#endif
#include "audit/audit.h"

#include "audit/desktop_keys.h"
#include "audit/document.h"
#include "util/text.h"

#include <regex>
#include <set>

namespace tune::audit {
namespace {

// The first Setting finding before `line` that `matches`; 0 when none.
template <typename Match>
int earlier_setting(const std::vector<Finding>& findings, int line, Match matches) {
  int found = 0;
  for (const auto& finding : findings) {
    if (finding.kind == FindingKind::Setting && finding.item.line < line && matches(finding.item)) found = finding.item.line;
  }
  return found;
}

Finding step(const DocumentLine& line, const std::string& source, const std::string& message) {
  Finding finding;
  finding.kind = FindingKind::Line;
  finding.rule = "step-of-setting";
  finding.verdict = Verdict::NotJudged;
  finding.message = message;
  finding.item.source = source;
  finding.item.line = line.number;
  finding.item.text = line.text;
  finding.item.form = line.language;
  return finding;
}

std::string at(int line) { return "line " + std::to_string(line); }

}  // namespace

void add_desktop_steps(const std::string& text, const std::string& source, std::vector<Finding>& findings) {
  static const std::regex kReactivate(R"(^powercfg(\.exe)?\s+[-/](setactive|s)\s+scheme_current\s*$)", std::regex::icase);
  static const std::regex kStopService(R"(^Stop-Service\b)", std::regex::icase);
  static const std::regex kLaunchctlLoad(R"(^(sudo\s+)?launchctl\s+(load|bootstrap)\b.*?(\S+\.plist)\b)");
  static const std::regex kKillDock(R"(^(sudo\s+)?killall\s+Dock\b)");
  static const std::regex kPagefileStep(
      R"re(^\$\w+\s*=\s*Get-(WmiObject|CimInstance)\b.*Win32_(ComputerSystem|PageFileSetting)|^\$\w+\.(AutomaticManagedPagefile|MaximumSize)\s*=|^\$\w+\.Put\(\)$)re",
      std::regex::icase);
  std::set<int> covered;
  for (const auto& finding : findings) covered.insert(finding.item.line);
  std::vector<Finding> steps;
  const auto lines = read_document(text, source);
  for (const auto& line : lines) {
    if (covered.count(line.number) || line.fence || line.text.empty() || line.text[0] == '#') continue;
    const std::string& code = line.text;
    std::smatch m;
    if (std::regex_match(code, kReactivate)) {
      int set = earlier_setting(findings, line.number, [](const AdviceItem& item) {
        return item.domain == "power" && starts_with(item.form, "powercfg /setacvalueindex");
      });
      if (set) steps.push_back(step(line, source, "Re-activates the current power plan so the value written on " + at(set) +
                                                      " takes effect; judged there (tune writes through the power API "
                                                      "and re-applies the plan itself)."));
    } else if (std::regex_search(code, kStopService)) {
      int set = earlier_setting(findings, line.number, [](const AdviceItem& item) { return item.key == "start_type"; });
      if (set) steps.push_back(step(line, source, "Stops now the services " + at(set) + " disables at boot; judged there."));
    } else if (std::regex_search(code, m, kLaunchctlLoad)) {
      const std::string plist = m[3];
      int written = 0;
      for (const auto& body : lines) {
        if (!body.heredoc_target.empty() && body.heredoc_target == plist && body.heredoc_line < line.number) written = body.heredoc_line;
      }
      if (written) {
        steps.push_back(step(line, source, "Loads the plist written on " + at(written) +
                                               "; its settings are judged there (`launchctl load` is a legacy "
                                               "subcommand since macOS 10.10: launchctl bootstrap replaces it)."));
      }
    } else if (std::regex_search(code, kKillDock)) {
      int set = earlier_setting(findings, line.number, [](const AdviceItem& item) { return item.form == "defaults write"; });
      if (set) steps.push_back(step(line, source, "Restarts the Dock so the preferences from " + at(set) +
                                                      " show; judged there (cosmetic)."));
    } else if (line.language == "powershell" && std::regex_search(code, kPagefileStep)) {
      // The size is judged on the InitialSize line, which may come after these.
      for (const auto& finding : findings) {
        if (finding.item.key != desktop_keys::kPagefileByWmi) continue;
        steps.push_back(step(line, source, "A step of the page file size set on " + at(finding.item.line) + ", judged there."));
        break;
      }
    }
  }
  for (auto& finding : steps) findings.push_back(std::move(finding));
}

}  // namespace tune::audit
