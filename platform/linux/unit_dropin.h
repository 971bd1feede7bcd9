// The drop-in tune writes for a unit, /etc/systemd/system/<unit>.d/90-tune.conf:
// [Service] directives and Environment= lines, quoted by systemd's rules.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace tune::linux_platform {

std::string dropin_path(const std::string& unit);

// One Environment= word: "NAME=value" in double quotes, with backslash,
// quote and % (a specifier to systemd) escaped.
std::string environment_word(const std::string& name, const std::string& value);

// A directive value as a unit file line's right side: % doubled, since
// systemd expands specifiers in most directives.
std::string directive_value(const std::string& value);

// The drop-in's text. Directives that merge across files (CPUAffinity) are
// reset first, so the unit gets exactly the profile's value.
std::string dropin_text(const std::string& profile, const std::string& unit,
                        const std::vector<std::pair<std::string, std::string>>& directives,
                        const std::vector<std::pair<std::string, std::string>>& environment);

}  // namespace tune::linux_platform
