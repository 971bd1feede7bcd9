#include "platform/linux/block_devices.h"

#include "platform/linux/sysfs_attribute.h"
#include "util/text.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <set>

namespace tune::linux_platform {
namespace {

const std::vector<std::string> kClasses = {"all", "nvme", "ssd", "hdd", "virtual"};

bool has_prefix_then_letter(const std::string& name, const std::string& prefix) {
  return starts_with(name, prefix) && name.size() > prefix.size() &&
         std::isalpha(static_cast<unsigned char>(name[prefix.size()]));
}

std::string class_of(const System& system, const std::string& name) {
  if (starts_with(name, "nvme")) return "nvme";
  if (has_prefix_then_letter(name, "vd") || has_prefix_then_letter(name, "xvd")) return "virtual";
  if (has_prefix_then_letter(name, "sd") || has_prefix_then_letter(name, "hd") || starts_with(name, "mmcblk")) {
    auto rotational = read_attribute(system, "/sys/block/" + name + "/queue/rotational");
    if (!rotational || !rotational->exists) return "";
    return rotational->text == "1" ? "hdd" : "ssd";
  }
  return "";  // loop, ram, zram, sr, nbd, dm, md...: only by name
}

// The whole disks under a stacked device, following dm over md over partitions.
void collect_disks(const System& system, const std::string& name, std::set<std::string>& disks, int depth) {
  if (depth > 8) return;
  for (const auto& slave : system.list_dir("/sys/block/" + name + "/slaves").value_or_default()) {
    std::string disk = disk_of_partition(system, slave);
    if (disk.empty()) disk = slave;
    if (starts_with(disk, "dm-") || starts_with(disk, "md")) collect_disks(system, disk, disks, depth + 1);
    else disks.insert(disk);
  }
}

}  // namespace

const std::vector<std::string>& block_keys() {
  static const std::vector<std::string> kKeys = {"scheduler", "nr_requests", "read_ahead_kb", "add_random", "rq_affinity",
                                                 "nomerges",  "iostats",     "wbt_lat_usec",  "max_sectors_kb"};
  return kKeys;
}

std::vector<BlockDevice> list_block_devices(const System& system) {
  std::vector<BlockDevice> devices;
  for (const auto& name : system.list_dir("/sys/block").value_or_default()) {
    BlockDevice device;
    device.name = name;
    device.device_class = class_of(system, name);
    device.stacked = starts_with(name, "dm-") || (starts_with(name, "md") && name.size() > 2 &&
                                                  std::isdigit(static_cast<unsigned char>(name[2])));
    if (device.stacked) {
      std::set<std::string> disks;
      collect_disks(system, name, disks, 0);
      device.disks.assign(disks.begin(), disks.end());
    }
    devices.push_back(std::move(device));
  }
  return devices;
}

bool is_block_class(const std::string& scope) {
  return std::find(kClasses.begin(), kClasses.end(), scope) != kClasses.end();
}

bool block_name_matches(const std::string& pattern, const std::string& name) {
  // * any run of characters, ? any one; device names are short.
  std::function<bool(size_t, size_t)> match = [&](size_t p, size_t n) -> bool {
    if (p == pattern.size()) return n == name.size();
    if (pattern[p] == '*') return match(p + 1, n) || (n < name.size() && match(p, n + 1));
    if (n == name.size()) return false;
    return (pattern[p] == '?' || pattern[p] == name[n]) && match(p + 1, n + 1);
  };
  return match(0, 0);
}

std::string disk_of_partition(const System& system, const std::string& name) {
  if (!valid_block_device_pattern(name) || name.find_first_of("*?") != std::string::npos) return "";
  if (system.stat("/sys/block/" + name).value_or_default().exists) return "";
  for (const auto& disk : system.list_dir("/sys/block").value_or_default()) {
    if (system.stat("/sys/block/" + disk + "/" + name + "/partition").value_or_default().exists) return disk;
  }
  return "";
}

int scope_specificity(const std::string& scope) {
  if (scope == "all") return 0;
  if (is_block_class(scope)) return 1;
  if (scope.find_first_of("*?") != std::string::npos) return 2;
  return 3;
}

std::string udev_match(const std::string& scope) {
  const std::string disk = "ENV{DEVTYPE}==\"disk\", ";
  if (scope == "all") return disk + "KERNEL==\"nvme*|vd*|xvd*|sd*|hd*|mmcblk*\"";
  if (scope == "nvme") return disk + "KERNEL==\"nvme*\"";
  if (scope == "virtual") return disk + "KERNEL==\"vd*|xvd*\"";
  if (scope == "ssd") return disk + "KERNEL==\"sd*|hd*|mmcblk*\", ATTR{queue/rotational}==\"0\"";
  if (scope == "hdd") return disk + "KERNEL==\"sd*|hd*|mmcblk*\", ATTR{queue/rotational}==\"1\"";
  return disk + "KERNEL==\"" + scope + "\"";
}

}  // namespace tune::linux_platform
