#include "platform/macos/launchd_plist.h"

#include "platform/macos/launchd_job_knob.h"

#include <cctype>

namespace tune::macos_platform {

bool macos_owned_file(const std::string& path) {
  if (path == kSysctlPlist || path == kMaxfilesPlist || path == kMaxprocPlist) return true;
  // A job installed from a template (launchd_job_planner.h): LABEL.plist, the label checked.
  const std::string daemons = std::string(kLaunchDaemons) + "/";
  if (path.size() > daemons.size() + 6 && path.compare(0, daemons.size(), daemons) == 0 &&
      path.compare(path.size() - 6, 6, ".plist") == 0 &&
      valid_job_label(path.substr(daemons.size(), path.size() - daemons.size() - 6))) {
    return true;
  }
  const std::string prefix = kEnvironmentPlistPrefix;
  const std::string suffix = ".plist";
  if (path.size() <= prefix.size() + suffix.size() || path.compare(0, prefix.size(), prefix) != 0 ||
      path.compare(path.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return false;
  }
  // Only a variable's name between them: no '/', no "..".
  const std::string name = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  }
  return true;
}

std::string xml_escaped(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

// "--" cannot appear inside an XML comment.
std::string comment_safe(std::string text) {
  for (size_t at = text.find("--"); at != std::string::npos; at = text.find("--")) text.replace(at, 2, "- -");
  return text;
}

}  // namespace

std::string run_at_load_plist(const std::string& label, const std::vector<std::string>& program,
                              const std::string& profile, const std::string& why) {
  // The layout of launchd.plist(5); Apple's own limit.maxfiles examples
  // use the same keys (Label, ProgramArguments, RunAtLoad).
  std::string text =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
      "<!-- Written by tune for profile '" + comment_safe(profile) + "': " + comment_safe(why) +
      ". tune rollback puts back what was here. -->\n"
      "<plist version=\"1.0\">\n"
      "<dict>\n"
      "  <key>Label</key>\n"
      "  <string>" + xml_escaped(label) + "</string>\n"
      "  <key>ProgramArguments</key>\n"
      "  <array>\n";
  for (const auto& word : program) text += "    <string>" + xml_escaped(word) + "</string>\n";
  text +=
      "  </array>\n"
      "  <key>RunAtLoad</key>\n"
      "  <true/>\n"
      "</dict>\n"
      "</plist>\n";
  return text;
}

}  // namespace tune::macos_platform
