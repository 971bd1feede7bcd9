// The kernel's table of active swap areas, /proc/swaps: read by the swap
// backend, and kept by a rooted tree or a dry run where there is no kernel
// to keep it, so swap changes can be planned, applied and read back there too.
#pragma once

#include "util/result.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tune {

class System;

struct SwapArea {
  std::string path;      // "/swapfile", "/dev/zram0"
  std::string type;      // "file" or "partition"
  uint64_t size_kib = 0;  // usable size: the area less its header page
  uint64_t used_kib = 0;
  int priority = 0;
};

// The areas of a /proc/swaps text; lines that do not parse are left out.
std::vector<SwapArea> parse_swap_table(const std::string& text);
std::optional<SwapArea> find_swap_area(const std::vector<SwapArea>& areas, const std::string& path);

// The table with one area added or removed, as the kernel would print it.
std::string swap_table_with(const std::string& text, const SwapArea& area);
std::string swap_table_without(const std::string& text, const std::string& path);

// The usable size the kernel reports for a swap area of `bytes`: whole
// pages less the header page, in KiB.
uint64_t swap_area_kib(uint64_t bytes);

// The priority the kernel gives an area swapped on without one: one below
// the lowest automatic priority in use, starting at -2.
int next_automatic_priority(const std::vector<SwapArea>& areas);

// Where there is no kernel to keep the table (a rooted tree, a dry run):
// the /proc/swaps text after swapon or swapoff of path, read through door.
// Errors are the ones swapon(2) and swapoff(2) would give.
Result<std::string> modelled_swap_on(const System& door, const std::string& path, int priority);
Result<std::string> modelled_swap_off(const System& door, const std::string& path);

}  // namespace tune
