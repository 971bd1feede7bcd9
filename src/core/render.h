// Render plans and reports for people: aligned tables and unified diffs.
#pragma once

#include "core/plan.h"

#include <string>

namespace tune {

struct Style {
  bool color = false;
};

// One line per setting: action, domain, target, before -> after; then skips,
// warnings and a count.
std::string render_plan_table(const Plan& plan, const Style& style);

// A unified diff of everything the plan changes: runtime values as one
// "live -> after" block per domain, and each persisted file in full.
std::string render_plan_diff(const Plan& plan, const Style& style);

// Paint text with an ANSI colour when style asks for colour.
std::string paint(const Style& style, const char* ansi, const std::string& text);

}  // namespace tune
