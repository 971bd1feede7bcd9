// The modules section: kernel module parameters,
// `modules: { MODULE: { PARAM: VALUE } }`. The knowledge base describes some
// as MODULE.PARAM (modules.yaml) and checks their values; others are taken
// with a warning that their value is not checked, as module parameters are
// many and each module's own.
#include "core/declare_or_return.h"
#include "core/profile_reader.h"

#include <cctype>

namespace tune {
namespace {

bool module_word(const std::string& name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

// modprobe takes one word per PARAM=VALUE: blanks, quotes and '#' would
// change the line's meaning in modprobe.d.
std::optional<std::string> option_value_problem(const std::string& value) {
  if (value.find("${") != std::string::npos) return std::nullopt;  // checked once substituted
  if (value.empty()) return "needs a value";
  for (char c : value) {
    if (std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '\'' || c == '#' || c == '\\' ||
        static_cast<unsigned char>(c) < 0x20) {
      return "a module parameter value is one word without blanks, quotes, '#' or '\\'";
    }
  }
  return std::nullopt;
}

}  // namespace

Status parse_modules_section(const Reader& reader, const YAML::Node& node, Profile& profile) {
  TUNE_DECLARE_OR_RETURN(std::vector<Condition> section_when, conditions_of(reader, node, {}));
  return reader.each_entry(node, "modules", nullptr,
                           [&](const std::string& written, const YAML::Node& module_node, const YAML::Node& body) -> Status {
    if (written == "when") return {};
    if (!module_word(written)) {
      return reader.error_at(module_node, "modules: '" + written + "' is not a module name (letters, digits, _ and -)");
    }
    // modprobe treats - and _ alike; /sys/module and the kernel use _.
    std::string module = written;
    std::replace(module.begin(), module.end(), '-', '_');
    if (!body.IsMap()) {
      return reader.error_at(body, "modules " + written + " must be a mapping of parameters to values "
                                                          "(modules: { " + written + ": { PARAM: VALUE } })");
    }
    TUNE_DECLARE_OR_RETURN(std::vector<Condition> module_when, conditions_of(reader, body, section_when));
    return reader.each_entry(body, "modules " + written, nullptr,
                             [&](const std::string& param, const YAML::Node& key_node, const YAML::Node& value) -> Status {
      if (param == "when") return {};
      const std::string label = "modules " + module + " " + param;
      if (!module_word(param)) {
        return reader.error_at(key_node, "modules " + written + ": '" + param + "' is not a parameter name (letters, digits, _ and -)");
      }
      if (value.IsNull()) return reader.error_at(key_node, label + " needs a value");
      const Slot slot{"modules", module, param, "modules", module + "." + param, label};
      if (reader.knowledge().find("modules", slot.kb_key)) {
        TUNE_RETURN_IF_ERROR(add_setting(reader, profile, slot, key_node, value, module_when));
        for (const auto& text : profile.settings.back().want.values) {
          if (auto problem = option_value_problem(text)) return reader.error_at(value, label + ": " + *problem);
        }
        return {};
      }
      TUNE_DECLARE_OR_RETURN(ParsedValue parsed, parse_value(reader, value, label));
      for (const auto& text : parsed.want.values) {
        if (auto problem = option_value_problem(text)) return reader.error_at(value, label + ": " + *problem);
      }
      if (!parsed.unchecked) {
        reader.warn_at(reader.origin(key_node), label + " is not in tune's knowledge base; its value is not checked "
                                                        "(write { value: ..., unchecked: true } to say that is meant)");
      }
      Setting setting;
      setting.domain = "modules";
      setting.scope = module;
      setting.key = param;
      setting.want = std::move(parsed.want);
      setting.when = module_when;
      setting.when.insert(setting.when.end(), parsed.when.begin(), parsed.when.end());
      setting.origin = reader.origin(key_node);
      setting.value_origin = parsed.origin;
      for (const auto& existing : profile.settings) {
        if (existing.address() == setting.address()) {
          return reader.error_at(key_node, label + " is already set at " + existing.origin.str());
        }
      }
      profile.settings.push_back(std::move(setting));
      return {};
    });
  });
}

}  // namespace tune
