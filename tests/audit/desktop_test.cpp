// macOS and Windows advice in `tune audit`: every such line of guide 000 gets
// a verdict (a tune equivalent, or why not) or is counted as a step of one,
// and the readers behind that work on the shapes guides use: PowerShell
// service lists and WMI objects, Defender exclusions, defaults, mdutil,
// launchd plists written by a heredoc.
#include "audit/audit.h"

#include "core/profile_store.h"
#include "support/corpora.h"
#include "util/text.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

namespace tune::audit {
namespace {

namespace fs = std::filesystem;

std::vector<Finding> audit_000() {
  for (const auto& entry : fs::directory_iterator(testing::seeds_dir())) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("000_", 0) == 0) return audit_text(*read_input_file(entry.path().string()), name, nullptr);
  }
  ADD_FAILURE() << "no guide 000 in " << testing::seeds_dir();
  return {};
}

std::vector<Finding> settings_in(const std::string& text) {
  std::vector<Finding> settings;
  for (auto& finding : audit_text(text, "advice.sh", nullptr)) {
    if (finding.kind == FindingKind::Setting) settings.push_back(std::move(finding));
  }
  return settings;
}

const Finding* on_line(const std::vector<Finding>& findings, int line, const std::string& key, const std::string& scope = "") {
  for (const auto& finding : findings) {
    if (finding.item.line == line && finding.item.key == key && (scope.empty() || finding.item.scope == scope)) return &finding;
  }
  return nullptr;
}

struct Expected {
  int line;
  const char* domain;
  const char* key;
  const char* scope;
  Verdict verdict;
};

// Guide 000's macOS and Windows settings, with the verdict and why (the
// knowledge entries carry the sources).
const Expected kGuide000[] = {
    {564, "environment", "OLLAMA_METAL", "", Verdict::Nonexistent},
    {565, "environment", "OLLAMA_METAL_EMBED_LIBRARY", "", Verdict::Nonexistent},  // a ggml build option
    {596, "power", "scheme_guid", "", Verdict::Mapped},                              // power scheme high-performance
    {600, "command", "process.priority_class", "ollama", Verdict::Risky},            // High starves the desktop
    {603, "power", "core_parking_min_cores_pct", "", Verdict::Valid},
    {1763, "power", "scheme_guid", "", Verdict::Mapped},
    {1766, "command", "defender.exclusion", "path", Verdict::Risky},
    {1767, "command", "defender.exclusion", "path", Verdict::Risky},
    {1768, "command", "defender.exclusion", "process", Verdict::Risky},
    {1769, "command", "defender.exclusion", "process", Verdict::Risky},
    {1780, "command", "pagefile.wmi", "", Verdict::Mapped},                   // windows pagefile_mb; 1.5x RAM is dated
    {1785, "power", "system_responsiveness_pct", "", Verdict::NoEffect},       // 0 is clamped, MMCSS threads only
    {1788, "power", "win32_priority_separation", "", Verdict::NoEffect},       // 38 is the desktop default
    {1799, "services", "start_type", "WSearch", Verdict::Valid},
    {1799, "services", "start_type", "SysMain", Verdict::Valid},
    {1799, "services", "start_type", "Themes", Verdict::NoEffect},
    {1799, "services", "start_type", "TabletInputService", Verdict::NoEffect},
    {1996, "command", "defaults.cosmetic", "", Verdict::NoEffect},
    {1997, "command", "defaults.cosmetic", "", Verdict::NoEffect},
    {1998, "macos", "dock_autohide_delay", "", Verdict::NoEffect},             // the macOS backend's entry
    {1999, "macos", "dock_autohide_time_modifier", "", Verdict::NoEffect},
    {2000, "command", "defaults.cosmetic", "", Verdict::NoEffect},
    {2016, "command", "launchd.conf", "", Verdict::Obsolete},
    {2017, "command", "launchd.conf", "", Verdict::Obsolete},
    {2029, "limits", "nofile", "*", Verdict::Valid},                          // the LaunchDaemon is tune's own form
    {2048, "environment", "OLLAMA_METAL", "", Verdict::Nonexistent},
    {2049, "environment", "OLLAMA_METAL_EMBED_LIBRARY", "", Verdict::Nonexistent},
    {2050, "environment", "OLLAMA_METAL", "", Verdict::Nonexistent},
    {2051, "environment", "OLLAMA_METAL_EMBED_LIBRARY", "", Verdict::Nonexistent},
    {2069, "environment", "OLLAMA_MAX_MEMORY", "", Verdict::Nonexistent},
    {2071, "environment", "OLLAMA_METAL", "", Verdict::Nonexistent},
    {2073, "environment", "OLLAMA_KEEP_ALIVE", "", Verdict::Valid},
    {2084, "command", "launchd.nice", "com.ollama.optimized", Verdict::Valid},
    {2095, "macos", "spotlight_off", "", Verdict::Wrong},                    // mdutil -i takes volumes
    {2096, "macos", "spotlight_off", "", Verdict::Wrong},
};

TEST(DesktopAdvice, Guide000MacAndWindowsSettingsGetTheirVerdicts) {
  const auto findings = audit_000();
  for (const auto& expected : kGuide000) {
    const Finding* finding = on_line(findings, expected.line, expected.key, expected.scope);
    if (!finding) {
      ADD_FAILURE() << "000:" << expected.line << " " << expected.key << " " << expected.scope << " not found";
      continue;
    }
    EXPECT_EQ(finding->kind, FindingKind::Setting) << expected.line;
    EXPECT_EQ(finding->item.domain, expected.domain) << expected.line;
    EXPECT_EQ(verdict_name(finding->verdict), std::string(verdict_name(expected.verdict)))
        << "000:" << expected.line << " " << expected.key << ": " << finding->message;
    EXPECT_TRUE(expected.verdict == Verdict::Valid || !finding->message.empty()) << expected.line;  // why not
  }
}

// pmset keys belong to the macOS backend's entries: judged, whatever it says.
TEST(DesktopAdvice, Guide000PmsetLinesAreJudged) {
  const auto findings = audit_000();
  const std::pair<int, const char*> kPmset[] = {{2004, "standby"},      {2005, "hibernatemode"}, {2006, "autopoweroff"},
                                                {2007, "powernap"},     {2008, "proximitywake"}, {2009, "tcpkeepalive"},
                                                {2012, "lowpowermode"}};
  for (const auto& [line, key] : kPmset) {
    const Finding* finding = on_line(findings, line, key);
    ASSERT_NE(finding, nullptr) << line;
    EXPECT_EQ(finding->item.domain, "power");
    EXPECT_NE(finding->verdict, Verdict::NotJudged) << line << ": " << finding->message;
  }
}

// The lines that only carry out a setting of another line point at it.
TEST(DesktopAdvice, Guide000StepsPointAtTheirSetting) {
  const auto findings = audit_000();
  const std::pair<int, const char*> kSteps[] = {
      {604, "line 603"},   {1774, "line 1780"}, {1775, "line 1780"}, {1776, "line 1780"}, {1779, "line 1780"},
      {1781, "line 1780"}, {1782, "line 1780"}, {1800, "line 1799"}, {2043, "line 2020"}, {2091, "line 2055"},
      {2099, "line 2000"}};
  for (const auto& [line, pointer] : kSteps) {
    const Finding* finding = nullptr;
    for (const auto& candidate : findings) {
      if (candidate.item.line == line) finding = &candidate;
    }
    ASSERT_NE(finding, nullptr) << "000:" << line << " has no finding";
    EXPECT_EQ(finding->kind, FindingKind::Line) << line;
    EXPECT_EQ(finding->rule, "step-of-setting") << line << ": " << finding->message;
    EXPECT_NE(finding->message.find(pointer), std::string::npos) << line << ": " << finding->message;
  }
}

// Every macOS and Windows line of 000 that changes something has a finding
// that is not "tune does not know this" (unknown keys, commands not judged).
TEST(DesktopAdvice, NoMacOrWindowsLineOf000IsLeftUnjudged) {
  const auto findings = audit_000();
  const std::set<int> kLines = {564,  565,  596,  600,  603,  604,  1763, 1766, 1767, 1768, 1769, 1774, 1775, 1776,
                                1779, 1780, 1781, 1782, 1785, 1788, 1799, 1800, 1996, 1997, 1998, 1999, 2000, 2004,
                                2005, 2006, 2007, 2008, 2009, 2012, 2016, 2017, 2029, 2043, 2048, 2049, 2050, 2051,
                                2069, 2071, 2073, 2084, 2091, 2095, 2096, 2099};
  for (int line : kLines) {
    bool accounted = false;
    for (const auto& finding : findings) {
      if (finding.item.line != line) continue;
      EXPECT_NE(finding.rule, "unknown-key") << line << ": " << finding.message;
      EXPECT_NE(finding.rule, "command-not-judged") << line << ": " << finding.message;
      accounted = accounted || finding.verdict != Verdict::NotJudged || finding.rule == "step-of-setting";
    }
    EXPECT_TRUE(accounted) << "000:" << line;
  }
}

TEST(DesktopAdvice, ServiceListsFedToSetServiceAreReadOneByOne) {
  const auto settings = settings_in(
      "```powershell\n$Off = @(\"WSearch\",  # search\n  \"SysMain\"\n)\nforeach ($S in $Off) {\n"
      "  Set-Service -Name $S -StartupType Disabled\n}\nSet-Service -Name Spooler -StartupType Manual\n```\n");
  ASSERT_EQ(settings.size(), 3u);
  EXPECT_EQ(settings[0].item.scope, "WSearch");
  EXPECT_EQ(settings[1].item.scope, "SysMain");
  EXPECT_EQ(settings[0].item.value, "disabled");
  EXPECT_EQ(settings[0].modern, "services WSearch start_type = disabled");
  EXPECT_EQ(settings[2].item.scope, "Spooler");
  EXPECT_EQ(settings[2].item.value, "manual");
  const auto sc = settings_in("```powershell\nsc.exe config SysMain start= demand\n```\n");
  ASSERT_EQ(sc.size(), 1u);
  EXPECT_EQ(sc[0].item.scope, "SysMain");
  EXPECT_EQ(sc[0].item.value, "manual");
}

TEST(DesktopAdvice, SpotlightIsSwitchedPerVolumeNotPerFolder) {
  Finding folder = settings_in("sudo mdutil -i off /Users/me/models\n").at(0);
  EXPECT_EQ(folder.verdict, Verdict::Wrong);
  EXPECT_NE(folder.message.find(".noindex"), std::string::npos);
  Finding volume = settings_in("sudo mdutil -i off /Volumes/Models\n").at(0);
  EXPECT_EQ(volume.verdict, Verdict::Valid) << volume.message;
}

TEST(DesktopAdvice, DockAnimationsAreCosmeticAndOtherPreferencesUnknown) {
  Finding dock = settings_in("defaults write com.apple.dock autohide-delay -float 0\n").at(0);
  EXPECT_EQ(dock.verdict, Verdict::NoEffect);
  EXPECT_NE(dock.message.find("Cosmetic"), std::string::npos);
  Finding other = settings_in("defaults write com.apple.dock persistent-apps -array\n").at(0);
  EXPECT_EQ(other.verdict, Verdict::NotJudged);
}

TEST(DesktopAdvice, ProcessPriorityHighIsRiskyAboveNormalIsNot) {
  EXPECT_EQ(settings_in("```powershell\n$p = Get-Process -Name \"ollama\"\n$p.PriorityClass = \"High\"\n```\n").at(0).verdict,
            Verdict::Risky);
  EXPECT_EQ(settings_in("```powershell\n$p = Get-Process ollama\n$p.PriorityClass = \"AboveNormal\"\n```\n").at(0).verdict,
            Verdict::Valid);
}

TEST(DesktopAdvice, RegistryValuesThatChangeNothingSayWhy) {
  auto setting = [](const std::string& name, const std::string& value) {
    return settings_in("```powershell\nSet-ItemProperty -Path \"HKLM:\\X\" -Name \"" + name + "\" -Value " + value + "\n```\n").at(0);
  };
  EXPECT_EQ(setting("SystemResponsiveness", "0").verdict, Verdict::NoEffect);
  EXPECT_EQ(setting("SystemResponsiveness", "10").verdict, Verdict::Valid);
  EXPECT_EQ(setting("Win32PrioritySeparation", "38").verdict, Verdict::NoEffect);
  EXPECT_EQ(setting("Win32PrioritySeparation", "24").verdict, Verdict::Valid);
}

TEST(DesktopAdvice, ALaunchDaemonThatSetsLimitsIsTunesOwnForm) {
  const std::string text =
      "sudo tee /Library/LaunchDaemons/limit.maxproc.plist > /dev/null << 'EOF'\n<plist version=\"1.0\">\n<dict>\n"
      "<key>Label</key>\n<string>limit.maxproc</string>\n<key>ProgramArguments</key>\n<array>\n"
      "<string>launchctl</string>\n<string>limit</string>\n<string>maxproc</string>\n<string>2000</string>\n"
      "<string>4000</string>\n</array>\n</dict>\n</plist>\nEOF\nsudo launchctl load -w /Library/LaunchDaemons/limit.maxproc.plist\n";
  const auto findings = audit_text(text, "advice.sh", nullptr);
  const Finding* limit = on_line(findings, 8, "nproc");
  ASSERT_NE(limit, nullptr);
  EXPECT_EQ(limit->verdict, Verdict::Valid) << limit->message;
  EXPECT_EQ(limit->item.value, "4000");
  const Finding* load = nullptr;
  for (const auto& finding : findings) {
    if (finding.item.line == 17) load = &finding;
  }
  ASSERT_NE(load, nullptr);
  EXPECT_EQ(load->rule, "step-of-setting");
}

TEST(DesktopAdvice, ReactivatingThePlanIsAStepOnlyAfterAValueWasWritten) {
  const auto alone = audit_text("```powershell\npowercfg /setactive scheme_current\n```\n", "a.md", nullptr);
  ASSERT_FALSE(alone.empty());
  EXPECT_NE(alone.front().rule, "step-of-setting");
}

}  // namespace
}  // namespace tune::audit
