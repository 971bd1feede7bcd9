// Verdicts on macOS and Windows advice that depend on more than the key and
// its value, which the knowledge base's value advice cannot express: which
// path `mdutil -i off` names, which service Set-Service disables, and that a
// cosmetic preference changes nothing a model server needs.
#include "audit/audit.h"

#include "audit/desktop_keys.h"
#include "util/text.h"

#include <map>

namespace tune::audit {
namespace {

// mdutil(1) switches indexing per volume: its argument is a mount point.
bool is_volume(const std::string& path) {
  if (path == "/" || path == "/System/Volumes/Data") return true;
  if (!starts_with(path, "/Volumes/")) return false;
  const std::string name = path.substr(9);
  return !name.empty() && name.find('/') == std::string::npos;
}

void judge_spotlight(Finding& finding) {
  const std::string& path = finding.item.value;
  if (path.empty() || is_volume(path)) return;
  finding.verdict = Verdict::Wrong;
  finding.rule = "not-a-volume";
  finding.modern.clear();
  finding.message = "mdutil -i switches Spotlight indexing for a whole volume (mdutil(1): mdutil -i on|off "
                    "MOUNTPOINT); there is no per-folder switch, so this does not exclude " + path +
                    " alone" + (finding.item.text.find("|| true") != std::string::npos ? ", and `|| true` hides that it failed" : "") +
                    ". Add the folder to Spotlight's Privacy list, or give it a .noindex suffix (Apple, TA24975).";
}

// Services guides disable that carry no cost a model server pays: what
// disabling them does, from the services' Microsoft Learn descriptions.
const std::map<std::string, std::string> kServicesWithoutCost = {
    {"Themes", "The Themes service draws visual styles; disabling it gives the classic look and frees a few megabytes, "
               "nothing a model server measures."},
    {"TabletInputService", "The Touch Keyboard and Handwriting Panel service idles unless touch, pen or the emoji panel "
                           "is used; disabling it breaks those and frees nothing a model server measures."},
};

void judge_service(Finding& finding) {
  auto service = kServicesWithoutCost.find(finding.item.scope);
  if (service == kServicesWithoutCost.end() || finding.item.value != "disabled") return;
  if (finding.verdict != Verdict::Valid) return;
  finding.verdict = Verdict::NoEffect;
  finding.rule = "cosmetic";
  finding.modern.clear();
  finding.message = service->second;
}

}  // namespace

void judge_desktop_context(std::vector<Finding>& findings) {
  for (auto& finding : findings) {
    if (finding.kind != FindingKind::Setting || !finding.entry) continue;
    const AdviceItem& item = finding.item;
    if (item.domain == desktop_keys::kSpotlightDomain && item.key == desktop_keys::kSpotlightKey) judge_spotlight(finding);
    if (item.domain == "services" && item.key == "start_type") judge_service(finding);
    // The knowledge base has no "cosmetic" status: such an entry's `say`
    // begins with "Cosmetic" (macos.yaml's Dock keys, commands.yaml's
    // defaults.cosmetic), and the verdict is no effect.
    if (starts_with(finding.entry->say, "Cosmetic") && finding.verdict == Verdict::Valid) {
      finding.verdict = Verdict::NoEffect;
      finding.rule = "cosmetic";
      finding.modern.clear();
    }
  }
}

}  // namespace tune::audit
