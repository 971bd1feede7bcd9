// Who a limits item stands for when a new session logs in: the name, uid
// and groups pam_limits matches limits.conf lines against. "*" is a generic
// non-root user in no group that has lines, "@g" a member of g, a name that
// user with the groups /etc/passwd and /etc/group give it.
#pragma once

#include "util/result.h"
#include "util/system.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tune::linux_platform {

struct LoginSubject {
  std::string user;                 // empty: no particular user
  std::optional<uint32_t> uid;      // unknown for "*", "@g" and users not in /etc/passwd
  std::optional<uint32_t> gid;      // the primary group
  std::vector<std::string> groups;  // names, the primary's included
  std::vector<uint32_t> gids;       // their ids, where /etc/group has them
  bool root = false;                // "*" and @group lines never apply to root
};

// The subject of a limits item; an item that is not "*", a user or @group
// is an error.
Result<LoginSubject> login_subject(const System& system, const std::string& item);

}  // namespace tune::linux_platform
