// HostFacts: what tune knows about the machine, as plain data. Anything that
// could not be read stays unknown (empty, nullopt, or a list marked unknown),
// never guessed. docs/FACTS.md documents every field and flat name.
#pragma once

#include "core/plan.h"
#include "util/result.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tune {

struct CacheFacts {
  int level = 0;           // 1, 2, 3...
  std::string type;        // "data", "instruction", "unified"
  uint64_t size_bytes = 0;  // one instance
  int count = 0;           // instances of this level, type and size
};

struct CpuFacts {
  std::string vendor;  // "GenuineIntel", "AuthenticAMD", "ARM", "Ampere"...
  std::string model;
  std::optional<int> packages;  // sockets
  std::optional<int> cores;     // physical cores
  std::optional<int> logical;   // hardware threads of the machine
  std::optional<int> allowed;   // of those, usable by this process (cpuset)
  // Hybrid CPUs: physical cores of the faster and the slower kind (Apple's
  // hw.perflevel0/1, Windows' efficiency classes); unknown elsewhere.
  std::optional<int> performance_cores;
  std::optional<int> efficiency_cores;
  bool flags_known = false;     // whether `flags` was read (an empty list then means none)
  std::vector<std::string> flags;  // ISA flags of interest: avx2, avx512f, amx_tile, neon...
  std::vector<CacheFacts> caches;
  // Kernel cpulists ("0-3,8-11") of /sys/devices/system/cpu/present and
  // /online, as the kernel wrote them; empty: unknown.
  std::string present;
  std::string online;
  // CPUs of each package (socket) by physical_package_id, as cpulists: what
  // TuneD's calc_isolated_cores reserves housekeeping CPUs from.
  std::map<int, std::string> package_cpus;
  std::optional<int> threads_per_core() const;
};

struct HugepagePool {
  uint64_t size_kib = 0;
  std::optional<uint64_t> count;  // persistent pages reserved
};

struct NumaNodeFacts {
  int os_index = 0;
  std::optional<uint64_t> memory_bytes;
  std::optional<int> cpus;
  std::vector<HugepagePool> hugepages;
};

struct MemoryFacts {
  std::optional<uint64_t> total_bytes;
  std::optional<uint64_t> swap_bytes;
  std::string thp_enabled;  // "always", "madvise", "never"
  std::vector<std::string> thp_enabled_modes;
  std::string thp_defrag;
  std::vector<std::string> thp_defrag_modes;
  std::vector<HugepagePool> hugepages;  // one per size the kernel supports
};

struct TopologyFacts {
  std::string source;  // "hwloc linux", "hwloc xml FILE", "hwloc synthetic", "/proc/cpuinfo"; empty: unknown
  bool numa_known = false;
  std::optional<int> processor_groups;  // Windows: groups of up to 64 logical processors
  std::vector<NumaNodeFacts> numa_nodes;
};

struct CpuFreqFacts {
  std::string driver;  // "none" when the kernel has no cpufreq policy
  std::string governor;
  std::vector<std::string> governors;
  std::string epp;
  std::vector<std::string> epp_choices;
  std::optional<bool> boost;
};

struct GpuFacts {
  std::string address;  // PCI bus id "0000:17:00.0"
  std::string vendor;   // "nvidia", "amd", "intel", "other"
  uint16_t vendor_id = 0;
  uint16_t device_id = 0;
  std::string name;  // marketing name where the source had one
  std::optional<uint64_t> memory_bytes;
  std::optional<int> numa_node;
  std::vector<std::string> os_devices;
  std::optional<int> cores;  // GPU cores where the source counts them (Apple's AGX)
  bool unified_memory = false;  // shares the host's memory (Apple Silicon)  // "card0", "renderD128", "nvidia0", "cuda0"
};

struct NicFacts {
  std::string address;
  uint16_t vendor_id = 0;
  uint16_t device_id = 0;
  std::string name;  // vendor/device name where the source had one
  std::optional<int> numa_node;
  std::vector<std::string> interfaces;  // "eth0", "mlx5_0"
};

struct NvmeFacts {
  std::string address;
  uint16_t vendor_id = 0;
  uint16_t device_id = 0;
  std::string name;
  std::optional<int> numa_node;
  std::vector<std::string> controllers;  // "nvme0"
};

struct DeviceFacts {
  bool pci_known = false;  // whether PCI devices could be enumerated at all
  std::string source;      // "sysfs", "hwloc xml FILE"
  std::vector<GpuFacts> gpus;
  std::vector<NicFacts> nics;
  std::vector<NvmeFacts> nvme;
};

struct BlockDeviceFacts {
  std::string name;  // "nvme0n1", "sda", "vda"
  std::string kind;  // "nvme", "virtio", "scsi", "mmc", "xen", "loop", "zram", "ram", "dm", "md", "other"
  std::optional<bool> rotational;
  std::string scheduler;
  std::vector<std::string> schedulers;
  std::optional<int> read_ahead_kb;
  std::optional<uint64_t> size_bytes;
  std::string model;
  bool is_disk() const;  // a whole disk, not loop/ram/zram/dm/md
};

struct BlockFacts {
  bool known = false;
  std::vector<BlockDeviceFacts> devices;
};

struct PowerFacts {
  std::optional<bool> ac_online;
  std::optional<bool> battery_present;
  std::optional<bool> on_battery;
  std::optional<int> battery_percent;
};

struct PlatformFacts {
  std::string cgroup_mode;     // "unified", "hybrid", "legacy"
  std::string dmi_vendor;
  std::string dmi_product;
  std::string chassis;  // "laptop", "desktop", "server", "tablet", "vm", "other"
};

struct HostFacts {
  static constexpr int kSchema = 2;

  HostIdentity identity;  // hostname, machine id, kernel release
  std::string arch;       // "x86_64", "aarch64"
  std::string os;         // "linux", "macos", "windows"
  std::string os_id;      // os-release ID: "debian", "ubuntu"
  std::string os_version;  // os-release VERSION_ID
  std::string os_name;    // os-release PRETTY_NAME
  CpuFacts cpu;
  MemoryFacts memory;
  TopologyFacts topology;
  CpuFreqFacts cpufreq;
  DeviceFacts devices;
  BlockFacts block;
  PowerFacts power;
  PlatformFacts platform;
  std::string virtualization;  // "none", "kvm", "firecracker"...; empty: unknown
  std::string container;       // "none", "docker", "podman", "lxc", "kubernetes"...; empty: unknown
  // What TuneD's uname_regex is searched in: os.uname()'s five fields joined
  // by spaces ("Linux web-3 6.1.0-18-amd64 #1 SMP ... x86_64").
  std::string uname;
  // What TuneD's cpuinfo_regex is searched in: /proc/cpuinfo, with a CPU's
  // block left out when an earlier block says the same but for the lines
  // that number a CPU (see cpuinfo_deduplicated).
  std::string cpuinfo;

  // How the facts were gathered: "host", "root DIR", "facts FILE"...
  std::string source;
  // Why a fact reads as it does, by flat name: "container" -> "/.dockerenv
  // present but / is ext4 on /dev/vda: not a container".
  std::map<std::string, std::string> evidence;
  // Inputs that were present but unreadable or malformed, one line each.
  std::vector<std::string> warnings;
};

// Facts flattened to the names profiles use in `match` and `when`
// ("cpu.logical", "memory.total_gib", "virtualization"...). Unknown facts are
// absent, so a condition on them never holds by accident.
using FactMap = std::map<std::string, std::string>;
FactMap flatten_facts(const HostFacts& facts);

nlohmann::json facts_to_json(const HostFacts& facts);
// Facts saved by `tune detect --json` (schema 1 or 2). Missing fields are
// unknown; a field of the wrong type is an error naming it.
Result<HostFacts> facts_from_json(const nlohmann::json& document);
Result<HostFacts> facts_from_json_text(const std::string& text, const std::string& path);

// /proc/cpuinfo without the blocks that repeat an earlier CPU's: blocks are
// separated by blank lines, and two blocks are the same when they differ only
// in processor, core id, apicid, initial apicid, cpu MHz or BogoMIPS. The
// first of each kind is kept whole, so a 256-CPU host keeps a few KiB.
std::string cpuinfo_deduplicated(const std::string& cpuinfo);

// "2M", "1G", "64K": hugepage sizes as people write them.
std::string hugepage_size_name(uint64_t size_kib);

}  // namespace tune
