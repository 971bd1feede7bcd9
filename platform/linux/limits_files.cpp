#include "platform/linux/limits_files.h"

#include "core/file_knob.h"

#include <algorithm>

namespace tune::linux_platform {
namespace {


std::string padded(const std::string& text, size_t width) { return text + std::string(width - text.size() + 2, ' '); }

}  // namespace

std::string limits_file_text(const std::string& profile, const std::vector<LimitsLine>& lines) {
  std::string text = tune_file_header(profile);
  text += "# pam_limits reads it for new login sessions; sizes in KiB, cpu in minutes (limits.conf(5)).\n";
  size_t item_width = 0;
  size_t type_width = 0;
  size_t limit_width = 0;
  for (const auto& line : lines) {
    item_width = std::max(item_width, line.item.size());
    type_width = std::max(type_width, line.type.size());
    limit_width = std::max(limit_width, line.limit->name.size());
  }
  for (const auto& line : lines) {
    text += padded(line.item, item_width) + padded(line.type, type_width) + padded(line.limit->name, limit_width) +
            pam_text(*line.limit, line.value) + "\n";
  }
  return text;
}

std::string manager_file_text(const std::string& profile, const std::vector<ManagerLine>& lines) {
  std::string text = tune_file_header(profile);
  text += "# What the service manager gives new services, from the next boot or `systemctl daemon-reexec`.\n";
  text += "[Manager]\n";
  for (const auto& line : lines) {
    text += "DefaultLimit" + line.limit->directive + "=" + systemd_text(*line.limit, line.value.soft) + ":" +
            systemd_text(*line.limit, line.value.hard) + "\n";
  }
  return text;
}

}  // namespace tune::linux_platform
