// Reads HostFacts from /proc, /sys and /etc through System, so a captured
// tree (--root) reads the same as the live host, and the CPU/NUMA topology
// through hwloc: from the same tree, an XML export, or a synthetic description.
#pragma once

#include "core/facts.h"
#include "util/system.h"

#include <optional>
#include <string>

namespace tune {

struct DetectOptions {
  // Where hwloc reads /sys and /proc: the --root dir ("" is the real "/").
  // Unset: no hwloc discovery from files (counts come from /proc/cpuinfo).
  std::optional<std::string> hwloc_fsroot;
  std::string topology_xml;  // --topology FILE.xml: the topology and PCI devices of the machine it describes
  std::string synthetic;     // --synthetic "pack:2 numa:4 core:16 pu:2"
  // Whether /proc, /sys and /etc are read at all. A topology given without a
  // root describes another machine, whose files this host cannot tell.
  bool read_host_files = true;
  // Whether PCI devices are enumerated (GPUs, NICs, NVMe controllers).
  bool devices = true;
};

// Every fact that cannot be read is unknown and malformed inputs become
// warnings; the only errors are a --topology or --synthetic hwloc refuses.
Result<HostFacts> detect_host(const System& system, const DetectOptions& options);

// This host (or the tree a LocalSystem is rooted in), everything detected.
HostFacts detect_host(const System& system);

// Just what names this machine: cheap, used to stamp and check plans.
HostIdentity detect_identity(const System& system);

}  // namespace tune
