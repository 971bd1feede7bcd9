// PLACEHOLDER while the modules domain is being built: replaced by its parser.
#include "core/profile_reader.h"

namespace tune {

Status parse_modules_section(const Reader& reader, const YAML::Node& node, Profile& profile) {
  (void)profile;
  return reader.error_at(node, "modules: not available yet");
}

}  // namespace tune
