#include "platform/linux/boot_cmdline.h"

#include "util/text.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace tune::linux_platform {
namespace {

// Shell assignments (NAME="value ${OTHER}") the way update-grub's sourcing
// reads the ones tune cares about: quotes removed, $NAME and ${NAME} expanded.
void read_grub_assignments(const std::string& text, std::map<std::string, std::string>& vars) {
  for (const auto& raw : split_lines(text)) {
    std::string line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    if (starts_with(line, "export ")) line = trim(line.substr(7));
    auto equals = line.find('=');
    if (equals == std::string::npos) continue;
    const std::string name = line.substr(0, equals);
    if (name.empty() || !std::all_of(name.begin(), name.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
        })) {
      continue;
    }
    std::string value;
    char quote = 0;
    const std::string rest = line.substr(equals + 1);
    for (size_t i = 0; i < rest.size(); ++i) {
      char c = rest[i];
      if (quote == 0 && (c == '"' || c == '\'')) {
        quote = c;
      } else if (quote != 0 && c == quote) {
        quote = 0;
      } else if (quote == 0 && std::isspace(static_cast<unsigned char>(c))) {
        break;  // a comment or a second command follows
      } else if (c == '$' && quote != '\'') {
        size_t start = i + 1;
        bool braced = start < rest.size() && rest[start] == '{';
        if (braced) ++start;
        size_t end = start;
        while (end < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[end])) || rest[end] == '_')) ++end;
        value += vars[rest.substr(start, end - start)];
        i = braced && end < rest.size() && rest[end] == '}' ? end : end - 1;
      } else {
        value += c;
      }
    }
    vars[name] = value;
  }
}

}  // namespace

BootLoader boot_loader(const System& system) {
  if (system.stat(kGrubDefaults).value_or_default().exists) return BootLoader::Grub;
  if (system.stat(kKernelCmdline).value_or_default().exists) return BootLoader::KernelInstall;
  return BootLoader::None;
}

std::vector<std::string> configured_cmdline(const System& system, BootLoader loader) {
  if (loader == BootLoader::KernelInstall) return split_whitespace(system.read_file(kKernelCmdline).value_or_default());
  if (loader != BootLoader::Grub) return {};
  std::map<std::string, std::string> vars;
  read_grub_assignments(system.read_file(kGrubDefaults).value_or_default(), vars);
  for (const auto& name : system.list_dir(kGrubDropInDir).value_or_default()) {
    if (ends_with(name, ".cfg")) read_grub_assignments(system.read_file(std::string(kGrubDropInDir) + "/" + name).value_or_default(), vars);
  }
  // update-grub puts GRUB_CMDLINE_LINUX first, then the _DEFAULT part, on the default entry.
  auto words = split_whitespace(vars["GRUB_CMDLINE_LINUX"]);
  for (auto& word : split_whitespace(vars["GRUB_CMDLINE_LINUX_DEFAULT"])) words.push_back(word);
  return words;
}

std::vector<std::string> running_cmdline(const System& system) {
  return split_whitespace(system.read_file("/proc/cmdline").value_or_default());
}

std::optional<std::string> cmdline_value(const std::vector<std::string>& words, const std::string& name) {
  std::optional<std::string> value;
  for (const auto& word : words) {
    if (word == "--") break;  // what follows is init's, not the kernel's
    if (word == name) value = "true";
    else if (starts_with(word, name + "=")) value = word.substr(name.size() + 1);
  }
  return value;
}

std::string cmdline_word(const std::string& name, const std::string& value) {
  return value == "true" ? name : name + "=" + value;
}

bool plain_cmdline_text(const std::string& text) {
  return !text.empty() && std::none_of(text.begin(), text.end(), [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'' || c == '$' || c == '`' || c == '\\' ||
           static_cast<unsigned char>(c) < 0x20;
  });
}

}  // namespace tune::linux_platform
