// The two files the limits domain persists through: a limits.d file that
// pam_limits reads for every new login session, and a system.conf.d drop-in
// with the service manager's defaults for new services.
#pragma once

#include "platform/linux/limit_table.h"

#include <string>
#include <vector>

namespace tune::linux_platform {

inline constexpr const char* kLimitsFile = "/etc/security/limits.d/90-tune.conf";
inline constexpr const char* kManagerFile = "/etc/systemd/system.conf.d/90-tune.conf";

// One limits.conf line: `<item> <soft|hard> <limit> <value>`.
struct LimitsLine {
  std::string item;
  std::string type;
  const LimitInfo* limit = nullptr;
  Rlim value;
};

// The limits.d file: a header, then the lines in pam's units, aligned.
std::string limits_file_text(const std::string& profile, const std::vector<LimitsLine>& lines);

// One `DefaultLimitX=SOFT:HARD` line, in systemd's units.
struct ManagerLine {
  const LimitInfo* limit = nullptr;
  RlimPair value;
};

std::string manager_file_text(const std::string& profile, const std::vector<ManagerLine>& lines);

}  // namespace tune::linux_platform
