#include "platform/linux/limits_view.h"

#include "util/text.h"

namespace tune::linux_platform {

Result<LimitsHost> read_limits_host(const System& system) {
  LimitsHost host;
  TUNE_ASSIGN_OR_RETURN(host.pam, pam_limits_files(system));
  TUNE_ASSIGN_OR_RETURN(host.manager, manager_config(system));
  // Unreadable (a container, hidepid) leaves the inherited values unknown, not an error.
  host.pid1_limits = system.read_file(kPid1Limits).value_or_default();
  auto nr_open = parse_integer(trim(system.read_file(kNrOpen).value_or_default()));
  if (nr_open && *nr_open > 0) host.nr_open = static_cast<unsigned long long>(*nr_open);
  return host;
}

LimitsView::LimitsView(const LimitsHost& host)
    : entries_(pam_entries(host.pam.in_order())),
      manager_(manager_limits(host.manager, host.pid1_limits, host.nr_open)),
      nr_open_(host.nr_open) {}

LoginLimit LimitsView::login(const LoginSubject& subject, const LimitInfo& limit) const {
  return login_limit(entries_, subject, limit, manager(limit).value, nr_open_);
}

ManagerLimit LimitsView::manager(const LimitInfo& limit) const {
  auto it = manager_.find(limit.name);
  return it == manager_.end() ? ManagerLimit{} : it->second;
}

}  // namespace tune::linux_platform
