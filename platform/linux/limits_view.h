// The two views of a limit tune reports: what a new login session gets
// (pam_limits over the service manager's default) and what the service
// manager gives new services. Both are computed from files, so a plan can
// compute them again with tune's files in place before writing anything.
#pragma once

#include "platform/linux/manager_limits.h"
#include "platform/linux/pam_limits.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tune::linux_platform {

inline constexpr const char* kNrOpen = "/proc/sys/fs/nr_open";

// What the views are computed from, as read from a host.
struct LimitsHost {
  ConfigSet pam;
  ConfigSet manager;
  std::string pid1_limits;  // empty when unreadable
  std::optional<unsigned long long> nr_open;
};

Result<LimitsHost> read_limits_host(const System& system);

class LimitsView {
 public:
  explicit LimitsView(const LimitsHost& host);

  // What a new login session of subject gets, starting from the manager's default.
  LoginLimit login(const LoginSubject& subject, const LimitInfo& limit) const;
  // What a new service gets; unknown for a limit systemd has no directive for (maxlogins).
  ManagerLimit manager(const LimitInfo& limit) const;

 private:
  std::vector<PamEntry> entries_;
  std::map<std::string, ManagerLimit> manager_;
  std::optional<unsigned long long> nr_open_;
};

}  // namespace tune::linux_platform
