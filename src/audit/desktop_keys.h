// The knowledge keys the macOS and Windows advice readers (extract_desktop.cpp)
// give their items, in one place: several belong to entries the macOS and
// Windows backends own, so a rename there is one line here.
#pragma once

#include <string>

namespace tune::audit::desktop_keys {

// command domain (data/knowledge/commands.yaml), the audit's own entries.
inline const char* const kPriorityClass = "process.priority_class";  // $process.PriorityClass = "High"
inline const char* const kPagefileByWmi = "pagefile.wmi";             // Win32_PageFileSetting InitialSize/MaximumSize
inline const char* const kLaunchdNice = "launchd.nice";               // <key>Nice</key> in a launchd plist

// Windows Defender exclusions (Add-MpPreference -Exclusion*).
inline const char* const kDefenderDomain = "command";
inline const char* const kDefenderExclusion = "defender.exclusion";

// Spotlight indexing of a volume turned off (mdutil -i off PATH): the macOS
// backend's entry (data/knowledge/macos.yaml), whose value is the path.
inline const char* const kSpotlightDomain = "macos";
inline const char* const kSpotlightKey = "spotlight_off";

// `defaults write DOMAIN KEY`: the macOS backend's entries for the Dock
// preferences it reports (macos.yaml: dock_autohide_delay...), the audit's
// defaults.cosmetic for other animation timings, and defaults.other (not in
// the knowledge base, so not judged) for every other preference.
struct KnowledgeKey {
  std::string domain;
  std::string key;
};
inline KnowledgeKey defaults_key(const std::string& domain, const std::string& key) {
  static const char* const kCosmetic[] = {"minimize-to-application", "expose-animation-duration", "mineffect",
                                          "NSWindowResizeTime", "NSAutomaticWindowAnimationsEnabled",
                                          "QLPanelAnimationDuration", "springboard-show-duration",
                                          "springboard-hide-duration"};
  if (domain == "com.apple.dock" && (key == "autohide-delay" || key == "autohide-time-modifier" || key == "launchanim")) {
    std::string name = "dock_" + key;
    for (char& c : name) c = c == '-' ? '_' : c;
    return {"macos", name};
  }
  if (domain == "com.apple.dock" || domain == "NSGlobalDomain" || domain == "-g" || domain == "com.apple.finder") {
    for (const char* cosmetic : kCosmetic) {
      if (key == cosmetic) return {"command", "defaults.cosmetic"};
    }
  }
  return {"command", "defaults.other"};
}

}  // namespace tune::audit::desktop_keys
