// Reading settings out of pasted advice, one line at a time.
// GCC 12 with the sanitizers reports maybe-uninitialized inside libstdc++'s
// std::function as std::regex instantiates it: a false positive of that
// compiler, silenced for this file only.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "audit/advice.h"

#include "audit/shell_words.h"
#include "core/knowledge.h"
#include "util/text.h"
#include "util/sysctl_names.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <regex>

namespace tune::audit {
namespace {

// First components of sysctl keys, so `config.max = 5` in code is not taken
// for one. kern, iogpu and debug are macOS's.
const std::vector<std::string> kSysctlRoots = {"kernel", "vm",     "net",  "fs",    "dev",  "user",
                                               "abi",    "sunrpc", "kern", "iogpu", "debug"};

const std::vector<std::string> kUnitDirectives = {
    "LimitNOFILE",  "LimitNPROC",   "LimitMEMLOCK", "Nice",      "IOSchedulingClass", "IOSchedulingPriority",
    "CPUSchedulingPolicy", "CPUSchedulingPriority", "CPUAffinity", "NUMAPolicy", "NUMAMask", "MemoryDenyWriteExecute",
    "MemoryMax",    "MemoryHigh",   "CPUWeight",    "TasksMax",  "OOMScoreAdjust"};

// ulimit flags and the limits they set.
const std::map<char, std::string> kUlimitFlags = {{'n', "nofile"}, {'u', "nproc"}, {'l', "memlock"}, {'s', "stack"},
                                                  {'c', "core"},   {'v', "as"},    {'f', "fsize"},   {'d', "data"}};

// powercfg's processor setting aliases and tune's names for them.
const std::map<std::string, std::string> kPowercfgSettings = {{"CPMINCORES", "core_parking_min_cores_pct"},
                                                              {"PROCTHROTTLEMIN", "processor_min_state_pct"},
                                                              {"PROCTHROTTLEMAX", "processor_max_state_pct"}};

// Registry values tune knows by name.
const std::map<std::string, std::string> kRegistryValues = {{"SystemResponsiveness", "system_responsiveness_pct"},
                                                            {"Win32PrioritySeparation", "win32_priority_separation"}};

bool is_sysctl_key(const std::string& key) {
  auto dot = key.find('.');
  if (dot == std::string::npos || dot == 0 || key.back() == '.') return false;
  if (std::find(kSysctlRoots.begin(), kSysctlRoots.end(), key.substr(0, dot)) == kSysctlRoots.end()) return false;
  return std::all_of(key.begin(), key.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '.' ||
           c == '_' || c == '-' || c == '/' || c == '*';
  });
}

bool is_environment_name(const std::string& name) {
  if (name.empty() || !std::isupper(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_'; });
}

class Extractor {
 public:
  explicit Extractor(std::string source) : source_(std::move(source)) {}

  std::vector<AdviceItem> run(const std::string& text) {
    auto lines = split_lines(text);
    for (size_t i = 0; i < lines.size(); ++i) {
      line_number_ = static_cast<int>(i) + 1;
      raw_ = trim(lines[i]);
      // A trailing backslash continues the command on the next line.
      while (ends_with(raw_, "\\") && i + 1 < lines.size()) {
        raw_ = trim(raw_.substr(0, raw_.size() - 1)) + " " + trim(lines[++i]);
      }
      const std::string next = i + 1 < lines.size() ? trim(lines[i + 1]) : "";
      track_heredoc(raw_);
      read_line(raw_, next);
    }
    return std::move(items_);
  }

  // Unit directives belong to the unit file a heredoc writes, and only
  // until the heredoc ends.
  void track_heredoc(const std::string& line) {
    if (!heredoc_end_.empty()) {
      if (line == heredoc_end_) {
        heredoc_end_.clear();
        unit_.clear();
      }
      return;
    }
    if (line.find("<<") == std::string::npos) return;
    static const std::regex kHeredoc(R"(<<-?\s*['"]?([A-Za-z_][A-Za-z0-9_]*)['"]?)");
    static const std::regex kUnitPath(R"((/etc/systemd/system|/lib/systemd/system)/([A-Za-z0-9@_.:-]+\.service)(\.d)?)");
    std::smatch heredoc;
    if (!std::regex_search(line, heredoc, kHeredoc)) return;
    heredoc_end_ = heredoc[1];
    std::smatch unit;
    unit_ = std::regex_search(line, unit, kUnitPath) ? std::string(unit[2]) : "";
  }

 private:
  AdviceItem item(const std::string& form, const std::string& domain, const std::string& key, std::string value) {
    AdviceItem advice;
    advice.source = source_;
    advice.line = line_number_;
    advice.text = raw_;
    advice.form = form;
    advice.domain = domain;
    advice.key = key;
    bool unresolved = false;
    advice.value = trim(expand_variables(value, variables_, false, &unresolved));
    advice.value_known = !unresolved && advice.value.find('$') == std::string::npos;
    return advice;
  }
  void add(AdviceItem advice) { items_.push_back(std::move(advice)); }

  void read_line(const std::string& line, const std::string& next) {
    if (line.empty()) return;
    if (line[0] == '#' || line[0] == ';' || starts_with(line, "//")) return;
    std::string code = trim(strip_comment(line));
    if (code.empty()) return;
    if (read_plist_key(code, next)) return;
    if (read_python_environment(code)) return;
    std::vector<Word> words = shell_words(code);
    while (!words.empty() && !words[0].op && (words[0].text == "sudo" || words[0].text == "RUN" || words[0].text == "$" ||
                                               words[0].text == "-E" || words[0].text == "then" || words[0].text == "do")) {
      words.erase(words.begin());
    }
    if (words.empty()) return;
    if (read_command(words, code)) return;
    read_config_line(code);
  }

  // <key>OLLAMA_X</key> followed by <string>value</string> (launchd plists).
  bool read_plist_key(const std::string& code, const std::string& next) {
    static const std::regex kKey(R"(^<key>([A-Z][A-Z0-9_]*)</key>$)");
    static const std::regex kString(R"(^<(string|integer)>(.*)</(string|integer)>$)");
    std::smatch key, value;
    if (!starts_with(code, "<key>") || !std::regex_match(code, key, kKey)) return false;
    if (!std::regex_match(next, value, kString)) return true;
    add_environment(key[1], value[2], "launchd plist");
    return true;
  }

  // os.environ["OLLAMA_NUM_PARALLEL"] = "4", os.environ.setdefault("OMP_NUM_THREADS", "4"):
  // a program setting the environment of what it starts.
  bool read_python_environment(const std::string& code) {
    static const std::regex kAssign(R"re(os\.environ\[\s*["']([A-Z][A-Z0-9_]*)["']\s*\]\s*=\s*([^=].*)$)re");
    static const std::regex kDefault(R"re(os\.environ\.setdefault\(\s*["']([A-Z][A-Z0-9_]*)["']\s*,\s*(.*)\)\s*$)re");
    std::smatch m;
    if (code.find("os.environ") == std::string::npos) return false;
    if (!std::regex_search(code, m, kAssign) && !std::regex_search(code, m, kDefault)) return false;
    std::string value = trim(m[2].str());
    // A literal string or number is the value; an expression is not known.
    const bool literal = (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) ||
                         parse_number(value).has_value();
    const std::string name = m[1];
    if (!Knowledge::builtin().find("environment", name)) return true;
    AdviceItem advice = item("os.environ", "environment", name, literal ? unquote(value) : "$(" + value + ")");
    if (!literal) advice.value_known = false;
    add(std::move(advice));
    return true;
  }

  void add_environment(const std::string& name, const std::string& value, const std::string& form) {
    if (!is_environment_name(name) || !Knowledge::builtin().find("environment", name)) return;  // an app's own variable
    AdviceItem advice = item(form, "environment", name, unquote(value));
    advice.scope = unit_;
    add(std::move(advice));
  }

  void add_sysctl(const std::string& key, const std::string& value, const std::string& form) {
    add(item(form, "sysctl", key, unquote(value)));
  }

  // A file written under /proc or /sys.
  void add_path(const std::string& raw_path, const std::string& value, const std::string& form) {
    bool unresolved = false;
    std::string path = expand_variables(raw_path, variables_, true, &unresolved);
    if (starts_with(path, "/proc/sys/")) {
      add_sysctl(sysctl_key_of(path), value, form);
      return;
    }
    AdviceItem advice = item(form, "", "", unquote(value));
    advice.path = path;
    add(std::move(advice));
  }

  // `key = value` lines of sysctl.conf; limits.conf lines; unit directives;
  // GRUB_CMDLINE_LINUX; compose-style `- NAME=value`.
  void read_config_line(const std::string& code) {
    static const std::regex kSysctl(R"(^-?\s*([A-Za-z0-9_.*/-]+)\s*=\s*(.+)$)");
    static const std::regex kLimits(R"(^(\*|@?[A-Za-z_][A-Za-z0-9_.-]*)\s+(soft|hard|-)\s+([a-z]+)\s+(\S+)$)");
    static const std::regex kDirective(R"(^([A-Z][A-Za-z]+)=(.*)$)");
    static const std::regex kComposeEnv(R"(^-\s+([A-Z][A-Z0-9_]*)=(.*)$)");
    static const std::regex kGrub(R"(^GRUB_CMDLINE_LINUX(_DEFAULT)?=(.*)$)");
    std::smatch m;
    if (std::regex_match(code, m, kGrub)) {
      for (const auto& word : split_whitespace(unquote(m[2]))) add_boot_parameter(word, "grub cmdline");
      return;
    }
    if (std::regex_match(code, m, kComposeEnv)) {
      add_environment(m[1], m[2], "compose environment");
      return;
    }
    if (std::regex_match(code, m, kLimits)) {
      AdviceItem advice = item("limits.conf", "limits", m[3], m[4]);
      advice.scope = m[1];
      if (m[2] != "-") advice.key += std::string(".") + std::string(m[2]);
      add(std::move(advice));
      return;
    }
    if (std::regex_match(code, m, kDirective)) {
      const std::string name = m[1];
      if (name == "ExecStart" && m[2].str().find("numactl") != std::string::npos) {
        auto inner = shell_words(m[2]);
        if (!inner.empty()) read_command(inner, m[2]);
        return;
      }
      if (name == "Environment") {
        for (const auto& word : shell_words(m[2])) {
          auto equals = word.text.find('=');
          if (equals != std::string::npos) add_environment(word.text.substr(0, equals), word.text.substr(equals + 1), "unit Environment=");
        }
        return;
      }
      if (std::find(kUnitDirectives.begin(), kUnitDirectives.end(), name) != kUnitDirectives.end()) {
        AdviceItem advice = item("unit directive", "services", name, m[2]);
        advice.scope = unit_;
        add(std::move(advice));
      }
      return;
    }
    if (std::regex_match(code, m, kSysctl) && is_sysctl_key(m[1]) && code.find(": ") == std::string::npos) {
      add_sysctl(m[1], m[2], "sysctl.conf");
    }
  }

  void add_boot_parameter(const std::string& word, const std::string& form) {
    auto equals = word.find('=');
    std::string name = equals == std::string::npos ? word : word.substr(0, equals);
    std::string value = equals == std::string::npos ? "true" : word.substr(equals + 1);
    if (name.empty() || !std::islower(static_cast<unsigned char>(name[0]))) return;
    add(item(form, "boot", name, value));
  }

  // The target of `> file` or `| tee [-a] file`.
  static std::string target_after(const std::vector<Word>& words, size_t op) {
    if (words[op].text == ">" || words[op].text == ">>") return op + 1 < words.size() ? words[op + 1].text : "";
    size_t i = op + 1;
    while (i < words.size() && !words[i].op && (words[i].text == "sudo" || words[i].text == "tee" || words[i].text[0] == '-')) {
      ++i;
    }
    if (i < words.size() && !words[i].op && i > op + 1) return words[i].text;
    return "";
  }

  bool read_echo(const std::vector<Word>& words) {
    size_t op = 1;
    std::string value;
    while (op < words.size() && !words[op].op) {
      if (!(op == 1 && (words[op].text == "-n" || words[op].text == "-e"))) value += (value.empty() ? "" : " ") + words[op].text;
      ++op;
    }
    if (op >= words.size()) return true;  // just printing
    const std::string target = target_after(words, op);
    if (target.empty()) return true;
    if (starts_with(target, "/proc/") || starts_with(target, "/sys/") || starts_with(target, "$")) {
      add_path(target, value, words[op].text == "|" ? "echo | tee" : "echo >");
    } else if (target.find("sysctl") != std::string::npos) {
      read_config_line(value);
      if (!items_.empty() && items_.back().line == line_number_) items_.back().form = "echo >> sysctl.conf";
    } else if (target.find("limits") != std::string::npos) {
      read_config_line(value);
    } else if (target.find("launchd.conf") != std::string::npos) {
      add(item("echo >> launchd.conf", "command", "launchd.conf", value));
      read_command(shell_words(value), value);
    } else if (target.find("rc") != std::string::npos || target.find("environment") != std::string::npos ||
               target.find("profile") != std::string::npos) {
      auto inner = shell_words(value);
      if (!inner.empty()) read_command(inner, value);
    }
    return true;
  }

  // A shell command; false when the line is not one tune reads.
  bool read_command(const std::vector<Word>& words, const std::string& code) {
    if (read_environment_prefix(words)) return true;
    const std::string& command = words[0].text;
    auto arg = [&](size_t i) -> std::string { return i < words.size() && !words[i].op ? words[i].text : ""; };
    if (command == "echo" || command == "printf") return read_echo(words);
    if (command == "sysctl") {
      for (size_t i = 1; i < words.size() && !words[i].op; ++i) {
        auto equals = words[i].text.find('=');
        if (equals != std::string::npos && is_sysctl_key(words[i].text.substr(0, equals))) {
          add_sysctl(words[i].text.substr(0, equals), words[i].text.substr(equals + 1), "sysctl -w");
        }
      }
      return true;
    }
    if (command == "ulimit") {
      for (size_t i = 1; i < words.size() && !words[i].op; ++i) {
        const std::string& flag = words[i].text;
        if (flag.size() < 2 || flag[0] != '-') continue;
        auto limit = kUlimitFlags.find(flag.back());
        if (limit == kUlimitFlags.end()) continue;
        AdviceItem advice = item("ulimit", "limits", limit->second, arg(i + 1));
        advice.scope = "(this shell)";
        add(std::move(advice));
        ++i;
      }
      return true;
    }
    if (command == "blockdev" && arg(1) == "--setra") {
      AdviceItem advice = item("blockdev --setra", "block", "read_ahead_kb", arg(2));
      // The unit is 512-byte sectors; tune's setting counts KiB.
      if (auto sectors = parse_integer(advice.value)) advice.value = std::to_string(*sectors / 2);
      advice.scope = expand_variables(arg(3), variables_, true);
      if (starts_with(advice.scope, "/dev/")) advice.scope = advice.scope.substr(5);
      add(std::move(advice));
      return true;
    }
    if (command == "pmset") {
      size_t i = 1;
      while (i < words.size() && starts_with(arg(i), "-")) ++i;
      for (; i + 1 < words.size() && !words[i].op; i += 2) add(item("pmset", "power", arg(i), arg(i + 1)));
      return true;
    }
    if (command == "powercfg") return read_powercfg(words);
    if (command == "Set-ItemProperty") {
      std::string name, value;
      for (size_t i = 1; i + 1 < words.size(); ++i) {
        if (arg(i) == "-Name") name = arg(i + 1);
        if (arg(i) == "-Value") value = arg(i + 1);
      }
      auto known = kRegistryValues.find(name);
      if (known != kRegistryValues.end()) add(item("registry", "power", known->second, value));
      return true;
    }
    if (command == "mount") {
      for (size_t i = 1; i + 1 < words.size(); ++i) {
        if (arg(i) != "-o") continue;
        for (const auto& option : split(arg(i + 1), ',')) {
          if (option == "remount" || option == "defaults") continue;
          std::string key = option == "nobarrier" || starts_with(option, "barrier=") ? "mount.barrier" : "mount." + option;
          AdviceItem advice = item("mount -o", "command", key, option);
          advice.scope = arg(i + 2);
          add(std::move(advice));
        }
      }
      return true;
    }
    if (command == "ethtool") return read_ethtool(words);
    if (command == "launchctl" || command == "limit") {
      size_t first = command == "limit" ? 1 : 2;
      if (command == "launchctl" && arg(1) == "setenv") {
        add_environment(arg(2), arg(3), "launchctl setenv");
        return true;
      }
      if (command == "launchctl" && arg(1) != "limit") return true;
      static const std::map<std::string, std::string> kLaunchdLimits = {{"maxfiles", "nofile"}, {"maxproc", "nproc"}};
      auto limit = kLaunchdLimits.find(arg(first));
      if (limit != kLaunchdLimits.end()) {
        AdviceItem advice = item("launchctl limit", "limits", limit->second, arg(first + 2).empty() ? arg(first + 1) : arg(first + 2));
        advice.scope = "*";
        add(std::move(advice));
      }
      return true;
    }
    if (command == "export" || command == "ENV" || command == "setenv") {
      if (command == "ENV" && words.size() == 3 && words[1].text.find('=') == std::string::npos) {
        add_environment(arg(1), arg(2), "Dockerfile ENV");
        return true;
      }
      for (size_t i = 1; i < words.size() && !words[i].op; ++i) {
        auto equals = words[i].text.find('=');
        if (equals == std::string::npos) continue;
        const std::string name = words[i].text.substr(0, equals);
        const std::string value = words[i].text.substr(equals + 1);
        variables_[name] = value;
        add_environment(name, value, command == "ENV" ? "Dockerfile ENV" : "export");
      }
      return true;
    }
    if (command == "fallocate") {
      for (size_t i = 1; i + 1 < words.size(); ++i) {
        if (arg(i) == "-l" && arg(i + 2).find("swap") != std::string::npos) {
          AdviceItem advice = item("fallocate swapfile", "swap", "swapfile.size", arg(i + 1));
          advice.scope = arg(i + 2);
          add(std::move(advice));
        }
      }
      return true;
    }
    if (command == "taskset" || command == "renice" || command == "numactl" ||
        (command == "nice" && arg(1) == "-n")) {
      // numactl --hardware and --show only look.
      if (command == "numactl" && code.find("bind") == std::string::npos && code.find("--interleave") == std::string::npos &&
          code.find("--preferred") == std::string::npos) {
        return true;
      }
      std::string rest;
      for (size_t i = 1; i < words.size() && !words[i].op; ++i) rest += (rest.empty() ? "" : " ") + words[i].text;
      add(item(command, "command", "process." + std::string(command == "nice" ? "renice" : command), rest));
      return true;
    }
    if (command == "cpupower" && arg(1) == "frequency-set") {
      for (size_t i = 2; i + 1 < words.size(); ++i) {
        if (arg(i) == "-g" || arg(i) == "--governor") add(item("cpupower", "cpu", "governor", arg(i + 1)));
      }
      return true;
    }
    if (command == "sed") {
      if (code.find("GRUB_CMDLINE_LINUX") != std::string::npos) {
        add(item("sed grub", "command", "grub.cmdline", code));
        static const std::regex kParameter(R"(GRUB_CMDLINE_LINUX="([^"/]*))");
        // The replacement is the second GRUB_CMDLINE_LINUX="...: what it prepends.
        std::vector<std::string> found;
        for (auto it = std::sregex_iterator(code.begin(), code.end(), kParameter); it != std::sregex_iterator(); ++it) {
          found.push_back((*it)[1]);
        }
        if (found.size() >= 2) {
          for (const auto& word : split_whitespace(found[1])) add_boot_parameter(word, "sed grub");
        }
      } else if (code.find("fstab") != std::string::npos && code.find("noatime") != std::string::npos) {
        add(item("sed fstab", "command", "mount.noatime", "noatime"));
      }
      return true;
    }
    if (command == "for" && words.size() >= 4 && arg(2) == "in") {
      // for disk in /sys/block/sd* /dev/nvme0n1; do: the variable stands for its first word.
      variables_[arg(1)] = arg(3);
      return true;
    }
    // NAME=value on its own: a shell variable later lines may use (or, for a
    // variable tune knows, an environment file line). Unit directives
    // (LimitNOFILE=...) and sysctl lines are left to read_config_line.
    if (words.size() == 1) {
      static const std::regex kAssignment(R"(^([A-Za-z_][A-Za-z0-9_]*)=(.*)$)");
      std::smatch m;
      const std::string& word = words[0].text;
      if (std::regex_match(word, m, kAssignment) &&
          (std::find(kUnitDirectives.begin(), kUnitDirectives.end(), m[1].str()) != kUnitDirectives.end() ||
           m[1] == "Environment" || m[1] == "ExecStart" || starts_with(m[1].str(), "GRUB_CMDLINE_LINUX"))) {
        return false;  // a unit file or /etc/default/grub line
      }
      if (std::regex_match(word, m, kAssignment) && is_environment_name(m[1]) && m[2].str().find('$') == std::string::npos) {
        variables_[m[1]] = m[2];
        add_environment(m[1], m[2], "environment file");
        return true;
      }
      if (std::regex_match(word, m, kAssignment)) {
        variables_[m[1]] = m[2];
        return true;
      }
    }
    return false;
  }

  // OLLAMA_NUM_PARALLEL=4 OLLAMA_MAX_QUEUE=512 ollama serve: variables set
  // for the one command that follows them.
  bool read_environment_prefix(const std::vector<Word>& words) {
    static const std::regex kAssignment(R"(^([A-Z][A-Z0-9_]*)=(.*)$)");
    size_t count = 0;
    std::smatch m;
    while (count < words.size() && !words[count].op && std::regex_match(words[count].text, m, kAssignment)) ++count;
    if (count == 0 || count == words.size() || words[count].op) return false;  // alone: a shell or file variable
    for (size_t i = 0; i < count; ++i) {
      std::regex_match(words[i].text, m, kAssignment);
      add_environment(m[1], m[2], "command environment");
    }
    return true;
  }

  bool read_powercfg(const std::vector<Word>& words) {
    auto arg = [&](size_t i) -> std::string { return i < words.size() && !words[i].op ? words[i].text : ""; };
    std::string verb = arg(1);
    for (char& c : verb) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    static const std::regex kGuid(R"(^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$)");
    if ((verb == "/setactive" || verb == "-setactive") && std::regex_match(arg(2), kGuid)) {
      add(item("powercfg /setactive", "power", "scheme_guid", arg(2)));
    } else if (verb == "/setacvalueindex" || verb == "-setacvalueindex") {
      auto setting = kPowercfgSettings.find(arg(4));
      if (setting != kPowercfgSettings.end()) add(item("powercfg /setacvalueindex", "power", setting->second, arg(5)));
    } else if (verb == "/change" || verb == "-change") {
      static const std::map<std::string, std::string> kTimeouts = {{"standby-timeout-ac", "standby_timeout_ac_min"},
                                                                   {"monitor-timeout-ac", "monitor_timeout_ac_min"}};
      auto timeout = kTimeouts.find(arg(2));
      if (timeout != kTimeouts.end()) add(item("powercfg /change", "power", timeout->second, arg(3)));
    }
    return true;
  }

  bool read_ethtool(const std::vector<Word>& words) {
    auto arg = [&](size_t i) -> std::string { return i < words.size() && !words[i].op ? words[i].text : ""; };
    const std::string flag = arg(1);
    const std::string device = expand_variables(arg(2), variables_, false);
    if (flag == "-K" || flag == "--offload" || flag == "--features") {
      for (size_t i = 3; i + 1 < words.size() && !words[i].op; i += 2) {
        std::string feature = arg(i);
        AdviceItem advice = item("ethtool -K", "command", feature == "lro" ? "nic.lro" : "nic.offload", feature + " " + arg(i + 1));
        advice.scope = device;
        if (feature == "lro" && arg(i + 1) == "off") advice.key = "nic.offload";  // turning LRO off is safe
        add(std::move(advice));
      }
    } else if (flag == "-G" || flag == "-C") {
      std::string rest;
      for (size_t i = 3; i < words.size() && !words[i].op; ++i) rest += (rest.empty() ? "" : " ") + words[i].text;
      AdviceItem advice = item(flag == "-G" ? "ethtool -G" : "ethtool -C", "command", flag == "-G" ? "nic.ring" : "nic.coalesce", rest);
      advice.scope = device;
      add(std::move(advice));
    }
    return true;
  }

  std::string source_;
  int line_number_ = 0;
  std::string raw_;
  std::string unit_;         // the unit file the current heredoc writes
  std::string heredoc_end_;  // the word that ends the current heredoc
  std::map<std::string, std::string> variables_;
  std::vector<AdviceItem> items_;
};

}  // namespace

std::vector<AdviceItem> extract_advice(const std::string& text, const std::string& source) {
  return Extractor(source).run(text);
}

}  // namespace tune::audit
