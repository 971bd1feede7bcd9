#include "core/render.h"

#include "core/unified_diff.h"
#include "util/text.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace tune {
namespace {

constexpr const char* kGreen = "\033[32m";
constexpr const char* kRed = "\033[31m";
constexpr const char* kYellow = "\033[33m";
constexpr const char* kCyan = "\033[36m";
constexpr const char* kDim = "\033[2m";
constexpr const char* kBold = "\033[1m";

const char* action_colour(Action action) {
  switch (action) {
    case Action::Create: return kGreen;
    case Action::Remove: return kRed;
    case Action::Modify: return kYellow;
    case Action::Run: return kCyan;
    case Action::None: return kDim;
  }
  return kDim;
}

std::string one_line(const std::optional<std::string>& state) {
  if (!state) return "(absent)";
  return *state;
}

std::string file_summary(const Change& change) {
  const size_t lines = change.after ? split_lines(*change.after).size() : 0;
  switch (change.action) {
    case Action::Create: return fmt::format("(new file, {} lines)", lines);
    case Action::Remove: return "(removed)";
    case Action::Modify: return fmt::format("(rewritten, {} lines; see the diff)", lines);
    case Action::None: return "(already as wanted)";
    case Action::Run: return "";
  }
  return "";
}

std::string colourize_diff(const Style& style, const std::string& diff) {
  if (!style.color) return diff;
  std::string out;
  for (const auto& line : split_lines(diff)) {
    const char* colour = nullptr;
    if (starts_with(line, "+++") || starts_with(line, "---")) colour = kBold;
    else if (starts_with(line, "@@")) colour = kCyan;
    else if (starts_with(line, "+")) colour = kGreen;
    else if (starts_with(line, "-")) colour = kRed;
    out += (colour ? paint(style, colour, line) : line) + "\n";
  }
  return out;
}

}  // namespace

std::string paint(const Style& style, const char* ansi, const std::string& text) {
  if (!style.color) return text;
  return std::string(ansi) + text + "\033[0m";
}

std::string render_plan_table(const Plan& plan, const Style& style) {
  std::string out = fmt::format("Plan for profile '{}' on {} (kernel {})\n", plan.profile,
                                plan.host.hostname.empty() ? "this host" : plan.host.hostname,
                                plan.host.kernel.empty() ? "unknown" : plan.host.kernel);
  size_t domain_width = 0;
  size_t target_width = 0;
  for (const auto& change : plan.changes) {
    domain_width = std::max(domain_width, change.domain.size());
    target_width = std::max(target_width, change.target.size());
  }
  for (const auto& skip : plan.skipped) {
    domain_width = std::max(domain_width, skip.domain.size());
    target_width = std::max(target_width, skip.target.size());
  }
  size_t unchanged = 0;
  for (const auto& change : plan.changes) {
    std::string detail;
    if (change.domain == "file") detail = file_summary(change);
    else if (change.action == Action::Run) detail = change.after.value_or("");
    else if (change.action == Action::None) detail = one_line(change.after);
    else detail = one_line(change.before) + " -> " + one_line(change.after);
    if (change.needs_reboot) detail += "  [needs reboot]";
    if (!change.note.empty()) detail += "  (" + change.note + ")";
    unchanged += change.action == Action::None;
    std::string line = fmt::format("  {} {:<{}}  {:<{}}  {}", action_symbol(change.action), change.domain, domain_width,
                                   change.target, target_width, detail);
    out += paint(style, action_colour(change.action), line) + "\n";
  }
  for (const auto& skip : plan.skipped) {
    std::string line = fmt::format("  ! {:<{}}  {:<{}}  skipped ({}): {}", skip.domain, domain_width, skip.target,
                                   target_width, skip.wanted, skip.reason);
    out += paint(style, kRed, line) + "\n";
  }
  for (const auto& warning : plan.warnings) out += paint(style, kYellow, "  warning: " + warning) + "\n";
  const size_t pending = plan.pending();
  if (pending == 0) out += fmt::format("Nothing to change: the host already matches '{}'", plan.profile);
  else out += fmt::format("{} to change, {} already as wanted", pending, unchanged);
  if (!plan.skipped.empty()) out += fmt::format(", {} skipped", plan.skipped.size());
  out += ".\n";
  return out;
}

std::string render_plan_diff(const Plan& plan, const Style& style) {
  std::string out;
  // Runtime values, grouped by domain, as "key = value" lines.
  std::map<std::string, std::pair<std::string, std::string>> runtime;
  for (const auto& change : plan.changes) {
    if (change.domain == "file" || change.action == Action::None || change.action == Action::Run) continue;
    auto& [before, after] = runtime[change.domain];
    if (change.before) before += change.target + " = " + *change.before + "\n";
    if (change.after) after += change.target + " = " + *change.after + "\n";
  }
  for (const auto& [domain, texts] : runtime) {
    out += colourize_diff(style, unified_diff(texts.first, texts.second, domain + " (before)",
                                              domain + " (after)"));
  }
  for (const auto& change : plan.changes) {
    if (change.domain != "file" || change.action == Action::None) continue;
    out += colourize_diff(style, unified_diff(change.before, change.after, change.target, change.target));
  }
  return out;
}

}  // namespace tune
