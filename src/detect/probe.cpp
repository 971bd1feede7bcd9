// detect_host: runs the probes in order. Host files first (each probe is
// independent of the others except where noted), the topology last so that
// an XML export only fills what the host files left unknown.
#include "detect/probe.h"

#include "detect/macos_facts.h"
#include "detect/probes.h"
#include "detect/windows_facts.h"
#include "util/local_system.h"
#include "util/text.h"

namespace tune {

HostIdentity detect_identity(const System& system) {
  // A Windows door names the machine through the Win32 API (or its recording).
  if (const WindowsApi* windows = system.windows()) return detect_windows_identity(*windows);
#if defined(__APPLE__)
  if (system.can_run_programs()) return detect_macos_identity(system);
#endif
  auto line = [&](const std::string& path) {
    auto text = system.read_file(path);
    return text ? trim(*text) : std::string();
  };
  HostIdentity identity;
  identity.hostname = line("/proc/sys/kernel/hostname");
  identity.machine_id = line("/etc/machine-id");
  identity.kernel = line("/proc/sys/kernel/osrelease");
  return identity;
}

Result<HostFacts> detect_host(const System& system, const DetectOptions& options) {
  // Windows has no /proc or /sys: its facts come through the Win32 API.
  if (const WindowsApi* windows = system.windows(); windows && options.read_host_files) return detect_windows_host(*windows);
#if defined(__APPLE__)
  // A Mac has no /proc or /sys: its facts come from sysctl, pmset and ioreg.
  // A --root tree or a topology file describes a Linux machine and is read below.
  if (options.read_host_files && system.can_run_programs() && options.topology_xml.empty() &&
      options.synthetic.empty()) {
    return detect_macos_host(system);
  }
#endif
  HostFacts facts;
  detect::Probe probe(system, facts);
  if (options.read_host_files) {
    facts.identity = detect_identity(system);
    detect::probe_os(probe);
    detect::probe_cpuinfo(probe);
    detect::probe_cpu_lists(probe);
    detect::probe_memory(probe);
    detect::probe_cpufreq(probe);
    detect::probe_block(probe);
    detect::probe_power(probe);
    detect::probe_virtualization(probe);  // after cpuinfo: reads the hypervisor flag
    detect::probe_container(probe);
    // An XML export brings its own PCI devices; the host's would be another machine's.
    if (options.devices && options.topology_xml.empty()) detect::probe_pci(probe);
  }

  detect::TopologyInput input;
  if (options.read_host_files) input.fsroot = options.hwloc_fsroot;
  input.xml = options.topology_xml;
  input.synthetic = options.synthetic;
  input.devices = options.devices;
  TUNE_RETURN_IF_ERROR(detect::probe_topology(probe, input));

  if (options.read_host_files) {
    detect::probe_node_hugepages(probe);
  } else if (facts.topology.numa_known && !facts.topology.numa_nodes.empty()) {
    // No /proc/meminfo to read: the machine's memory is what its nodes hold.
    uint64_t total = 0;
    bool all_known = true;
    for (const auto& node : facts.topology.numa_nodes) {
      if (node.memory_bytes) total += *node.memory_bytes;
      else all_known = false;
    }
    if (all_known) {
      facts.memory.total_bytes = total;
      facts.evidence["memory.total_gib"] = "sum of the topology's NUMA node memory";
    }
  }
  if (facts.topology.source.empty() && facts.cpu.logical) {
    facts.topology.source = "/proc/cpuinfo";
    facts.evidence["cpu.logical"] = "counted in /proc/cpuinfo: no hwloc topology";
  }
  return facts;
}

HostFacts detect_host(const System& system) {
  DetectOptions options;
  // hwloc can read the same tree only when the door is a plain rooted one.
  if (const auto* local = dynamic_cast<const LocalSystem*>(&system)) options.hwloc_fsroot = local->root();
  auto facts = detect_host(system, options);
  // Without a topology file or description there is nothing to refuse.
  return facts ? std::move(*facts) : HostFacts{};
}

}  // namespace tune
