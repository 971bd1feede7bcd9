// Settings of macOS and Windows advice that the shell-line reader
// (extract.cpp) does not see: PowerShell objects and loops (a service list
// fed to Set-Service, a WMI page-file object, a process's PriorityClass),
// Defender exclusions, `defaults write`, `mdutil`, and launchd plists written
// by a heredoc (a LaunchDaemon that runs `launchctl limit`, a job's Nice).
// Each becomes an item of the knowledge domain tune plans it in, so the
// ordinary judge gives the verdict.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // std::regex under GCC 12 with sanitizers (see extract.cpp)
#endif
#include "audit/audit.h"

#include "audit/desktop_keys.h"
#include "audit/document.h"
#include "audit/shell_words.h"
#include "util/text.h"

#include <map>
#include <regex>

namespace tune::audit {
namespace {

// Set-Service -StartupType and `sc config start=` words, in the names of
// services.yaml's start_type (Microsoft Learn: Set-Service, sc.exe config).
std::string start_type_name(const std::string& word) {
  const std::string name = ascii_lower(word);
  if (name == "automatic" || name == "auto") return "auto";
  if (name == "automaticdelayedstart" || name == "delayed-auto") return "delayed-auto";
  if (name == "manual" || name == "demand") return "manual";
  if (name == "disabled") return "disabled";
  return name;
}

// The value of `-Flag VALUE` among PowerShell words, the flag's case ignored.
std::string flag_value(const std::vector<Word>& words, const std::string& flag) {
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (!words[i].op && ascii_lower(words[i].text) == ascii_lower(flag) && !words[i + 1].op) return words[i + 1].text;
  }
  return "";
}

class DesktopExtractor {
 public:
  explicit DesktopExtractor(std::string source) : source_(std::move(source)) {}

  std::vector<AdviceItem> run(const std::string& text) {
    lines_ = read_document(text, source_);
    for (index_ = 0; index_ < lines_.size(); ++index_) {
      const DocumentLine& line = lines_[index_];
      if (line.fence || line.text.empty() || line.text[0] == '#') continue;
      if (line.language == "powershell") read_powershell(line);
      else if (line.language == "shell") read_shell(line);
      else if (!line.heredoc_target.empty() && ends_with(line.heredoc_target, ".plist")) read_plist(line);
    }
    return std::move(items_);
  }

 private:
  AdviceItem item(const DocumentLine& line, const std::string& form, const std::string& domain, const std::string& key,
                  const std::string& value, bool known = true) {
    AdviceItem advice;
    advice.source = source_;
    advice.line = line.number;
    advice.text = line.text;
    advice.form = form;
    advice.domain = domain;
    advice.key = key;
    advice.value = value;
    advice.value_known = known && value.find('$') == std::string::npos;
    return advice;
  }

  // $Name = @( "A", "B" ) over one or several lines, and foreach ($x in $Name).
  void read_powershell(const DocumentLine& line) {
    static const std::regex kArray(R"(^\$(\w+)\s*=\s*@\((.*)$)");
    static const std::regex kQuoted(R"re(["']([^"']+)["'])re");
    static const std::regex kForeach(R"(^foreach\s*\(\s*\$(\w+)\s+in\s+\$(\w+)\s*\))", std::regex::icase);
    static const std::regex kAssign(R"(^\$(\w+)\s*=\s*(.+)$)");
    static const std::regex kProperty(R"re(^\$(\w+)\.(\w+)\s*=\s*(.+)$)re");
    std::smatch m;
    const std::string code = trim(strip_comment(line.text));
    if (std::regex_match(code, m, kArray)) {
      std::vector<std::string>& names = arrays_[m[1]];
      std::string rest = m[2];
      // The list runs to the line with the closing parenthesis.
      for (size_t i = index_;; rest = trim(strip_comment(lines_[++i].text))) {
        for (auto it = std::sregex_iterator(rest.begin(), rest.end(), kQuoted); it != std::sregex_iterator(); ++it) {
          names.push_back((*it)[1]);
        }
        if (rest.find(')') != std::string::npos || i + 1 >= lines_.size() || lines_[i + 1].fence) break;
      }
      return;
    }
    if (std::regex_search(code, m, kForeach)) {
      auto list = arrays_.find(m[2]);
      if (list != arrays_.end()) arrays_[m[1]] = list->second;
      return;
    }
    if (std::regex_match(code, m, kProperty)) {
      read_property(line, m[1], m[2], unquote(m[3].str()));
      return;
    }
    if (std::regex_match(code, m, kAssign)) {
      assignments_[m[1]] = trim(m[2].str());
      return;
    }
    read_windows_command(line, shell_words(code));
  }

  // $process.PriorityClass = "High"; $pagefileset.InitialSize = $PageFileSize.
  void read_property(const DocumentLine& line, const std::string& object, const std::string& property,
                     const std::string& value) {
    const std::string from = assignments_.count(object) ? assignments_[object] : "";
    if (property == "PriorityClass") {
      AdviceItem advice = item(line, "PowerShell PriorityClass", "command", desktop_keys::kPriorityClass, value);
      advice.scope = process_name(from);
      items_.push_back(std::move(advice));
    } else if (property == "InitialSize" && from.find("Win32_PageFileSetting") != std::string::npos) {
      // The size the text computes, written out so the finding shows where it comes from.
      std::string size = value;
      if (starts_with(value, "$") && assignments_.count(value.substr(1))) size = value + " = " + assignments_[value.substr(1)];
      AdviceItem advice = item(line, "WMI Win32_PageFileSetting", "command", desktop_keys::kPagefileByWmi, size);
      advice.value_known = true;  // an expression the text shows; the entry judges the form, not a number
      items_.push_back(std::move(advice));
    }
  }

  static std::string process_name(const std::string& expression) {
    static const std::regex kName(R"re(Get-Process\s+(-Name\s+)?["']?([\w.-]+))re", std::regex::icase);
    std::smatch m;
    return std::regex_search(expression, m, kName) ? std::string(m[2]) : "";
  }

  // Names a -Name argument stands for: a literal, or each entry of the list
  // a foreach variable walks.
  std::vector<std::string> names_of(const std::string& word) const {
    if (starts_with(word, "$")) {
      auto list = arrays_.find(word.substr(1));
      if (list != arrays_.end()) return list->second;
      return {word};
    }
    return split(word, ',');
  }

  void read_windows_command(const DocumentLine& line, std::vector<Word> words) {
    while (!words.empty() && !words[0].op && ascii_lower(words[0].text) == "sudo") words.erase(words.begin());
    if (words.empty() || words[0].op) return;
    const std::string command = ascii_lower(words[0].text);
    auto arg = [&](size_t i) { return i < words.size() && !words[i].op ? words[i].text : std::string(); };
    if (command == "set-service") {
      const std::string type = flag_value(words, "-StartupType");
      if (type.empty()) return;
      for (const auto& name : names_of(flag_value(words, "-Name"))) {
        AdviceItem advice = item(line, "Set-Service", "services", "start_type", start_type_name(type));
        advice.scope = name;
        items_.push_back(std::move(advice));
      }
    } else if ((command == "sc" || command == "sc.exe") && ascii_lower(arg(1)) == "config") {
      for (size_t i = 3; i + 1 < words.size(); ++i) {
        if (ascii_lower(arg(i)) != "start=") continue;
        AdviceItem advice = item(line, "sc config", "services", "start_type", start_type_name(arg(i + 1)));
        advice.scope = arg(2);
        items_.push_back(std::move(advice));
      }
    } else if (command == "add-mppreference" || command == "set-mppreference") {
      static const std::map<std::string, std::string> kExclusions = {
          {"-exclusionpath", "path"}, {"-exclusionprocess", "process"}, {"-exclusionextension", "extension"}};
      for (size_t i = 1; i + 1 < words.size(); ++i) {
        auto kind = kExclusions.find(ascii_lower(arg(i)));
        if (kind == kExclusions.end()) continue;
        AdviceItem advice = item(line, words[0].text, desktop_keys::kDefenderDomain, desktop_keys::kDefenderExclusion, arg(i + 1));
        advice.scope = kind->second;
        advice.value_known = true;  // "$env:USERPROFILE\projects" names the folder well enough
        items_.push_back(std::move(advice));
      }
    }
  }

  // macOS commands extract.cpp leaves alone: defaults write and mdutil.
  void read_shell(const DocumentLine& line) {
    std::vector<Word> words = shell_words(strip_comment(line.text));
    while (!words.empty() && !words[0].op && words[0].text == "sudo") words.erase(words.begin());
    auto arg = [&](size_t i) { return i < words.size() && !words[i].op ? words[i].text : std::string(); };
    if (words.empty()) return;
    if (arg(0) == "defaults" && arg(1) == "write" && !arg(3).empty()) {
      // defaults write DOMAIN KEY [-TYPE] VALUE
      std::string value = starts_with(arg(4), "-") ? arg(5) : arg(4);
      const desktop_keys::KnowledgeKey known = desktop_keys::defaults_key(arg(2), arg(3));
      AdviceItem advice = item(line, "defaults write", known.domain, known.key, value);
      advice.scope = arg(2) + " " + arg(3);
      items_.push_back(std::move(advice));
    } else if (arg(0) == "mdutil" && arg(1) == "-i" && arg(2) == "off") {
      AdviceItem advice = item(line, "mdutil -i off", desktop_keys::kSpotlightDomain, desktop_keys::kSpotlightKey, arg(3));
      advice.value_known = true;  // the path may hold $(whoami): still the folder it names
      items_.push_back(std::move(advice));
    }
  }

  // A launchd plist a heredoc writes: <key>Nice</key> with its integer, and
  // a ProgramArguments array that runs `launchctl limit RESOURCE SOFT HARD`.
  void read_plist(const DocumentLine& line) {
    static const std::regex kString(R"(^<string>(.*)</string>$)");
    static const std::regex kInteger(R"(^<integer>(-?\d+)</integer>$)");
    std::smatch m;
    const std::string label = plist_label(line.heredoc_line);
    if (line.text == "<key>Nice</key>" && index_ + 1 < lines_.size() && std::regex_match(lines_[index_ + 1].text, m, kInteger)) {
      AdviceItem advice = item(line, "launchd plist Nice", "command", desktop_keys::kLaunchdNice, m[1]);
      advice.scope = label;
      items_.push_back(std::move(advice));
      return;
    }
    if (line.text != "<string>launchctl</string>" && line.text != "<string>/bin/launchctl</string>") return;
    std::vector<std::string> arguments;
    for (size_t i = index_ + 1; i < lines_.size() && std::regex_match(lines_[i].text, m, kString); ++i) arguments.push_back(m[1]);
    static const std::map<std::string, std::string> kLimits = {{"maxfiles", "nofile"}, {"maxproc", "nproc"}};
    if (arguments.size() < 3 || arguments[0] != "limit" || !kLimits.count(arguments[1])) return;
    // As `launchctl limit maxfiles SOFT HARD` on a shell line: the hard limit.
    AdviceItem advice = item(line, "LaunchDaemon launchctl limit", "limits", kLimits.at(arguments[1]), arguments.back());
    advice.scope = "*";
    items_.push_back(std::move(advice));
  }

  // The <key>Label</key> of the plist a heredoc starting on `heredoc_line` writes.
  std::string plist_label(int heredoc_line) const {
    for (size_t i = 0; i + 1 < lines_.size(); ++i) {
      if (lines_[i].heredoc_line != heredoc_line || lines_[i].text != "<key>Label</key>") continue;
      static const std::regex kString(R"(^<string>(.*)</string>$)");
      std::smatch m;
      if (std::regex_match(lines_[i + 1].text, m, kString)) return m[1];
    }
    return "";
  }

  std::string source_;
  std::vector<DocumentLine> lines_;
  size_t index_ = 0;
  std::map<std::string, std::vector<std::string>> arrays_;  // PowerShell @(...) lists and foreach variables
  std::map<std::string, std::string> assignments_;         // $name = expression
  std::vector<AdviceItem> items_;
};

}  // namespace

std::vector<AdviceItem> extract_desktop(const std::string& text, const std::string& source) {
  return DesktopExtractor(source).run(text);
}

}  // namespace tune::audit
