// sysctl names and their /proc/sys files: dots separate levels, and a slash
// in a name stands for a dot in a file name (sysctl(8)), so
// "net.ipv4.conf.eth0/100.rp_filter" is /proc/sys/net/ipv4/conf/eth0.100/rp_filter.
#pragma once

#include <string>

namespace tune {

std::string sysctl_path_of(const std::string& key);
// The key of a path under /proc/sys/ (the prefix is required).
std::string sysctl_key_of(const std::string& path);

}  // namespace tune
