// The kernel command line as the boot domain reads it: what the running
// kernel was started with (/proc/cmdline) and what the next boot will use,
// from GRUB's configuration (/etc/default/grub and its grub.d drop-ins, as
// update-grub reads them) or kernel-install's /etc/kernel/cmdline.
#pragma once

#include "util/system.h"

#include <optional>
#include <string>
#include <vector>

namespace tune::linux_platform {

inline constexpr const char* kGrubDefaults = "/etc/default/grub";
inline constexpr const char* kGrubDropInDir = "/etc/default/grub.d";
inline constexpr const char* kGrubDropIn = "/etc/default/grub.d/90-tune.cfg";
inline constexpr const char* kKernelCmdline = "/etc/kernel/cmdline";

enum class BootLoader { None, Grub, KernelInstall };

// Which mechanism this host's kernel command line is configured through.
BootLoader boot_loader(const System& system);

// The parameters the next boot will use, in order.
std::vector<std::string> configured_cmdline(const System& system, BootLoader loader);
// The parameters the running kernel has.
std::vector<std::string> running_cmdline(const System& system);

// A parameter's value on a command line: "true" for a bare flag, the value
// after '=' otherwise, the last occurrence winning; nullopt when absent.
std::optional<std::string> cmdline_value(const std::vector<std::string>& words, const std::string& name);

// "nosoftlockup" for true, "hugepages=16" otherwise.
std::string cmdline_word(const std::string& name, const std::string& value);

// Whether a name or value can go on a command line tune writes into a shell
// file: no blanks, quotes, $, ` or backslashes.
bool plain_cmdline_text(const std::string& text);

}  // namespace tune::linux_platform
