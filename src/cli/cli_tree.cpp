#include "cli/cli_tree.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace tune::cli {
namespace {

bool named(const OptionInfo& option, std::initializer_list<const char*> names) {
  return std::any_of(names.begin(), names.end(), [&](const char* name) {
    return option.name == name || std::find(option.longs.begin(), option.longs.end(), name) != option.longs.end();
  });
}

// CLI11 writes an IsMember validator into the type name as "TEXT:{a,b,c}".
std::vector<std::string> choices_of(const std::string& type_name) {
  std::vector<std::string> choices;
  const auto open = type_name.find('{');
  const auto close = type_name.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return choices;
  std::string item;
  for (char c : type_name.substr(open + 1, close - open - 1)) {
    if (c == ',') {
      choices.push_back(item);
      item.clear();
    } else {
      item += c;
    }
  }
  if (!item.empty()) choices.push_back(item);
  return choices;
}

// The one place that says which values complete how. CLI11 knows choices and
// the ExistingFile/ExistingDirectory checks; profile names, transaction ids and
// the few paths without a check are known here by the option's name.
ValueKind kind_of(const OptionInfo& option, const std::string& type_name, const std::vector<std::string>& path) {
  if (!option.choices.empty()) return ValueKind::kChoice;
  if (named(option, {"--profile"})) return ValueKind::kProfile;
  if (option.positional && path == std::vector<std::string>{"profiles", "show"}) return ValueKind::kProfile;
  if (option.positional && option.name == "id") return ValueKind::kTransaction;
  if (type_name.find("DIR") != std::string::npos ||
      named(option, {"--root", "--state-dir", "--profiles-dir", "--cache-dir"})) {
    return ValueKind::kDirectory;
  }
  const std::string base = type_name.substr(0, type_name.find(':'));
  if (base == "INT" || base == "UINT" || base == "FLOAT" || base == "NUMBER") return ValueKind::kText;
  if (named(option, {"key", "--synthetic", "--name", "--summary", "--dtype", "--weights", "--kv-cache",
                     "--decide-on"})) {
    return ValueKind::kText;
  }
  return ValueKind::kFile;
}

std::string value_name_of(const OptionInfo& option, const std::string& type_name) {
  if (option.positional) {
    std::string upper = option.name;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    return upper;
  }
  switch (option.kind) {
    case ValueKind::kNone: return "";
    case ValueKind::kChoice: {
      std::string joined;
      for (const auto& choice : option.choices) joined += (joined.empty() ? "" : "|") + choice;
      return joined;
    }
    case ValueKind::kProfile: return "NAME";
    case ValueKind::kTransaction: return "ID";
    case ValueKind::kDirectory: return "DIR";
    case ValueKind::kFile: return "FILE";
    case ValueKind::kText: break;
  }
  const std::string base = type_name.substr(0, type_name.find(':'));
  return base.empty() ? "VALUE" : base;
}

OptionInfo describe_option(const CLI::Option& option, const std::vector<std::string>& path) {
  OptionInfo info;
  for (const auto& name : option.get_snames()) info.shorts.push_back("-" + name);
  for (const auto& name : option.get_lnames()) info.longs.push_back("--" + name);
  info.positional = !option.nonpositional();
  info.name = info.positional ? option.get_name(true) : (info.longs.empty() ? info.shorts[0] : info.longs[0]);
  info.description = option.get_description();
  info.required = option.get_required();
  const bool takes_value = option.get_items_expected_max() != 0;
  info.repeatable = option.get_items_expected_max() > 1;
  const std::string type_name = option.get_type_name();
  if (takes_value) {
    info.choices = choices_of(type_name);
    info.kind = kind_of(info, type_name, path);
  }
  info.value_name = value_name_of(info, type_name);
  return info;
}

CommandInfo describe_at(const CLI::App& app, std::vector<std::string> path) {
  CommandInfo info;
  info.path = std::move(path);
  info.description = app.get_description();
  info.requires_subcommand = app.get_require_subcommand_min() > 0;
  for (const CLI::Option* option : app.get_options()) {
    if (option->get_group().empty()) continue;  // hidden, as in --help
    OptionInfo described = describe_option(*option, info.path);
    (described.positional ? info.positionals : info.options).push_back(std::move(described));
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_name().empty() || sub->get_group().empty()) continue;  // option groups; hidden commands
    std::vector<std::string> sub_path = info.path;
    sub_path.push_back(sub->get_name());
    info.subcommands.push_back(describe_at(*sub, std::move(sub_path)));
  }
  return info;
}

void flatten_into(const CommandInfo& command, std::vector<const CommandInfo*>& out) {
  out.push_back(&command);
  for (const auto& sub : command.subcommands) flatten_into(sub, out);
}

}  // namespace

std::string CommandInfo::joined(const std::string& separator) const {
  std::string out;
  for (const auto& part : path) out += (out.empty() ? "" : separator) + part;
  return out;
}

CommandInfo describe(const CLI::App& app) { return describe_at(app, {}); }

std::vector<const CommandInfo*> flatten(const CommandInfo& root) {
  std::vector<const CommandInfo*> out;
  flatten_into(root, out);
  return out;
}

}  // namespace tune::cli
