// Swap areas as the swap domain handles them: the state of a swap file or a
// zram device in one line ("4G on", "8G zstd on priority 100", "unused"),
// the header that makes a file or device a swap area (what mkswap writes),
// and the systemd unit names that enable them at boot.
#pragma once

#include "util/system.h"

#include <cstdint>
#include <optional>
#include <string>

namespace tune::linux_platform {

struct SwapState {
  bool in_use = false;     // zram: the device has a size; a swap file: it exists
  uint64_t bytes = 0;
  std::string algorithm;   // zram only
  bool on = false;         // listed in /proc/swaps
  int priority = -1;       // below 0: the kernel's automatic priority
};

// "4G on", "512M off", "8G zstd on priority 100"; "unused lzo-rle" for a
// zram device without a size (and the algorithm it would take). Automatic priorities are not part of the state:
// the kernel picks them anew at every swapon.
std::string format_swap_state(const SwapState& state);
std::optional<SwapState> parse_swap_state(const std::string& text);

// "4G", "512M", or bytes: how sizes read in states and plans.
std::string size_text(uint64_t bytes);

// The first page of a version-1 swap area of `bytes` (the layout of the
// kernel's union swap_header): version, last page, a random UUID and the
// SWAPSPACE2 signature at the page's end.
std::string swap_header(uint64_t bytes, uint64_t page_size);

// The kernel's page size, from the running process's auxiliary vector; 4096
// where that cannot be read (a rooted tree).
uint64_t page_size(const System& system);

// systemd's name for the unit of a path ("/var/swap/file" -> "var-swap-file"),
// as systemd-escape --path makes it.
std::string systemd_path_name(const std::string& path);

// Whether path is one tune may keep a swap file at: absolute, plain, and not
// under /proc, /sys or /dev.
bool valid_swapfile_path(const std::string& path);

}  // namespace tune::linux_platform
