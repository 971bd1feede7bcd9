// Unified diff (the format `diff -u` and `patch` use) of two texts.
#pragma once

#include <optional>
#include <string>

namespace tune {

// Empty when the texts are equal. An absent side is shown as /dev/null.
std::string unified_diff(const std::optional<std::string>& before, const std::optional<std::string>& after,
                         const std::string& before_label, const std::string& after_label, int context = 3);

}  // namespace tune
