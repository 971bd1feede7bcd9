// PCI devices that matter for tuning: GPUs, NICs, NVMe controllers.
//
// On a live host (or --root tree) they come from the text attributes in
// /sys/bus/pci/devices, not from hwloc's I/O discovery: hwloc reads each
// function's config space, and in a VM every config read traps to the
// hypervisor (about a millisecond each), which alone would blow detection's
// time budget. An hwloc XML topology brings its own PCI objects
// (topology_probe.cpp); both paths end in add_pci_function.
#include "detect/probes.h"

#include "util/text.h"

#include <cstdlib>

namespace tune::detect {
namespace {

constexpr const char* kPciDevices = "/sys/bus/pci/devices";

constexpr uint16_t kNvidia = 0x10de;
constexpr uint16_t kAmd = 0x1002;
constexpr uint16_t kIntel = 0x8086;

// "0x10de" -> 0x10de; nothing unless the whole text is hexadecimal.
std::optional<unsigned long> hex_value(const std::string& text) {
  std::string digits = trim(text);
  if (starts_with(digits, "0x") || starts_with(digits, "0X")) digits = digits.substr(2);
  if (digits.empty() || digits.size() > 8) return std::nullopt;
  char* end = nullptr;
  unsigned long value = std::strtoul(digits.c_str(), &end, 16);
  if (*end != '\0') return std::nullopt;
  return value;
}

bool is_gpu_class(uint32_t class_id) {
  const uint32_t base = class_id >> 16;
  return base == 0x03 || base == 0x12;  // display controller, processing accelerator
}

// The kernel's names for what a PCI function carries: drm cards, network
// interfaces, NVMe controllers, and those of virtio functions one level down.
std::vector<std::string> os_devices_of(Probe& probe, const std::string& device_dir) {
  std::vector<std::string> found;
  for (const char* kind : {"drm", "net", "nvme", "infiniband"}) {
    for (auto& name : probe.list(device_dir + "/" + kind)) found.push_back(std::move(name));
  }
  for (const auto& entry : probe.list(device_dir)) {
    if (!starts_with(entry, "virtio")) continue;
    for (const char* kind : {"net", "block"}) {
      for (auto& name : probe.list(device_dir + "/" + entry + "/" + kind)) found.push_back(std::move(name));
    }
  }
  return found;
}

// Only AMD's driver publishes GPU memory in sysfs; NVIDIA's needs NVML.
std::optional<uint64_t> gpu_memory(Probe& probe, const std::string& device_dir, uint16_t vendor_id) {
  if (vendor_id != kAmd) return std::nullopt;
  auto bytes = probe.integer(device_dir + "/mem_info_vram_total");
  if (!bytes || *bytes <= 0) return std::nullopt;
  return static_cast<uint64_t>(*bytes);
}

}  // namespace

std::string gpu_vendor_name(uint16_t vendor_id) {
  switch (vendor_id) {
    case kNvidia: return "nvidia";
    case kAmd: return "amd";
    case kIntel: return "intel";
    default: return "other";
  }
}

void add_pci_function(DeviceFacts& devices, PciFunction function) {
  const uint32_t class_id = function.class_id;
  if (is_gpu_class(class_id)) {
    // Server BMC and virtual display adapters (ASPEED, Matrox, QEMU, virtio)
    // are display controllers too, but nothing to compute on.
    const std::string vendor = gpu_vendor_name(function.vendor_id);
    if (vendor == "other") return;
    GpuFacts gpu;
    gpu.address = function.address;
    gpu.vendor = vendor;
    gpu.vendor_id = function.vendor_id;
    gpu.device_id = function.device_id;
    gpu.name = function.device_name;
    gpu.memory_bytes = function.memory_bytes;
    gpu.numa_node = function.numa_node;
    gpu.os_devices = std::move(function.os_devices);
    devices.gpus.push_back(std::move(gpu));
  } else if ((class_id >> 16) == 0x02) {
    NicFacts nic;
    nic.address = function.address;
    nic.vendor_id = function.vendor_id;
    nic.device_id = function.device_id;
    nic.name = function.device_name;
    nic.numa_node = function.numa_node;
    nic.interfaces = std::move(function.os_devices);
    devices.nics.push_back(std::move(nic));
  } else if ((class_id >> 8) == 0x0108) {  // mass storage, non-volatile memory
    NvmeFacts nvme;
    nvme.address = function.address;
    nvme.vendor_id = function.vendor_id;
    nvme.device_id = function.device_id;
    nvme.name = function.device_name;
    nvme.numa_node = function.numa_node;
    nvme.controllers = std::move(function.os_devices);
    devices.nvme.push_back(std::move(nvme));
  }
}

void probe_pci(Probe& probe) {
  DeviceFacts& devices = probe.facts().devices;
  auto listing = probe.system().list_dir(kPciDevices);
  if (!listing) return;  // no PCI bus visible: devices stay unknown
  devices.pci_known = true;
  devices.source = "sysfs";
  for (const auto& address : *listing) {
    const std::string dir = std::string(kPciDevices) + "/" + address;
    auto class_text = probe.read(dir + "/class");
    if (!class_text) continue;
    auto class_id = hex_value(*class_text);
    if (!class_id || *class_id > 0xffffff) {
      probe.malformed(dir + "/class", "a hexadecimal PCI class", trim(*class_text));
      continue;
    }
    const uint32_t base = static_cast<uint32_t>(*class_id >> 16);
    const bool interesting = is_gpu_class(static_cast<uint32_t>(*class_id)) || base == 0x02 ||
                             (*class_id >> 8) == 0x0108;
    if (!interesting) continue;
    auto vendor = hex_value(probe.line(dir + "/vendor"));
    auto device = hex_value(probe.line(dir + "/device"));
    if (!vendor || *vendor > 0xffff || !device || *device > 0xffff) {
      probe.malformed(dir + "/vendor", "hexadecimal PCI vendor and device ids", probe.line(dir + "/vendor"));
      continue;
    }
    PciFunction function;
    function.address = address;
    function.class_id = static_cast<uint32_t>(*class_id);
    function.vendor_id = static_cast<uint16_t>(*vendor);
    function.device_id = static_cast<uint16_t>(*device);
    auto node = probe.integer(dir + "/numa_node");
    if (node && *node >= 0) function.numa_node = static_cast<int>(*node);  // -1: no NUMA affinity
    function.os_devices = os_devices_of(probe, dir);
    if (is_gpu_class(function.class_id)) function.memory_bytes = gpu_memory(probe, dir, function.vendor_id);
    add_pci_function(devices, std::move(function));
  }
}

}  // namespace tune::detect
