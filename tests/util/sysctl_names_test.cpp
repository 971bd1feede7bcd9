#include "util/sysctl_names.h"

#include <gtest/gtest.h>

namespace tune {
namespace {

TEST(SysctlNames, DotsAreLevelsAndSlashesStandForDots) {
  EXPECT_EQ(sysctl_path_of("net.core.somaxconn"), "/proc/sys/net/core/somaxconn");
  EXPECT_EQ(sysctl_path_of("net.ipv4.conf.eth0/100.rp_filter"), "/proc/sys/net/ipv4/conf/eth0.100/rp_filter");
}

TEST(SysctlNames, PathsMapBackToTheirKeys) {
  EXPECT_EQ(sysctl_key_of("/proc/sys/net/core/somaxconn"), "net.core.somaxconn");
  EXPECT_EQ(sysctl_key_of("/proc/sys/net/ipv4/conf/eth0.100/rp_filter"), "net.ipv4.conf.eth0/100.rp_filter");
}

}  // namespace
}  // namespace tune
