// CPU, cache and NUMA topology through hwloc, from one of three sources: the
// Linux files under a root (the live host is root "/"), an XML export, or a
// synthetic description. Only what detection needs is loaded:
//  - hwloc's plugins are not loaded (OpenCL, GL, libpciaccess and libxml2
//    cost milliseconds at start-up; hwloc's own XML reader suffices);
//  - the x86 backend is left out: it binds the process to every CPU in turn
//    to run cpuid, which the Linux files already answer;
//  - no I/O discovery from the live host (see pci_probe.cpp for why).
#include "detect/probes.h"

#include "core/profile_store.h"
#include "util/text.h"

#include <hwloc.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <tuple>

namespace tune::detect {
namespace {

// hwloc builds every object a synthetic description names: the product of
// its levels' arities. A description that names more than a large machine
// has would exhaust memory instead of describing a host.
std::optional<std::string> synthetic_bounds_problem(const std::string& description) {
  if (description.size() > 1024) return std::string("longer than 1024 characters");
  unsigned long long objects = 1;
  for (const auto& level : split_whitespace(description)) {
    auto colon = level.find(':');
    if (colon == std::string::npos) continue;
    size_t end = colon + 1;
    while (end < level.size() && std::isdigit(static_cast<unsigned char>(level[end]))) ++end;
    const std::string digits = level.substr(colon + 1, end - colon - 1);
    if (digits.empty()) continue;  // not a number: hwloc says what is wrong
    if (digits.size() > 6) return std::string("an arity of more than six digits");
    objects *= std::stoull(digits);
    if (objects > 65536) return std::string("more than 65536 objects at its deepest level");
  }
  return std::nullopt;
}


// hwloc reads its plugin list and its error verbosity once, at the first
// topology init; settings saved in the environment before then apply. Plugins
// stay out (see above), and hwloc's multi-line banners about inconsistent
// /sys files stay quiet: detection reports what it could not read itself. A
// user who sets either variable keeps their own choice.
void configure_hwloc_once() {
  static const bool done = [] {
    ::setenv("HWLOC_PLUGINS_BLACKLIST",
             "hwloc_pci,hwloc_opencl,hwloc_gl,hwloc_xml_libxml,hwloc_cuda,hwloc_nvml,hwloc_rsmi,hwloc_levelzero", 0);
    ::setenv("HWLOC_HIDE_ERRORS", "2", 0);
    return true;
  }();
  (void)done;
}

// HWLOC_FSROOT, set only around one load: it is how hwloc is told to read
// another root's /sys and /proc.
class ScopedFsRoot {
 public:
  explicit ScopedFsRoot(const std::string& root) : active_(!root.empty()) {
    if (!active_) return;
    if (const char* old = std::getenv("HWLOC_FSROOT")) previous_ = old;
    ::setenv("HWLOC_FSROOT", root.c_str(), 1);
  }
  ~ScopedFsRoot() {
    if (!active_) return;
    if (previous_) ::setenv("HWLOC_FSROOT", previous_->c_str(), 1);
    else ::unsetenv("HWLOC_FSROOT");
  }
  ScopedFsRoot(const ScopedFsRoot&) = delete;
  ScopedFsRoot& operator=(const ScopedFsRoot&) = delete;

 private:
  bool active_;
  std::optional<std::string> previous_;
};

struct TopologyDeleter {
  void operator()(hwloc_topology* topology) const { hwloc_topology_destroy(topology); }
};
using Topology = std::unique_ptr<hwloc_topology, TopologyDeleter>;

std::string info(hwloc_obj_t object, const char* name) {
  const char* value = object ? hwloc_obj_get_info_by_name(object, name) : nullptr;
  return value ? trim(value) : "";
}

const char* cache_type_name(hwloc_obj_cache_type_t type) {
  switch (type) {
    case HWLOC_OBJ_CACHE_DATA: return "data";
    case HWLOC_OBJ_CACHE_INSTRUCTION: return "instruction";
    default: return "unified";
  }
}

void read_counts(hwloc_topology_t topology, CpuFacts& cpu) {
  const int packages = hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_PACKAGE);
  const int cores = hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_CORE);
  const int pus = hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_PU);
  cpu.packages = packages > 0 ? std::optional<int>(packages) : std::nullopt;
  cpu.cores = cores > 0 ? std::optional<int>(cores) : std::nullopt;
  cpu.logical = pus > 0 ? std::optional<int>(pus) : std::nullopt;
}

void read_caches(hwloc_topology_t topology, CpuFacts& cpu) {
  std::map<std::tuple<int, std::string, uint64_t>, int> counts;
  for (int type = HWLOC_OBJ_L1CACHE; type <= HWLOC_OBJ_L3ICACHE; ++type) {
    auto object_type = static_cast<hwloc_obj_type_t>(type);
    if (!hwloc_obj_type_is_cache(object_type)) continue;
    hwloc_obj_t object = nullptr;
    while ((object = hwloc_get_next_obj_by_type(topology, object_type, object)) != nullptr) {
      if (object->attr->cache.size == 0) continue;  // a level hwloc knows exists, size unknown
      ++counts[{static_cast<int>(object->attr->cache.depth), cache_type_name(object->attr->cache.type),
                object->attr->cache.size}];
    }
  }
  cpu.caches.clear();
  for (const auto& [key, count] : counts) {
    cpu.caches.push_back({std::get<0>(key), std::get<1>(key), std::get<2>(key), count});
  }
}

void read_numa(hwloc_topology_t topology, TopologyFacts& out, bool memory_known, bool page_types_known) {
  out.numa_known = true;
  out.numa_nodes.clear();
  hwloc_obj_t node = nullptr;
  while ((node = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_NUMANODE, node)) != nullptr) {
    NumaNodeFacts facts;
    facts.os_index = static_cast<int>(node->os_index);
    if (memory_known && node->attr->numanode.local_memory > 0) facts.memory_bytes = node->attr->numanode.local_memory;
    if (node->cpuset) {
      int weight = hwloc_bitmap_weight(node->cpuset);
      if (weight >= 0) facts.cpus = weight;
    }
    if (page_types_known) {
      // The smallest page type is the base page; the others are hugepage pools.
      for (unsigned i = 1; i < node->attr->numanode.page_types_len; ++i) {
        const auto& type = node->attr->numanode.page_types[i];
        if (type.size >= 1024) facts.hugepages.push_back({type.size / 1024, type.count});
      }
    }
    std::sort(facts.hugepages.begin(), facts.hugepages.end(),
              [](const auto& a, const auto& b) { return a.size_kib < b.size_kib; });
    out.numa_nodes.push_back(std::move(facts));
  }
}

int numa_node_of(hwloc_topology_t topology, hwloc_obj_t object) {
  hwloc_obj_t ancestor = hwloc_get_non_io_ancestor_obj(topology, object);
  if (!ancestor || !ancestor->nodeset || hwloc_bitmap_weight(ancestor->nodeset) != 1) return -1;
  return hwloc_bitmap_first(ancestor->nodeset);
}

// GPU memory as the XML's OS devices state it, in KiB (CUDA, OpenCL, ROCm SMI, LevelZero).
std::optional<uint64_t> gpu_memory_of(hwloc_obj_t pci) {
  static const char* const kMemoryInfos[] = {"CUDAGlobalMemorySize", "RSMIVRAMSize", "OpenCLGlobalMemorySize",
                                             "LevelZeroHBMSize", "LevelZeroMemorySize"};
  std::optional<uint64_t> best;
  for (hwloc_obj_t child = pci->io_first_child; child; child = child->next_sibling) {
    for (const char* name : kMemoryInfos) {
      auto kib = parse_integer(info(child, name));
      if (kib && *kib > 0 && (!best || static_cast<uint64_t>(*kib) * 1024 > *best)) best = static_cast<uint64_t>(*kib) * 1024;
    }
  }
  return best;
}

void read_pci(hwloc_topology_t topology, DeviceFacts& devices, const std::string& source) {
  const bool any_pci = hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_PCI_DEVICE) > 0 ||
                       hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_BRIDGE) > 0;
  if (!any_pci) return;  // exported without I/O: devices stay unknown
  devices = DeviceFacts{};
  devices.pci_known = true;
  devices.source = source;
  hwloc_obj_t object = nullptr;
  while ((object = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_PCI_DEVICE, object)) != nullptr) {
    const auto& pci = object->attr->pcidev;
    PciFunction function;
    char address[32];
    std::snprintf(address, sizeof address, "%04x:%02x:%02x.%01x", static_cast<unsigned>(pci.domain),
                  static_cast<unsigned>(pci.bus), static_cast<unsigned>(pci.dev), static_cast<unsigned>(pci.func));
    function.address = address;
    function.vendor_id = pci.vendor_id;
    function.device_id = pci.device_id;
    function.class_id = static_cast<uint32_t>(pci.class_id) << 8;  // hwloc keeps base and sub class only
    function.vendor_name = info(object, "PCIVendor");
    function.device_name = info(object, "PCIDevice");
    int node = numa_node_of(topology, object);
    if (node >= 0) function.numa_node = node;
    for (hwloc_obj_t child = object->io_first_child; child; child = child->next_sibling) {
      if (child->type == HWLOC_OBJ_OS_DEVICE && child->name) function.os_devices.push_back(child->name);
    }
    function.memory_bytes = gpu_memory_of(object);
    add_pci_function(devices, std::move(function));
  }
}

// What an XML export says of the machine beyond its topology, for facts
// the host's files would otherwise give (used when no root is read).
void read_machine_infos(Probe& probe, hwloc_obj_t root) {
  HostFacts& facts = probe.facts();
  if (facts.arch.empty()) facts.arch = info(root, "Architecture");
  if (facts.os.empty() && !info(root, "OSName").empty()) facts.os = lower_ascii(info(root, "OSName"));
  if (facts.identity.kernel.empty()) facts.identity.kernel = info(root, "OSRelease");
  if (facts.identity.hostname.empty()) facts.identity.hostname = info(root, "HostName");
  PlatformFacts& platform = facts.platform;
  if (platform.dmi_vendor.empty()) platform.dmi_vendor = info(root, "DMISysVendor");
  if (platform.dmi_product.empty()) platform.dmi_product = info(root, "DMIProductName");
  if (platform.chassis.empty()) {
    if (auto code = parse_integer(info(root, "DMIChassisType"))) platform.chassis = chassis_name(*code);
  }
  // An XML names a hypervisor only through SMBIOS; silence is not "none".
  if (facts.virtualization.empty()) {
    std::string hypervisor = hypervisor_named_by_smbios(platform.dmi_vendor, platform.dmi_product,
                                                        info(root, "DMIBoardVendor"), info(root, "DMIBIOSVendor"));
    if (!hypervisor.empty()) {
      facts.virtualization = hypervisor;
      platform.chassis = "vm";
      probe.note("virtualization", "the topology's SMBIOS strings name " + hypervisor);
    }
  }
  hwloc_obj_t package = nullptr;
  for (hwloc_obj_t object = root; object; object = object->first_child) {
    if (object->type == HWLOC_OBJ_PACKAGE) package = object;
  }
  if (facts.cpu.vendor.empty()) facts.cpu.vendor = info(package, "CPUVendor");
  if (facts.cpu.model.empty()) facts.cpu.model = info(package, "CPUModel");
}

bool has_cpu_directories(Probe& probe) {
  for (const auto& name : probe.list("/sys/devices/system/cpu")) {
    if (starts_with(name, "cpu") && name.size() > 3 && std::isdigit(static_cast<unsigned char>(name[3]))) return true;
  }
  return false;
}

}  // namespace

Status probe_topology(Probe& probe, const TopologyInput& input) {
  HostFacts& facts = probe.facts();
  const bool from_files = input.xml.empty() && input.synthetic.empty();
  if (from_files && !input.fsroot) return {};
  if (from_files && !has_cpu_directories(probe)) {
    // Absent, not malformed (a minimal --root tree): unknown, without a warning.
    probe.note("numa.nodes", "no cpuN directories under /sys/devices/system/cpu: no topology to load");
    return {};
  }

  configure_hwloc_once();
  hwloc_topology_t raw = nullptr;
  if (hwloc_topology_init(&raw) != 0) return make_error("hwloc could not start: {}", std::strerror(errno));
  Topology topology(raw);

  std::string source, xml_text;
  if (!input.xml.empty()) {
    // Read here, not by hwloc, so a missing file gets the usual message.
    TUNE_ASSIGN_OR_RETURN(xml_text, read_input_file(input.xml));
    if (xml_text.find("<topology") == std::string::npos) {
      return make_error("{}: not an hwloc XML topology (no <topology> element; export one with `lstopo --of xml`)", input.xml);
    }
    // Caught here rather than by hwloc, whose XML reader leaks what it
    // built so far when a file ends early.
    if (!ends_with(trim(xml_text), "</topology>")) {
      return make_error("{}: truncated: an hwloc XML topology ends with </topology>", input.xml);
    }
    if (hwloc_topology_set_xmlbuffer(raw, xml_text.c_str(), static_cast<int>(xml_text.size() + 1)) != 0) {
      return make_error("{}: hwloc cannot read it as an XML topology ({})", input.xml, std::strerror(errno));
    }
    hwloc_topology_set_io_types_filter(raw, input.devices ? HWLOC_TYPE_FILTER_KEEP_ALL : HWLOC_TYPE_FILTER_KEEP_NONE);
    source = "hwloc xml " + input.xml;
  } else if (!input.synthetic.empty()) {
    if (auto problem = synthetic_bounds_problem(input.synthetic)) {
      return make_error("--synthetic '{}': {}", input.synthetic.substr(0, 80), *problem);
    }
    if (hwloc_topology_set_synthetic(raw, input.synthetic.c_str()) != 0) {
      return make_error("--synthetic '{}': not an hwloc synthetic description (e.g. \"pack:2 numa:2 core:8 pu:2\")",
                        input.synthetic);
    }
    source = "hwloc synthetic '" + input.synthetic + "'";
  } else {
    hwloc_topology_set_flags(raw, HWLOC_TOPOLOGY_FLAG_INCLUDE_DISALLOWED);
    hwloc_topology_set_components(raw, HWLOC_TOPOLOGY_COMPONENTS_FLAG_BLACKLIST, "x86");
    hwloc_topology_set_io_types_filter(raw, HWLOC_TYPE_FILTER_KEEP_NONE);
    source = input.fsroot->empty() ? "hwloc linux" : "hwloc linux under " + *input.fsroot;
  }

  int loaded;
  {
    ScopedFsRoot fsroot(from_files ? *input.fsroot : "");
    loaded = hwloc_topology_load(raw);
  }
  if (loaded != 0) {
    if (!from_files) {
      return make_error("{}: hwloc could not load it as a topology (malformed or truncated?)",
                        input.xml.empty() ? "--synthetic '" + input.synthetic + "'" : input.xml);
    }
    probe.warn("hwloc could not load the topology from " + *input.fsroot + "/sys; the CPU topology is unknown");
    return {};
  }
  hwloc_obj_t root = hwloc_get_root_obj(raw);
  if (from_files && info(root, "Backend") != "Linux") {
    // hwloc fell back to another component: it describes this process's
    // machine, not the files, so it says nothing about them.
    probe.warn("hwloc could not read the CPU topology from the files under " +
               (input.fsroot->empty() ? std::string("/") : *input.fsroot) + "; it is unknown");
    return {};
  }

  read_counts(raw, facts.cpu);
  read_caches(raw, facts.cpu);
  // A synthetic description has memory only where it says "memory=".
  const bool synthetic = !input.synthetic.empty();
  read_numa(raw, facts.topology, !synthetic || input.synthetic.find("memory=") != std::string::npos, !synthetic);
  facts.topology.source = source;
  if (from_files) {
    int allowed = hwloc_bitmap_weight(hwloc_topology_get_allowed_cpuset(raw));
    if (allowed > 0) facts.cpu.allowed = allowed;
  } else if (!input.xml.empty()) {
    if (input.devices) read_pci(raw, facts.devices, source);
    read_machine_infos(probe, root);
  }
  return {};
}

}  // namespace tune::detect
