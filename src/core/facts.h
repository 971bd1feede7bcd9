// HostFacts: what tune knows about the machine, as plain data. Anything that
// could not be read stays unknown (empty or nullopt), never guessed.
#pragma once

#include "core/plan.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tune {

struct CpuFacts {
  std::string vendor;  // "GenuineIntel", "AuthenticAMD", "ARM"...
  std::string model;
  std::optional<int> logical;   // online logical CPUs
  std::optional<int> cores;     // physical cores
  std::optional<int> packages;  // sockets
  std::vector<std::string> flags;  // ISA flags of interest: avx2, avx512f, amx_tile, neon...
};

struct MemoryFacts {
  std::optional<uint64_t> total_bytes;
  std::optional<uint64_t> swap_bytes;
};

struct HostFacts {
  static constexpr int kSchema = 1;

  HostIdentity identity;  // hostname, machine id, kernel release
  std::string arch;       // "x86_64", "aarch64"
  std::string os_id;      // os-release ID: "debian", "ubuntu", "macos"
  std::string os_name;    // os-release PRETTY_NAME
  CpuFacts cpu;
  MemoryFacts memory;
  std::string virtualization;  // "none", "kvm", "xen", "microsoft", "vmware", "firecracker"...; empty: unknown
  std::string container;       // "none", "docker", "podman", "lxc", "kubernetes"...; empty: unknown
};

// Facts flattened to the names profiles use in `match` and `when`
// ("cpu.logical", "memory.total_gib", "virtualization"...). Unknown facts are
// absent, so a condition on them never holds by accident.
using FactMap = std::map<std::string, std::string>;
FactMap flatten_facts(const HostFacts& facts);

nlohmann::json facts_to_json(const HostFacts& facts);

}  // namespace tune
