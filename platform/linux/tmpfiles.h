// Kernel values that a reboot forgets (governor, THP, hugepages per node...)
// come back at boot through systemd-tmpfiles: a tmpfiles.d file of `w` lines,
// one whole file per domain that tune owns, planned as a file change.
#pragma once

#include <string>
#include <vector>

namespace tune::linux_platform {

struct BootWrite {
  std::string path;   // a /sys path; tmpfiles accepts a glob ("policy*")
  std::string value;
};

// The file's text: a header naming the profile, then one `w` line each.
std::string tmpfiles_text(const std::string& profile, const std::string& what, const std::vector<BootWrite>& writes);

}  // namespace tune::linux_platform
