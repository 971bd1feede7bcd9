// A host for the limits tests: /proc/1/limits as systemd's PID 1 shows it on
// a small server, fs.nr_open, users and groups, and nothing else.
#pragma once

#include "support/temp_tree.h"

#include <string>

namespace tune::linux_platform::limits_testing {

inline const char* const kPid1Limits =
    "Limit                     Soft Limit           Hard Limit           Units     \n"
    "Max cpu time              unlimited            unlimited            seconds   \n"
    "Max file size             unlimited            unlimited            bytes     \n"
    "Max data size             unlimited            unlimited            bytes     \n"
    "Max stack size            8388608              unlimited            bytes     \n"
    "Max core file size        0                    unlimited            bytes     \n"
    "Max resident set          unlimited            unlimited            bytes     \n"
    "Max processes             63476                63476                processes \n"
    "Max open files            1073741816           1073741816           files     \n"
    "Max locked memory         8388608              8388608              bytes     \n"
    "Max address space         unlimited            unlimited            bytes     \n"
    "Max file locks            unlimited            unlimited            locks     \n"
    "Max pending signals       63476                63476                signals   \n"
    "Max msgqueue size         819200               819200               bytes     \n"
    "Max nice priority         0                    0                    \n"
    "Max realtime priority     0                    0                    \n"
    "Max realtime timeout      unlimited            unlimited            us        \n";

inline void write_host(const testing::TempTree& tree) {
  tree.write("/proc/1/limits", kPid1Limits, 0444);
  tree.write("/proc/sys/fs/nr_open", "1048576\n");
  tree.write("/etc/passwd",
             "root:x:0:0:root:/root:/bin/bash\n"
             "alice:x:1000:1000:Alice:/home/alice:/bin/bash\n"
             "bob:x:1001:1001:Bob:/home/bob:/bin/bash\n");
  tree.write("/etc/group",
             "root:x:0:\n"
             "alice:x:1000:\n"
             "bob:x:1001:\n"
             "ai:x:2000:alice\n"
             "staff:x:2001:bob,alice\n");
}

}  // namespace tune::linux_platform::limits_testing
