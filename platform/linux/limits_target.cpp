#include "platform/linux/limits_target.h"

#include "util/text.h"

#include <algorithm>
#include <cctype>

namespace tune::linux_platform {

std::string login_target(const std::string& item, const LimitInfo& limit) { return item + "/" + limit.name; }

std::string manager_target(const LimitInfo& limit) { return "DefaultLimit" + limit.directive; }

Result<LimitsTarget> parse_limits_target(const std::string& target) {
  LimitsTarget parsed;
  if (starts_with(target, "DefaultLimit")) {
    parsed.view = LimitsTarget::View::Manager;
    parsed.limit = find_directive(target.substr(12));
    if (parsed.limit == nullptr) return make_error("limits: '{}' is not a DefaultLimit directive tune knows", target);
    return parsed;
  }
  auto slash = target.find('/');
  if (slash == std::string::npos) return make_error("limits: '{}' is not ITEM/LIMIT or DefaultLimitX", target);
  parsed.item = target.substr(0, slash);
  if (!valid_limits_item(parsed.item)) {
    return make_error("limits: '{}' names '{}', which is not \"*\", a user name or @group", target, parsed.item);
  }
  parsed.limit = find_limit(target.substr(slash + 1));
  if (parsed.limit == nullptr) return make_error("limits: '{}' names no limit tune knows", target);
  return parsed;
}

}  // namespace tune::linux_platform
