#include "platform/linux/unit_files.h"

#include "util/text.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace tune::linux_platform {
namespace {

// systemd's system unit search path, most important first
// (systemd.unit(5), "Unit File Load Path").
const std::vector<std::string> kSearchPath = {
    "/etc/systemd/system.control", "/run/systemd/system.control", "/run/systemd/transient",
    "/run/systemd/generator.early", "/etc/systemd/system",          "/etc/systemd/system.attached",
    "/run/systemd/system",          "/run/systemd/system.attached", "/run/systemd/generator",
    "/usr/local/lib/systemd/system", "/usr/lib/systemd/system",     "/lib/systemd/system",
    "/run/systemd/generator.late"};

const std::vector<std::string> kUnitTypes = {".service", ".socket", ".timer", ".target", ".slice",
                                             ".mount",   ".path",   ".scope", ".swap"};

// "llama@gpu0.service" -> "llama@.service": the template an instance falls back to.
std::string template_of(const std::string& unit) {
  auto at = unit.find('@');
  auto dot = unit.find_last_of('.');
  if (at == std::string::npos || dot == std::string::npos || at + 1 >= dot) return "";
  return unit.substr(0, at + 1) + unit.substr(dot);
}

// Directives whose assignments add up instead of replacing each other.
bool merges(const std::string& key) { return key == "CPUAffinity"; }

}  // namespace

bool valid_unit_name(const std::string& unit) {
  if (unit.empty() || unit.size() > 255 || unit[0] == '.' || unit[0] == '-') return false;
  for (char c : unit) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && std::string(":_.\\@-").find(c) == std::string::npos) return false;
  }
  return std::any_of(kUnitTypes.begin(), kUnitTypes.end(), [&](const std::string& type) {
    return ends_with(unit, type) && unit.size() > type.size();
  });
}

UnitFiles find_unit_files(const System& system, const std::string& unit) {
  UnitFiles files;
  const std::string fallback = template_of(unit);
  for (const auto& name : {unit, fallback}) {
    if (name.empty() || !files.fragment.empty() || files.masked) break;
    for (const auto& dir : kSearchPath) {
      auto info = system.stat(dir + "/" + name);
      if (!info || !info->exists) continue;
      if (info->is_symlink) {
        // A link to /dev/null masks the unit (tune reads no link targets: a link elsewhere is the file it names).
        auto target = system.read_file(dir + "/" + name);
        if (!target || target->empty()) {
          files.masked = true;
          break;
        }
      }
      files.fragment = dir + "/" + name;
      break;
    }
  }
  // Drop-ins of the unit and of its template, by file name; a name in a more
  // important directory hides the same name further down the path.
  std::map<std::string, std::string> by_name;
  std::vector<std::string> dirs;
  for (const auto& name : {fallback, unit}) {
    if (name.empty()) continue;
    for (auto dir = kSearchPath.rbegin(); dir != kSearchPath.rend(); ++dir) dirs.push_back(*dir + "/" + name + ".d");
  }
  for (const auto& dir : dirs) {
    for (const auto& entry : system.list_dir(dir).value_or_default()) {
      if (ends_with(entry, ".conf")) by_name[entry] = dir + "/" + entry;
    }
  }
  for (const auto& [name, path] : by_name) files.dropins.push_back(path);
  return files;
}

std::vector<UnitAssignment> parse_unit_text(const std::string& text) {
  std::vector<UnitAssignment> assignments;
  std::string section;
  std::string pending;  // a line continued with a backslash
  for (const auto& raw : split_lines(text)) {
    std::string line = pending.empty() ? trim(raw) : pending + " " + trim(raw);
    pending.clear();
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.back() == '\\') {
      pending = line.substr(0, line.size() - 1);
      continue;
    }
    if (line.front() == '[' && line.back() == ']') {
      section = line.substr(1, line.size() - 2);
      continue;
    }
    auto equals = line.find('=');
    if (equals == std::string::npos) continue;
    assignments.push_back({section, trim(line.substr(0, equals)), trim(line.substr(equals + 1))});
  }
  return assignments;
}

std::map<std::string, std::string> parse_environment_words(const std::string& value) {
  std::map<std::string, std::string> variables;
  size_t i = 0;
  while (i < value.size()) {
    while (i < value.size() && std::isspace(static_cast<unsigned char>(value[i]))) ++i;
    if (i >= value.size()) break;
    std::string word;
    char quote = 0;
    for (; i < value.size(); ++i) {
      char c = value[i];
      if (quote == 0 && std::isspace(static_cast<unsigned char>(c))) break;
      if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
        continue;
      }
      if (quote != 0 && c == quote) {
        quote = 0;
        continue;
      }
      if (c == '\\' && i + 1 < value.size()) {
        char next = value[++i];
        word += next == 'n' ? '\n' : next == 't' ? '\t' : next;
        continue;
      }
      word += c;
    }
    auto equals = word.find('=');
    if (equals != std::string::npos && equals > 0) variables[word.substr(0, equals)] = word.substr(equals + 1);
  }
  return variables;
}

ServiceSettings effective_service(const System& system, const UnitFiles& files) {
  ServiceSettings settings;
  std::vector<std::string> paths;
  if (!files.fragment.empty()) paths.push_back(files.fragment);
  paths.insert(paths.end(), files.dropins.begin(), files.dropins.end());
  for (const auto& path : paths) {
    auto text = system.read_file(path);
    if (!text) continue;
    for (const auto& assignment : parse_unit_text(*text)) {
      if (assignment.section != "Service") continue;
      if (assignment.key == "Environment") {
        if (assignment.value.empty()) settings.environment.clear();
        for (auto& [name, value] : parse_environment_words(assignment.value)) settings.environment[name] = value;
        continue;
      }
      auto& slot = settings.directives[assignment.key];
      if (assignment.value.empty()) slot.clear();
      else if (merges(assignment.key) && !slot.empty()) slot += " " + assignment.value;
      else slot = assignment.value;
      if (slot.empty()) settings.directives.erase(assignment.key);
    }
  }
  return settings;
}

}  // namespace tune::linux_platform
