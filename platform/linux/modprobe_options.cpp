#include "platform/linux/modprobe_options.h"

#include "core/file_knob.h"
#include "util/text.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace tune::linux_platform {
namespace {

// In modprobe's precedence: the first directory holding a name wins.
const char* const kDirs[] = {"/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d", "/usr/lib/modprobe.d",
                             "/lib/modprobe.d"};

std::string underscored(std::string name) {
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

bool word(const std::string& text) {
  return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

// "a=1 b=\"x y\" c" -> the words, quotes removed.
std::vector<std::string> option_words(const std::string& text) {
  std::vector<std::string> words;
  std::string current;
  bool quoted = false, any = false;
  for (char c : text) {
    if (c == '"') {
      quoted = !quoted;
      any = true;
    } else if (!quoted && std::isspace(static_cast<unsigned char>(c))) {
      if (any) words.push_back(current);
      current.clear();
      any = false;
    } else {
      current += c;
      any = true;
    }
  }
  if (any) words.push_back(current);
  return words;
}

std::optional<bool> boolean_word(const std::string& text) {
  static const std::set<std::string> kTrue = {"Y", "y", "1", "true", "on", "yes"};
  static const std::set<std::string> kFalse = {"N", "n", "0", "false", "off", "no"};
  if (kTrue.count(text)) return true;
  if (kFalse.count(text)) return false;
  return std::nullopt;
}

}  // namespace

std::optional<std::string> configured_option(const System& system, const std::string& module, const std::string& param) {
  std::map<std::string, std::string> files;  // name -> path, the first directory wins
  for (const char* dir : kDirs) {
    for (const auto& name : system.list_dir(dir).value_or_default()) {
      if (ends_with(name, ".conf") && !files.count(name)) files[name] = std::string(dir) + "/" + name;
    }
  }
  std::optional<std::string> value;
  const std::string wanted_module = underscored(module);
  for (const auto& [name, path] : files) {
    std::string text = system.read_file(path).value_or_default();
    // A backslash at the end of a line continues it.
    std::string joined;
    for (const auto& line : split_lines(text)) {
      if (!line.empty() && line.back() == '\\') {
        joined += line.substr(0, line.size() - 1) + " ";
        continue;
      }
      std::string whole = joined + line;
      joined.clear();
      if (auto hash = whole.find('#'); hash != std::string::npos) whole = whole.substr(0, hash);
      auto words = split_whitespace(whole);
      if (words.size() < 3 || words[0] != "options" || underscored(words[1]) != wanted_module) continue;
      const std::string rest = whole.substr(whole.find(words[1]) + words[1].size());
      for (const auto& option : option_words(rest)) {
        auto equals = option.find('=');
        const std::string name_part = option.substr(0, equals);
        if (name_part == param) value = equals == std::string::npos ? std::string() : option.substr(equals + 1);
      }
    }
  }
  return value;
}

std::string modprobe_text(const std::string& profile, const ModuleOptions& options) {
  std::string text = tune_file_header(profile, "kernel module parameters, passed at every load of the module");
  for (const auto& [module, params] : options) {
    text += "options " + module;
    for (const auto& [param, value] : params) text += " " + param + "=" + value;
    text += "\n";
  }
  return text;
}

ModuleState module_state(const System& system, const std::string& module) {
  const std::string dir = "/sys/module/" + module;
  auto info = system.stat(dir);
  if (!info || !info->exists) return ModuleState::NotLoaded;
  return system.stat(dir + "/initstate").value_or_default().exists ? ModuleState::Loaded : ModuleState::BuiltIn;
}

std::string parameter_path(const std::string& module, const std::string& param) {
  return "/sys/module/" + module + "/parameters/" + param;
}

Result<ModuleParam> module_param(const std::string& domain, const std::string& target) {
  auto slash = target.find('/');
  if (slash != std::string::npos) {
    ModuleParam found{target.substr(0, slash), target.substr(slash + 1)};
    if (word(found.module) && found.module.find('-') == std::string::npos && word(found.param)) return found;
  }
  return make_error("{}: '{}' is not a module parameter (MODULE/PARAM)", domain, target);
}

bool same_parameter_value(const std::string& live, const std::string& wanted) {
  if (normalize_spaces(live) == normalize_spaces(wanted)) return true;
  auto a = boolean_word(live);
  auto b = boolean_word(wanted);
  if (a && b && (live == "Y" || live == "N")) return *a == *b;
  return false;
}

}  // namespace tune::linux_platform
