// The kernel's ethtool ioctl (SIOCETHTOOL) behind the NIC-settings text of
// util/nic_settings.h: what LocalSystem uses on the real host.
#pragma once

#include "util/result.h"

#include <string>
#include <string_view>

namespace tune {

// One group of one interface as NIC-settings text. A group the driver does
// not implement reads as empty text; an interface that is not there is an error.
Result<std::string> ethtool_read_group(const std::string& interface, const std::string& group);
// Write the named settings of a group; the kernel's refusal comes back as is.
Status ethtool_write_group(const std::string& interface, const std::string& group, std::string_view changes);

}  // namespace tune
