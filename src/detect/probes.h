// The probes detect_host runs, one file each, and the small reading helpers
// they share. Internal to src/detect.
#pragma once

#include "core/facts.h"
#include "util/system.h"

#include <optional>
#include <string>
#include <vector>

namespace tune::detect {

// What every probe reads through and writes into.
class Probe {
 public:
  Probe(const System& system, HostFacts& facts) : system_(system), facts_(facts) {}

  const System& system() const { return system_; }
  HostFacts& facts() { return facts_; }

  // The file's text, or nothing when it is absent or unreadable (both
  // ordinary: a fact is then unknown, with no warning).
  std::optional<std::string> read(const std::string& path) const;
  // First line, trimmed; "" when unreadable.
  std::string line(const std::string& path) const;
  // A whole number in a one-value file. Absent: nothing. Present but not a
  // number: nothing, and a warning naming the file and what it held.
  std::optional<long long> integer(const std::string& path);
  // "0"/"1" files. Anything else warns.
  std::optional<bool> flag(const std::string& path);
  std::vector<std::string> list(const std::string& path) const;  // empty when unreadable
  bool exists(const std::string& path) const;

  void warn(const std::string& message);
  // "path: expected X, found 'Y'": the standard malformed-input warning.
  void malformed(const std::string& path, const std::string& expected, const std::string& found);
  void note(const std::string& fact, const std::string& why) { facts_.evidence[fact] = why; }

 private:
  const System& system_;
  HostFacts& facts_;
};

// "always [madvise] never" -> current "madvise", choices all three. False
// when no choice is bracketed.
std::string lower_ascii(std::string text);
// "0-3,8-11" -> 8. Nothing when malformed.
std::optional<int> count_cpu_list(const std::string& text);

void probe_os(Probe& probe);            // os_probe.cpp
void probe_cpuinfo(Probe& probe);       // cpu_probe.cpp
void probe_cpu_lists(Probe& probe);     // cpu_lists_probe.cpp: present, online, CPUs per package
void probe_memory(Probe& probe);        // memory_probe.cpp
void probe_node_hugepages(Probe& probe);  // memory_probe.cpp, after the topology named the nodes
void probe_cpufreq(Probe& probe);       // cpufreq_probe.cpp
void probe_pci(Probe& probe);           // pci_probe.cpp
void probe_block(Probe& probe);         // block_probe.cpp
void probe_power(Probe& probe);         // power_probe.cpp
void probe_virtualization(Probe& probe);  // virt_probe.cpp
void probe_container(Probe& probe);     // container_probe.cpp

// virt_probe.cpp: the hypervisor SMBIOS strings name ("" if none), and
// people's name for an SMBIOS chassis type code ("laptop", "server"...).
std::string hypervisor_named_by_smbios(const std::string& vendor, const std::string& product,
                                       const std::string& board, const std::string& bios);
std::string chassis_name(long long type);

// A PCI function as any source describes it; classified into GPUs, NICs,
// NVMe controllers (pci_probe.cpp).
struct PciFunction {
  std::string address;
  uint16_t vendor_id = 0;
  uint16_t device_id = 0;
  uint32_t class_id = 0;  // base class << 16 | subclass << 8 | prog-if
  std::string vendor_name, device_name;
  std::optional<int> numa_node;
  std::vector<std::string> os_devices;
  std::optional<uint64_t> memory_bytes;  // GPUs, where the source knows it
};
void add_pci_function(DeviceFacts& devices, PciFunction function);
std::string gpu_vendor_name(uint16_t vendor_id);

// topology_probe.cpp: CPU, cache and NUMA topology through hwloc. Errors only
// for a --topology or --synthetic input hwloc refuses.
struct TopologyInput {
  std::optional<std::string> fsroot;  // read the Linux files under this root
  std::string xml;
  std::string synthetic;
  bool devices = true;  // keep PCI devices of an XML topology
};
Status probe_topology(Probe& probe, const TopologyInput& input);

}  // namespace tune::detect
