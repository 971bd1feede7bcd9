// The targets of the limits domain, as plans and journals name them:
// "ITEM/LIMIT" ("*/nofile", "@ai/memlock", "alice/nproc") is what a new login
// session of ITEM gets; "DefaultLimitNOFILE" is what the service manager gives
// new services. Journals and saved plans are untrusted input, so a target is
// parsed strictly.
#pragma once

#include "core/profile.h"  // valid_limits_item: the parser's rule for items

#include "platform/linux/limit_table.h"
#include "util/result.h"

#include <string>

namespace tune::linux_platform {

struct LimitsTarget {
  enum class View { Login, Manager };
  View view = View::Login;
  std::string item;  // Login only: "*", a user name, "@group"
  const LimitInfo* limit = nullptr;
};

Result<LimitsTarget> parse_limits_target(const std::string& target);

std::string login_target(const std::string& item, const LimitInfo& limit);   // "*/nofile"
std::string manager_target(const LimitInfo& limit);                          // "DefaultLimitNOFILE"

}  // namespace tune::linux_platform
