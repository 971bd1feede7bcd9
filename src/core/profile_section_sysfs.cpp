// The sysfs section: raw /sys attributes, `sysfs: { /sys/PATH: VALUE }`.
// A path is checked as written: its shape, and whether tune refuses it
// (another domain's file, a module parameter, a file that acts rather than
// holds a value). What a glob expands to, and where symlinks lead, is only
// known on the host: the planner checks that again for every file.
#include "core/declare_or_return.h"
#include "core/profile_reader.h"
#include "core/sysfs_paths.h"

namespace tune {

Status parse_sysfs_section(const Reader& reader, const YAML::Node& node, Profile& profile) {
  TUNE_DECLARE_OR_RETURN(std::vector<Condition> section_when, conditions_of(reader, node, {}));
  return reader.each_entry(node, "sysfs", nullptr,
                           [&](const std::string& path, const YAML::Node& key_node, const YAML::Node& value) -> Status {
    if (path == "when") return {};
    const std::string label = "sysfs " + path;
    if (auto problem = sysfs_path_problem(path)) return reader.error_at(key_node, "sysfs '" + path + "': " + *problem);
    if (auto refused = sysfs_refusal(reader.knowledge(), path)) return reader.error_at(key_node, label + " is refused: " + *refused);
    if (value.IsNull()) return reader.error_at(key_node, label + " needs a value");
    TUNE_DECLARE_OR_RETURN(ParsedValue parsed, parse_value(reader, value, label));
    for (const auto& text : parsed.want.values) {
      if (text.find_first_of("\n\r") != std::string::npos) {
        return reader.error_at(value, label + ": a value with a line break cannot be written at boot (tmpfiles takes one line)");
      }
    }
    if (const KnowledgeEntry* entry = sysfs_entry(reader.knowledge(), path)) {
      if (entry->status == Verdict::Risky || entry->status == Verdict::Obsolete) {
        reader.warn_at(reader.origin(key_node), label + " is " + verdict_name(entry->status) + ": " + entry->say);
      }
      if (auto error = check_want(reader, *entry, parsed.want, label, parsed.origin)) return reader.error_at(value, *error);
    } else if (!parsed.unchecked) {
      reader.warn_at(reader.origin(key_node), label + " is not in tune's knowledge base; its value is not checked "
                                                      "(write { value: ..., unchecked: true } to say that is meant)");
    }
    Setting setting;
    setting.domain = "sysfs";
    setting.key = path;
    setting.want = std::move(parsed.want);
    setting.when = section_when;
    setting.when.insert(setting.when.end(), parsed.when.begin(), parsed.when.end());
    setting.origin = reader.origin(key_node);
    setting.value_origin = parsed.origin;
    profile.settings.push_back(std::move(setting));
    return {};
  });
}

}  // namespace tune
