// Block devices: what each disk is, whether it spins, its I/O scheduler
// choices and read-ahead.
#include "detect/probes.h"

#include "util/text.h"

namespace tune::detect {
namespace {

std::string kind_by_name(const std::string& name) {
  static const std::pair<const char*, const char*> kPrefixes[] = {
      {"nvme", "nvme"}, {"vd", "virtio"}, {"xvd", "xen"},  {"sd", "scsi"},  {"hd", "scsi"},  {"mmcblk", "mmc"},
      {"loop", "loop"}, {"zram", "zram"}, {"ram", "ram"},  {"dm-", "dm"},   {"md", "md"}};
  for (const auto& [prefix, kind] : kPrefixes) {
    if (starts_with(name, prefix)) return kind;
  }
  return "other";
}

void read_scheduler(Probe& probe, const std::string& path, BlockDeviceFacts& device) {
  auto text = probe.read(path);
  if (!text) return;
  const std::string value = trim(*text);
  // A device without a choice (many virtual ones) prints a bare "none".
  if (value == "none") {
    device.scheduler = "none";
    device.schedulers = {"none"};
  } else if (!parse_bracketed_choice(value, device.scheduler, device.schedulers)) {
    probe.malformed(path, "schedulers with one in [brackets]", value);
  }
}

}  // namespace

void probe_block(Probe& probe) {
  BlockFacts& block = probe.facts().block;
  auto listing = probe.system().list_dir("/sys/block");
  if (!listing) return;
  block.known = true;
  for (const auto& name : *listing) {
    const std::string dir = "/sys/block/" + name;
    BlockDeviceFacts device;
    device.name = name;
    device.kind = kind_by_name(name);
    if (!device.is_disk()) {  // loop, zram...: listed, not tuned, so not read further
      block.devices.push_back(std::move(device));
      continue;
    }
    // The driver is the better witness where the name is not (virtio-blk is always vd*, but check).
    if (auto uevent = probe.read(dir + "/device/uevent")) {
      if (uevent->find("DRIVER=virtio_blk") != std::string::npos) device.kind = "virtio";
    }
    device.rotational = probe.flag(dir + "/queue/rotational");
    read_scheduler(probe, dir + "/queue/scheduler", device);
    if (auto read_ahead = probe.integer(dir + "/queue/read_ahead_kb"); read_ahead && *read_ahead >= 0) {
      device.read_ahead_kb = static_cast<int>(*read_ahead);
    }
    if (auto sectors = probe.integer(dir + "/size"); sectors && *sectors >= 0) {
      device.size_bytes = static_cast<uint64_t>(*sectors) * 512;  // the kernel counts 512-byte sectors here
    }
    device.model = probe.line(dir + "/device/model");
    block.devices.push_back(std::move(device));
  }
}

}  // namespace tune::detect
