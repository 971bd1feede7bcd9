// Lines that set something but carry no setting tune judges: each gets a
// Line finding with the reason, so the summary counts them instead of
// letting silence read as approval. What "sets something" means depends on
// where the line is: a shell command that changes the host, a variable
// exported, a directive of a unit or an application's configuration file, a
// `key: value` of a YAML configuration, a Modelfile or SQL setting. Prose,
// program code and command output are not configuration.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"  // std::regex under GCC 12 with sanitizers (see extract.cpp)
#endif
#include "audit/audit.h"

#include "audit/document.h"
#include "audit/shell_words.h"
#include "util/text.h"

#include <algorithm>
#include <map>
#include <optional>
#include <regex>
#include <set>

namespace tune::audit {
namespace {

struct Reason {
  std::string rule;     // "application-config"
  std::string message;  // the sentence shown
};

// Shell commands that change the host (the first word, after sudo). Commands
// that only look (cat, grep, sysctl -a, systemctl status) are not settings.
const std::set<std::string> kChangingCommands = {
    "sysctl",   "tee",      "mount",     "swapon",     "swapoff",   "mkswap",      "modprobe",  "ulimit",
    "blockdev", "ethtool",  "cpupower",  "tuned-adm",  "taskset",   "renice",      "chrt",      "ionice",
    "hdparm",   "tc",       "setcap",    "update-grub", "grub-mkconfig", "grub2-mkconfig", "pmset", "powercfg",
    "bcdedit",  "setx",     "reg",       "nvram",      "mdutil",    "sysctl.exe",  "irqbalance", "x86_energy_perf_policy",
    "Set-ItemProperty", "New-ItemProperty", "Set-Service", "Set-MpPreference", "Add-MpPreference", "Disable-MMAgent",
    "Enable-MMAgent", "Set-ProcessMitigation", "Set-NetTCPSetting", "Set-NetAdapterAdvancedProperty"};

const std::set<std::string> kSystemctlChanges = {"enable", "disable", "mask", "unmask", "set-property", "edit",
                                                 "set-default", "isolate"};

std::string first_command(std::vector<Word>& words) {
  while (!words.empty() && !words[0].op &&
         (words[0].text == "sudo" || words[0].text == "-E" || words[0].text == "then" || words[0].text == "do" ||
          words[0].text == "$" || words[0].text == "RUN" || words[0].text == "exec" || words[0].text == "nohup")) {
    words.erase(words.begin());
  }
  return words.empty() || words[0].op ? "" : words[0].text;
}

bool writes_a_file(const std::vector<Word>& words) {
  for (size_t i = 0; i < words.size(); ++i) {
    if (words[i].op && (words[i].text == ">" || words[i].text == ">>") && i + 1 < words.size() &&
        words[i + 1].text != "/dev/null" && words[i + 1].text.find("&") == std::string::npos) {
      return true;
    }
    if (!words[i].op && words[i].text == "tee") return true;
  }
  return false;
}

// Whether the text shows the script a line runs: a `# name.sh` heading, or
// a heredoc or cat that writes it.
bool script_shown(const std::string& name, const std::vector<DocumentLine>& lines) {
  const std::string base = name.substr(name.find_last_of('/') == std::string::npos ? 0 : name.find_last_of('/') + 1);
  for (const auto& line : lines) {
    if (line.text.find(base) == std::string::npos) continue;
    if (starts_with(line.text, "#") && !starts_with(line.text, "#!")) return true;
    if (!line.heredoc_target.empty() && line.heredoc_target.find(base) != std::string::npos) return true;
  }
  return false;
}

bool used_later(const std::string& name, const std::vector<DocumentLine>& lines, size_t from) {
  for (size_t i = from; i < lines.size(); ++i) {
    const std::string& text = lines[i].text;
    if (text.find("$" + name) != std::string::npos || text.find("${" + name) != std::string::npos ||
        text.find("%" + name + "%") != std::string::npos) {
      return true;
    }
  }
  return false;
}

const Reason kUnknownVariable{"unknown-variable",
                              "Sets a variable tune's knowledge base does not describe, so what it changes cannot be judged."};

// Swap files the text creates (fallocate -l 8G /swapfile), by path, with
// the line that judged them: mkswap and swapon of the same file are steps of
// that one setting.
struct Accounting {
  std::map<std::string, int> swapfiles;
};

std::optional<Reason> shell_reason(const DocumentLine& line, const std::vector<DocumentLine>& lines, size_t index,
                                   const Accounting& accounting) {
  std::string code = trim(strip_comment(line.text));
  if (code.empty() || code == "fi" || code == "done" || code == "}" || code == "{" || code == "esac") return std::nullopt;
  std::vector<Word> words = shell_words(code);
  // A variable set for one command (OLLAMA_NUM_PARALLEL=4 ollama serve), or
  // on its own line.
  static const std::regex kAssignment(R"(^([A-Za-z_][A-Za-z0-9_]*)=(.*)$)");
  std::smatch m;
  if (!words.empty() && !words[0].op && words[0].text.find('=') != std::string::npos &&
      std::regex_match(words[0].text, m, kAssignment)) {
    const std::string name = m[1];
    if (words.size() == 1 && used_later(name, lines, index + 1)) return std::nullopt;  // the script's own variable
    if (words.size() == 1 && m[2].str().find("$(") != std::string::npos) return std::nullopt;  // a value it looks up
    return kUnknownVariable;
  }
  const std::string command = first_command(words);
  if (command.empty()) return std::nullopt;
  auto arg = [&](size_t i) { return i < words.size() && !words[i].op ? words[i].text : std::string(); };
  if (command == "mkswap" || command == "swapon" || command == "chmod" || command == "chown") {
    auto swapfile = accounting.swapfiles.find(words.back().text);
    if (swapfile != accounting.swapfiles.end()) {
      return Reason{"step-of-setting", "A step of the swap file set up on line " + std::to_string(swapfile->second) +
                                           ", judged there."};
    }
    if (command == "chmod" || command == "chown") return std::nullopt;  // file modes are not tuning
  }
  if (command == "export" || command == "set" || command == "setenv" || command == "declare") {
    if (code.find('=') == std::string::npos && command != "setenv") return std::nullopt;
    return kUnknownVariable;
  }
  if (command == "sysctl" && (arg(1) == "-p" || arg(1) == "--load" || arg(1) == "--system" || starts_with(arg(1), "-p"))) {
    return Reason{"loads-file",
                  "Loads settings from files; they are judged on the lines that write them, or not at all when the "
                  "text does not show them."};
  }
  if (command == "update-grub" || command == "grub-mkconfig" || command == "grub2-mkconfig") {
    return Reason{"loads-file", "Regenerates the boot configuration; the kernel parameters are judged where they are set."};
  }
  if (command == "systemctl") {
    size_t verb = 1;
    while (starts_with(arg(verb), "-")) ++verb;
    if (kSystemctlChanges.count(arg(verb)) == 0) return std::nullopt;
    return Reason{"command-not-judged", "Changes which services run; tune judges settings, not which services a host needs."};
  }
  if (code.find("<<") != std::string::npos && index + 1 < lines.size() && lines[index + 1].heredoc_line == line.number) {
    return std::nullopt;  // writes a file whose lines are accounted one by one
  }
  if (command == "echo" || command == "printf" || command == "cat") {
    if (!writes_a_file(words)) return std::nullopt;
    return Reason{"command-not-judged", "Writes a file tune does not know as a setting."};
  }
  if (command == "sed" && (arg(1) == "-i" || starts_with(arg(1), "-i") || code.find(" -i") != std::string::npos)) {
    return Reason{"command-not-judged", "Edits a file in place; tune cannot tell which setting the edit makes."};
  }
  if (command == "ip" && code.find(" set ") != std::string::npos) {
    return Reason{"command-not-judged", "Changes a network interface, which tune's knowledge base does not judge."};
  }
  if (command == "nvidia-smi" && std::regex_search(code, std::regex(R"(\s-(pm|pl|ac|lgc|lmc|c|mig)\b|--persistence|--power-limit|--applications-clocks|--lock-gpu-clocks|--compute-mode)"))) {
    return Reason{"command-not-judged", "Changes a GPU setting, which tune's knowledge base does not judge yet."};
  }
  if (command == "defaults" && arg(1) == "write") {
    return Reason{"command-not-judged", "Writes a macOS preference tune's knowledge base does not describe."};
  }
  if (command == "launchctl" && (arg(1) == "setenv" || arg(1) == "limit" || arg(1) == "config")) return kUnknownVariable;
  if (command == "numactl" && code.find("bind") == std::string::npos && code.find("interleave") == std::string::npos &&
      code.find("preferred") == std::string::npos) {
    return std::nullopt;  // numactl --hardware only looks
  }
  if (kChangingCommands.count(command) || command == "numactl" || command == "nice") {
    if (command == "sysctl" && code.find('=') == std::string::npos) return std::nullopt;  // sysctl -a, sysctl key: reads
    if (command == "ulimit" && words.size() <= 2) return std::nullopt;                     // ulimit -n: prints
    if (command == "powercfg" && (starts_with(arg(1), "/l") || starts_with(arg(1), "/q") || starts_with(arg(1), "-l"))) {
      return std::nullopt;
    }
    return Reason{"command-not-judged", "Changes the host in a way tune's knowledge base does not describe."};
  }
  // A script: a path to run, or bash/sh/source with one.
  std::string script;
  if (ends_with(command, ".sh") || starts_with(command, "./") || (starts_with(command, "/") && command.find("/bin/") == std::string::npos &&
                                                                 ends_with(command, ".sh"))) {
    script = command;
  } else if ((command == "bash" || command == "sh" || command == "source" || command == ".") && ends_with(arg(1), ".sh")) {
    script = arg(1);
  } else if (starts_with(command, "/") && command.find("script") != std::string::npos) {
    script = command;
  }
  if (!script.empty() && !script_shown(script, lines)) {
    return Reason{"script-not-shown", "Runs " + script + ", which the text does not show, so what it changes cannot be judged."};
  }
  return std::nullopt;
}

// `key: value` of a YAML document that configures something; a list of
// hardware or benchmark figures ("Average Latency: 12ms") is not
// configuration, and is told apart by its keys: configuration keys are
// identifiers.
bool yaml_block_configures(const std::vector<DocumentLine>& lines, size_t first) {
  static const std::regex kKey(R"(^-?\s*([^:#]+):(\s|$))");
  int identifiers = 0, phrases = 0;
  for (size_t i = first; i < lines.size() && lines[i].block_start == lines[first].block_start && !lines[i].fence; ++i) {
    std::smatch m;
    if (!std::regex_search(lines[i].text, m, kKey) || lines[i].text[0] == '#') continue;
    const std::string key = trim(m[1].str());
    static const std::regex kIdentifier(R"(^["']?[a-z_$][A-Za-z0-9_.$/-]*["']?$)");
    if (std::regex_match(key, kIdentifier)) ++identifiers;
    else ++phrases;
  }
  return identifiers > phrases;
}

std::string yaml_kind(const std::vector<DocumentLine>& lines, size_t first) {
  for (size_t i = first; i < lines.size() && lines[i].block_start == lines[first].block_start && !lines[i].fence; ++i) {
    if (starts_with(lines[i].text, "apiVersion:")) return "a Kubernetes manifest";
    if (starts_with(lines[i].text, "services:")) return "a Compose file";
  }
  return "an application's YAML configuration";
}

const Reason application_config(const std::string& what) {
  return Reason{"application-config", "Configures " + what + ", which tune does not read."};
}

std::optional<Reason> reason_for(const std::vector<DocumentLine>& lines, size_t index, const Accounting& accounting,
                                 std::map<int, bool>& yaml_blocks) {
  const DocumentLine& line = lines[index];
  const std::string& text = line.text;
  if (text.empty() || line.fence || line.heredoc_end) return std::nullopt;
  const std::string& language = line.language;
  const bool comment = text[0] == '#' || starts_with(text, "//") || starts_with(text, "--") || text[0] == ';' ||
                       starts_with(text, "<!--");
  if (comment) return std::nullopt;
  if (index > 0 && ends_with(lines[index - 1].text, "\\")) return std::nullopt;  // judged with the line it continues
  static const std::regex kKeyValue(R"(^([A-Za-z_][A-Za-z0-9_.\-]*)\s*=\s*\S.*$)");
  if (language == "shell") return shell_reason(line, lines, index, accounting);
  if (language == "dockerfile") {
    if (starts_with(text, "ENV ") || starts_with(text, "ARG ")) return kUnknownVariable;
    if (starts_with(text, "RUN ")) {
      DocumentLine inner = line;
      inner.text = trim(text.substr(4));
      return shell_reason(inner, lines, index, accounting);
    }
    return std::nullopt;  // FROM, COPY, CMD...: how the image is built
  }
  if (language == "sysctl" || language == "limits" || language == "fstab") {
    // The extractor reads these; a line it could not read is still a setting.
    return Reason{"unreadable", "A " + language + " line tune could not read as a setting."};
  }
  if (language == "unit") {
    if (text[0] == '[') return std::nullopt;
    if (text.find('=') == std::string::npos) return std::nullopt;
    return Reason{"unit-directive", "A unit directive tune's knowledge base does not judge (it judges resource, "
                                    "scheduling and limit directives)."};
  }
  if (language == "plist") {
    // A launchd plist: each <key> line says something about the job; the XML
    // structure and the value after a key are not settings of their own.
    if (!starts_with(text, "<key>")) return std::nullopt;
    return Reason{"application-config", "Describes the launchd job in " + line.heredoc_target +
                                            " (what it runs, when, where it logs), which tune does not judge; the "
                                            "settings the job makes are judged on their own lines."};
  }
  if (language == "config") {
    if (text[0] == '[' || text == "}" || ends_with(text, "{")) return std::nullopt;
    return application_config(line.heredoc_target);
  }
  if (language == "ini") {
    if (text[0] == '[' || !std::regex_match(text, kKeyValue)) return std::nullopt;
    return application_config("an application (INI file)");
  }
  if (language == "nginx") {
    // A directive ends with ';' and may span lines: count its first line.
    const std::string previous = index > 0 ? lines[index - 1].text : "";
    const bool continues = !previous.empty() && previous.back() != ';' && previous.back() != '{' &&
                           previous.back() != '}' && previous[0] != '#' && !lines[index - 1].fence;
    if (continues || text.back() == '{' || text == "}") return std::nullopt;
    static const std::regex kDirectiveStart(R"(^[a-z_][a-z0-9_]*(\s+\S.*|;)$)");
    if (!std::regex_match(text, kDirectiveStart)) return std::nullopt;
    return application_config("nginx");
  }
  if (language == "sql") {
    static const std::regex kSet(R"(^(ALTER\s+(SYSTEM|DATABASE|ROLE)\s+.*\bSET\b|SET\s+\w+\s*(=|TO)).*)", std::regex::icase);
    if (std::regex_match(text, kSet) || std::regex_match(text, kKeyValue)) return application_config("PostgreSQL");
    return std::nullopt;
  }
  if (language == "yaml") {
    const int block = line.block_start;
    if (!yaml_blocks.count(block)) {
      size_t first = index;
      while (first > 0 && lines[first - 1].block_start == block && !lines[first - 1].fence) --first;
      yaml_blocks[block] = yaml_block_configures(lines, first);
    }
    if (!yaml_blocks[block]) return std::nullopt;
    static const std::regex kScalar(R"(^-?\s*["']?[A-Za-z_$][A-Za-z0-9_.$/\-]*["']?\s*:\s+[^|>\s#].*$)");
    static const std::regex kDirectiveLine(R"(^[a-z][a-z0-9_-]*\s+[^:]+$)");  // HAProxy-style `maxconn 4096`
    if (!std::regex_match(text, kScalar) && !std::regex_match(text, kDirectiveLine)) return std::nullopt;
    size_t first = index;
    while (first > 0 && lines[first - 1].block_start == block && !lines[first - 1].fence) --first;
    return application_config(yaml_kind(lines, first));
  }
  if (language == "modelfile") {
    if (starts_with(text, "PARAMETER ")) return Reason{"unknown-key", "A Modelfile parameter tune's knowledge base does not describe."};
    return std::nullopt;
  }
  if (language == "python") {
    static const std::regex kEnvironment(R"(os\.(environ\s*\[.*\]\s*=[^=]|environ\.setdefault|putenv)|torch\.set_num(_interop)?_threads)");
    if (std::regex_search(text, kEnvironment)) return kUnknownVariable;
    return std::nullopt;
  }
  if (language == "powershell") {
    static const std::regex kChange(R"(^(\$env:\w+\s*=|\[Environment\]::SetEnvironmentVariable|Set-|New-ItemProperty|Add-MpPreference|Disable-|Enable-|powercfg\s+[-/](s|setactive|change|setacvalueindex|h)|bcdedit|reg\s+add|setx))",
                                   std::regex::icase);
    if (std::regex_search(text, kChange)) {
      return Reason{"command-not-judged", "Changes a Windows setting tune's knowledge base does not describe."};
    }
    return std::nullopt;
  }
  return std::nullopt;  // prose, other languages
}

}  // namespace

void add_unjudged_lines(const std::string& text, const std::string& source, std::vector<Finding>& findings) {
  std::set<int> covered;
  Accounting accounting;
  for (const auto& finding : findings) {
    if (finding.item.source != source) continue;
    covered.insert(finding.item.line);
    if (finding.item.key == "swapfile.size" && !finding.item.scope.empty()) accounting.swapfiles[finding.item.scope] = finding.item.line;
  }
  const auto lines = read_document(text, source);
  std::map<int, bool> yaml_blocks;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (covered.count(lines[i].number)) continue;
    auto reason = reason_for(lines, i, accounting, yaml_blocks);
    if (!reason) continue;
    Finding finding;
    finding.kind = FindingKind::Line;
    finding.rule = reason->rule;
    finding.verdict = Verdict::NotJudged;
    finding.message = reason->message;
    finding.item.source = source;
    finding.item.line = lines[i].number;
    finding.item.text = lines[i].text;
    finding.item.form = lines[i].language;
    findings.push_back(std::move(finding));
  }
}

}  // namespace tune::audit
