// The block devices of a Linux host as the block domain sees them: which
// class each whole disk is in (nvme, ssd, hdd, virtual), which devices a
// profile scope names (a class, a kernel name, a glob such as loop*), and
// the disks under a device-mapper or md device.
#pragma once

#include "core/profile.h"
#include "util/system.h"

#include <string>
#include <vector>

namespace tune::linux_platform {

// The queue attributes tune sets, in the order they are applied: the
// scheduler first, since the largest nr_requests depends on it.
const std::vector<std::string>& block_keys();

struct BlockDevice {
  std::string name;          // "nvme0n1", "sda", "dm-0", "loop3"
  std::string device_class;  // "nvme", "ssd", "hdd", "virtual"; empty for devices reached only by name
  bool stacked = false;      // device-mapper or md: its queue sits over other disks
  std::vector<std::string> disks;  // for a stacked device, the whole disks under it
};

std::vector<BlockDevice> list_block_devices(const System& system);

// Whether a profile's block scope is a class ("all" included) or names devices.
bool is_block_class(const std::string& scope);
bool block_name_matches(const std::string& pattern, const std::string& name);

// The whole disk a partition belongs to ("sda" for "sda2"); empty when name is not a partition.
std::string disk_of_partition(const System& system, const std::string& name);

// How much a scope says about a device: a name beats a glob beats a class beats all.
int scope_specificity(const std::string& scope);

// The udev match for the devices of a scope, without the ACTION and SUBSYSTEM parts.
std::string udev_match(const std::string& scope);

}  // namespace tune::linux_platform
