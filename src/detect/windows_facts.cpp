#include "detect/windows_facts.h"

#include <algorithm>
#include <numeric>

namespace tune {
namespace {

std::string gpu_vendor(uint32_t vendor_id) {
  switch (vendor_id) {
    case 0x10de: return "nvidia";
    case 0x1002: return "amd";
    case 0x8086: return "intel";
    default: return "other";
  }
}

template <class T>
std::optional<T> known(T value) {
  return value > 0 ? std::optional<T>(value) : std::nullopt;
}

}  // namespace

HostIdentity detect_windows_identity(const WindowsApi& api) {
  HostIdentity identity;
  if (auto machine = api.machine()) {
    identity.hostname = machine->hostname;
    identity.kernel = machine->build.empty() ? "" : "windows " + machine->build;
  }
  // Set at installation, unique per Windows install (what /etc/machine-id is on Linux).
  auto guid = api.read_registry("HKLM\\SOFTWARE\\Microsoft\\Cryptography", "MachineGuid");
  if (guid && *guid) identity.machine_id = (*guid)->data;
  return identity;
}

Result<HostFacts> detect_windows_host(const WindowsApi& api) {
  auto read = api.machine();
  if (!read) return read.error();
  const WindowsMachine& m = *read;
  HostFacts facts;
  facts.source = api.describe();
  facts.identity = detect_windows_identity(api);
  facts.os = "windows";
  facts.os_id = "windows";
  facts.os_version = m.build;
  facts.os_name = m.product_name + (m.version.empty() ? "" : " " + m.version) + (m.build.empty() ? "" : " (build " + m.build + ")");
  facts.arch = m.arch;
  facts.evidence["os"] = "the Windows API: registry CurrentVersion " + m.product_name;

  facts.cpu.vendor = m.cpu_vendor;
  facts.cpu.model = m.cpu_model;
  facts.cpu.packages = known(m.packages);
  facts.cpu.cores = known(m.physical_cores);
  facts.cpu.logical = known(m.logical_processors);
  facts.cpu.allowed = known(m.logical_processors);
  // Hybrid CPUs report cores of more than one efficiency class; the highest
  // class is the performance cores (GetLogicalProcessorInformationEx).
  const auto& classes = m.cores_by_efficiency_class;
  if (classes.size() > 1) {
    facts.cpu.performance_cores = classes.back();
    facts.cpu.efficiency_cores = std::accumulate(classes.begin(), classes.end() - 1, 0);
    facts.evidence["cpu.performance_cores"] = "cores of the highest efficiency class, GetLogicalProcessorInformationEx";
  }

  facts.topology.source = "GetLogicalProcessorInformationEx";
  facts.topology.processor_groups = known(m.processor_groups);
  if (m.numa_nodes > 0) {
    facts.topology.numa_known = true;
    for (int node = 0; node < m.numa_nodes; ++node) {
      NumaNodeFacts numa;
      numa.os_index = node;
      facts.topology.numa_nodes.push_back(numa);
    }
  }
  facts.memory.total_bytes = known(m.total_memory_bytes);

  // DXGI lists display adapters, not every PCI device: GPUs are known, the
  // rest (NICs, NVMe) stays unlisted.
  facts.devices.pci_known = true;
  facts.devices.source = "DXGI adapters";
  for (const auto& adapter : m.gpus) {
    GpuFacts gpu;
    gpu.vendor = gpu_vendor(adapter.vendor_id);
    gpu.vendor_id = static_cast<uint16_t>(adapter.vendor_id);
    gpu.device_id = static_cast<uint16_t>(adapter.device_id);
    gpu.name = adapter.name;
    if (adapter.dedicated_memory_bytes > 0) gpu.memory_bytes = adapter.dedicated_memory_bytes;
    facts.devices.gpus.push_back(gpu);
  }

  facts.power.ac_online = m.on_ac;
  facts.power.battery_present = m.has_battery;
  if (m.on_ac) facts.power.on_battery = !*m.on_ac && m.has_battery.value_or(true);
  return facts;
}

}  // namespace tune
