// HostFacts <-> JSON (docs/FACTS.md, "JSON"). Writing is total; reading
// accepts what `tune detect --json` wrote, schema 1 or 2: an absent or null
// field is unknown, a field of the wrong type is an error naming it.
#include "core/facts.h"

#include "util/text.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <limits>

namespace tune {

using nlohmann::json;

namespace {

template <class T>
json maybe(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}
json maybe_text(const std::string& value) { return value.empty() ? json(nullptr) : json(value); }
std::string hex4(uint16_t id) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%04x", static_cast<unsigned>(id));
  return buffer;
}

json pools_json(const std::vector<HugepagePool>& pools) {
  json out = json::array();
  for (const auto& pool : pools) out.push_back({{"size_kib", pool.size_kib}, {"count", maybe(pool.count)}});
  return out;
}

json cpu_json(const CpuFacts& cpu) {
  json packages = json::object();
  for (const auto& [package, cpus] : cpu.package_cpus) packages[std::to_string(package)] = cpus;
  json caches = json::array();
  for (const auto& cache : cpu.caches) {
    caches.push_back({{"level", cache.level}, {"type", cache.type}, {"size_bytes", cache.size_bytes}, {"count", cache.count}});
  }
  return {{"vendor", maybe_text(cpu.vendor)},
          {"model", maybe_text(cpu.model)},
          {"packages", maybe(cpu.packages)},
          {"cores", maybe(cpu.cores)},
          {"logical", maybe(cpu.logical)},
          {"allowed", maybe(cpu.allowed)},
          {"performance_cores", maybe(cpu.performance_cores)},
          {"efficiency_cores", maybe(cpu.efficiency_cores)},
          {"threads_per_core", maybe(cpu.threads_per_core())},
          {"flags", cpu.flags_known ? json(cpu.flags) : json(nullptr)},
          {"caches", caches},
          {"present", maybe_text(cpu.present)},
          {"online", maybe_text(cpu.online)},
          {"package_cpus", packages}};
}

json numa_json(const TopologyFacts& topology) {
  json nodes = json::array();
  for (const auto& node : topology.numa_nodes) {
    nodes.push_back({{"os_index", node.os_index},
                     {"memory_bytes", maybe(node.memory_bytes)},
                     {"cpus", maybe(node.cpus)},
                     {"hugepages", pools_json(node.hugepages)}});
  }
  return {{"source", maybe_text(topology.source)},
          {"nodes", topology.numa_known ? nodes : json(nullptr)},
          {"processor_groups", maybe(topology.processor_groups)}};
}

json devices_json(const DeviceFacts& devices) {
  if (!devices.pci_known) return {{"source", maybe_text(devices.source)}, {"gpus", nullptr}, {"nics", nullptr}, {"nvme", nullptr}};
  json gpus = json::array(), nics = json::array(), nvme = json::array();
  for (const auto& gpu : devices.gpus) {
    gpus.push_back({{"address", gpu.address},
                    {"vendor", gpu.vendor},
                    {"vendor_id", hex4(gpu.vendor_id)},
                    {"device_id", hex4(gpu.device_id)},
                    {"name", maybe_text(gpu.name)},
                    {"memory_bytes", maybe(gpu.memory_bytes)},
                    {"numa_node", maybe(gpu.numa_node)},
                    {"os_devices", gpu.os_devices},
                    {"cores", maybe(gpu.cores)},
                    {"unified_memory", gpu.unified_memory}});
  }
  for (const auto& nic : devices.nics) {
    nics.push_back({{"address", nic.address},
                    {"vendor_id", hex4(nic.vendor_id)},
                    {"device_id", hex4(nic.device_id)},
                    {"name", maybe_text(nic.name)},
                    {"numa_node", maybe(nic.numa_node)},
                    {"interfaces", nic.interfaces}});
  }
  for (const auto& controller : devices.nvme) {
    nvme.push_back({{"address", controller.address},
                    {"vendor_id", hex4(controller.vendor_id)},
                    {"device_id", hex4(controller.device_id)},
                    {"name", maybe_text(controller.name)},
                    {"numa_node", maybe(controller.numa_node)},
                    {"controllers", controller.controllers}});
  }
  return {{"source", maybe_text(devices.source)}, {"gpus", gpus}, {"nics", nics}, {"nvme", nvme}};
}

json block_json(const BlockFacts& block) {
  if (!block.known) return nullptr;
  json devices = json::array();
  for (const auto& device : block.devices) {
    devices.push_back({{"name", device.name},
                       {"kind", device.kind},
                       {"rotational", maybe(device.rotational)},
                       {"scheduler", maybe_text(device.scheduler)},
                       {"schedulers", device.schedulers},
                       {"read_ahead_kb", maybe(device.read_ahead_kb)},
                       {"size_bytes", maybe(device.size_bytes)},
                       {"model", maybe_text(device.model)}});
  }
  return devices;
}

// Reading: every accessor records the first problem and returns nothing, so
// the caller reads straight through and checks once at the end.
class Reader {
 public:
  std::optional<Error> error;

  const json* field(const json& object, const char* key) const {
    if (!object.is_object()) return nullptr;
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return nullptr;
    return &*it;
  }
  void fail(const std::string& where, const char* wanted) {
    if (!error) error = make_error("{}: expected {}", where, wanted);
  }

  void text(const json& object, const char* key, const std::string& where, std::string& out) {
    const json* value = field(object, key);
    if (!value) return;
    if (!value->is_string()) return fail(where, "text");
    out = value->get<std::string>();
  }
  template <class T>
  void number(const json& object, const char* key, const std::string& where, std::optional<T>& out) {
    const json* value = field(object, key);
    if (!value) return;
    const bool negative = value->is_number_integer() && !value->is_number_unsigned() && value->get<long long>() < 0;
    if (!value->is_number_integer() || negative) return fail(where, "a whole number, not negative");
    if (value->get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<T>::max())) return fail(where, "a smaller number");
    out = value->get<T>();
  }
  void boolean(const json& object, const char* key, const std::string& where, std::optional<bool>& out) {
    const json* value = field(object, key);
    if (!value) return;
    if (!value->is_boolean()) return fail(where, "true or false");
    out = value->get<bool>();
  }
  // Returns whether the list was there.
  bool texts(const json& object, const char* key, const std::string& where, std::vector<std::string>& out) {
    const json* value = field(object, key);
    if (!value) return false;
    if (!value->is_array()) {
      fail(where, "a list of text");
      return false;
    }
    for (const auto& item : *value) {
      if (!item.is_string()) {
        fail(where, "a list of text");
        return false;
      }
      out.push_back(item.get<std::string>());
    }
    return true;
  }
  const json* list(const json& object, const char* key, const std::string& where) {
    const json* value = field(object, key);
    if (!value) return nullptr;
    if (!value->is_array()) {
      fail(where, "a list");
      return nullptr;
    }
    return value;
  }
  void pci_id(const json& object, const char* key, const std::string& where, uint16_t& out) {
    std::string text_value;
    text(object, key, where, text_value);
    if (text_value.empty()) return;
    char* end = nullptr;
    unsigned long id = std::strtoul(text_value.c_str(), &end, 16);
    if (*end != '\0' || id > 0xffff) return fail(where, "a 4-digit hexadecimal PCI id");
    out = static_cast<uint16_t>(id);
  }
  void pools(const json& object, const char* key, const std::string& where, std::vector<HugepagePool>& out) {
    const json* items = list(object, key, where);
    if (!items) return;
    for (size_t i = 0; i < items->size(); ++i) {
      const std::string at = where + "[" + std::to_string(i) + "]";
      HugepagePool pool;
      std::optional<uint64_t> size;
      number((*items)[i], "size_kib", at + ".size_kib", size);
      number((*items)[i], "count", at + ".count", pool.count);
      if (!size) return fail(at + ".size_kib", "a whole number");
      pool.size_kib = *size;
      out.push_back(pool);
    }
  }
};

void read_cpu(Reader& r, const json& cpu_object, HostFacts& facts, int schema) {
  CpuFacts& cpu = facts.cpu;
  r.text(cpu_object, "vendor", "cpu.vendor", cpu.vendor);
  r.text(cpu_object, "model", "cpu.model", cpu.model);
  r.number(cpu_object, "packages", "cpu.packages", cpu.packages);
  r.number(cpu_object, "cores", "cpu.cores", cpu.cores);
  r.number(cpu_object, "logical", "cpu.logical", cpu.logical);
  r.number(cpu_object, "allowed", "cpu.allowed", cpu.allowed);
  r.number(cpu_object, "performance_cores", "cpu.performance_cores", cpu.performance_cores);
  r.number(cpu_object, "efficiency_cores", "cpu.efficiency_cores", cpu.efficiency_cores);
  r.text(cpu_object, "present", "cpu.present", cpu.present);
  r.text(cpu_object, "online", "cpu.online", cpu.online);
  if (const json* packages = r.field(cpu_object, "package_cpus")) {
    if (!packages->is_object()) return r.fail("cpu.package_cpus", "an object of cpulists by package id");
    for (auto it = packages->begin(); it != packages->end(); ++it) {
      const std::string at = "cpu.package_cpus." + it.key();
      auto id = parse_integer(it.key());
      if (!id || *id < 0 || *id > std::numeric_limits<int>::max()) return r.fail(at, "a package id, a whole number");
      if (!it->is_string()) return r.fail(at, "a cpulist");
      cpu.package_cpus[static_cast<int>(*id)] = it->get<std::string>();
    }
  }
  cpu.flags_known = r.texts(cpu_object, "flags", "cpu.flags", cpu.flags);
  // Schema 1 wrote [] for flags it could not read.
  if (schema == 1 && cpu.flags.empty()) cpu.flags_known = false;
  if (const json* caches = r.list(cpu_object, "caches", "cpu.caches")) {
    for (size_t i = 0; i < caches->size(); ++i) {
      const std::string at = "cpu.caches[" + std::to_string(i) + "]";
      const json& item = (*caches)[i];
      std::optional<int> level, count;
      std::optional<uint64_t> size;
      CacheFacts cache;
      r.number(item, "level", at + ".level", level);
      r.text(item, "type", at + ".type", cache.type);
      r.number(item, "size_bytes", at + ".size_bytes", size);
      r.number(item, "count", at + ".count", count);
      if (!level || !size || !count) return r.fail(at, "level, size_bytes and count");
      cache.level = *level;
      cache.size_bytes = *size;
      cache.count = *count;
      cpu.caches.push_back(cache);
    }
  }
}

void read_numa(Reader& r, const json& numa, HostFacts& facts) {
  r.text(numa, "source", "numa.source", facts.topology.source);
  r.number(numa, "processor_groups", "numa.processor_groups", facts.topology.processor_groups);
  const json* nodes = r.list(numa, "nodes", "numa.nodes");
  if (!nodes) return;
  facts.topology.numa_known = true;
  for (size_t i = 0; i < nodes->size(); ++i) {
    const std::string at = "numa.nodes[" + std::to_string(i) + "]";
    const json& item = (*nodes)[i];
    NumaNodeFacts node;
    std::optional<int> index;
    r.number(item, "os_index", at + ".os_index", index);
    node.os_index = index.value_or(static_cast<int>(i));
    r.number(item, "memory_bytes", at + ".memory_bytes", node.memory_bytes);
    r.number(item, "cpus", at + ".cpus", node.cpus);
    r.pools(item, "hugepages", at + ".hugepages", node.hugepages);
    facts.topology.numa_nodes.push_back(std::move(node));
  }
}

void read_memory(Reader& r, const json& memory, HostFacts& facts) {
  r.number(memory, "total_bytes", "memory.total_bytes", facts.memory.total_bytes);
  r.number(memory, "swap_bytes", "memory.swap_bytes", facts.memory.swap_bytes);
  if (const json* thp = r.field(memory, "thp")) {
    r.text(*thp, "enabled", "memory.thp.enabled", facts.memory.thp_enabled);
    r.texts(*thp, "enabled_modes", "memory.thp.enabled_modes", facts.memory.thp_enabled_modes);
    r.text(*thp, "defrag", "memory.thp.defrag", facts.memory.thp_defrag);
    r.texts(*thp, "defrag_modes", "memory.thp.defrag_modes", facts.memory.thp_defrag_modes);
  }
  r.pools(memory, "hugepages", "memory.hugepages", facts.memory.hugepages);
}

void read_devices(Reader& r, const json& devices, HostFacts& facts) {
  DeviceFacts& out = facts.devices;
  r.text(devices, "source", "devices.source", out.source);
  const json* gpus = r.list(devices, "gpus", "devices.gpus");
  const json* nics = r.list(devices, "nics", "devices.nics");
  const json* nvme = r.list(devices, "nvme", "devices.nvme");
  out.pci_known = gpus && nics && nvme;
  if (!out.pci_known) return;
  for (size_t i = 0; i < gpus->size(); ++i) {
    const std::string at = "devices.gpus[" + std::to_string(i) + "]";
    const json& item = (*gpus)[i];
    GpuFacts gpu;
    r.text(item, "address", at + ".address", gpu.address);
    r.text(item, "vendor", at + ".vendor", gpu.vendor);
    r.pci_id(item, "vendor_id", at + ".vendor_id", gpu.vendor_id);
    r.pci_id(item, "device_id", at + ".device_id", gpu.device_id);
    r.text(item, "name", at + ".name", gpu.name);
    r.number(item, "memory_bytes", at + ".memory_bytes", gpu.memory_bytes);
    r.number(item, "numa_node", at + ".numa_node", gpu.numa_node);
    r.texts(item, "os_devices", at + ".os_devices", gpu.os_devices);
    r.number(item, "cores", at + ".cores", gpu.cores);
    std::optional<bool> unified;
    r.boolean(item, "unified_memory", at + ".unified_memory", unified);
    gpu.unified_memory = unified.value_or(false);
    out.gpus.push_back(std::move(gpu));
  }
  for (size_t i = 0; i < nics->size(); ++i) {
    const std::string at = "devices.nics[" + std::to_string(i) + "]";
    const json& item = (*nics)[i];
    NicFacts nic;
    r.text(item, "address", at + ".address", nic.address);
    r.pci_id(item, "vendor_id", at + ".vendor_id", nic.vendor_id);
    r.pci_id(item, "device_id", at + ".device_id", nic.device_id);
    r.text(item, "name", at + ".name", nic.name);
    r.number(item, "numa_node", at + ".numa_node", nic.numa_node);
    r.texts(item, "interfaces", at + ".interfaces", nic.interfaces);
    out.nics.push_back(std::move(nic));
  }
  for (size_t i = 0; i < nvme->size(); ++i) {
    const std::string at = "devices.nvme[" + std::to_string(i) + "]";
    const json& item = (*nvme)[i];
    NvmeFacts controller;
    r.text(item, "address", at + ".address", controller.address);
    r.pci_id(item, "vendor_id", at + ".vendor_id", controller.vendor_id);
    r.pci_id(item, "device_id", at + ".device_id", controller.device_id);
    r.text(item, "name", at + ".name", controller.name);
    r.number(item, "numa_node", at + ".numa_node", controller.numa_node);
    r.texts(item, "controllers", at + ".controllers", controller.controllers);
    out.nvme.push_back(std::move(controller));
  }
}

void read_block(Reader& r, const json& document, HostFacts& facts) {
  const json* devices = r.list(document, "block", "block");
  if (!devices) return;
  facts.block.known = true;
  for (size_t i = 0; i < devices->size(); ++i) {
    const std::string at = "block[" + std::to_string(i) + "]";
    const json& item = (*devices)[i];
    BlockDeviceFacts device;
    r.text(item, "name", at + ".name", device.name);
    r.text(item, "kind", at + ".kind", device.kind);
    r.boolean(item, "rotational", at + ".rotational", device.rotational);
    r.text(item, "scheduler", at + ".scheduler", device.scheduler);
    r.texts(item, "schedulers", at + ".schedulers", device.schedulers);
    r.number(item, "read_ahead_kb", at + ".read_ahead_kb", device.read_ahead_kb);
    r.number(item, "size_bytes", at + ".size_bytes", device.size_bytes);
    r.text(item, "model", at + ".model", device.model);
    if (device.name.empty()) return r.fail(at + ".name", "a device name");
    facts.block.devices.push_back(std::move(device));
  }
}

}  // namespace

json facts_to_json(const HostFacts& facts) {
  json evidence = json::object();
  for (const auto& [fact, why] : facts.evidence) evidence[fact] = why;
  return {
      {"kind", "tune-facts"},
      {"schema", HostFacts::kSchema},
      {"source", maybe_text(facts.source)},
      {"identity",
       {{"hostname", maybe_text(facts.identity.hostname)},
        {"machine_id", maybe_text(facts.identity.machine_id)},
        {"kernel", maybe_text(facts.identity.kernel)}}},
      {"arch", maybe_text(facts.arch)},
      {"os",
       {{"family", maybe_text(facts.os)},
        {"id", maybe_text(facts.os_id)},
        {"version", maybe_text(facts.os_version)},
        {"name", maybe_text(facts.os_name)}}},
      {"cpu", cpu_json(facts.cpu)},
      {"numa", numa_json(facts.topology)},
      {"memory",
       {{"total_bytes", maybe(facts.memory.total_bytes)},
        {"swap_bytes", maybe(facts.memory.swap_bytes)},
        {"thp",
         {{"enabled", maybe_text(facts.memory.thp_enabled)},
          {"enabled_modes", facts.memory.thp_enabled_modes},
          {"defrag", maybe_text(facts.memory.thp_defrag)},
          {"defrag_modes", facts.memory.thp_defrag_modes}}},
        {"hugepages", pools_json(facts.memory.hugepages)}}},
      {"cpufreq",
       {{"driver", maybe_text(facts.cpufreq.driver)},
        {"governor", maybe_text(facts.cpufreq.governor)},
        {"governors", facts.cpufreq.governors},
        {"epp", maybe_text(facts.cpufreq.epp)},
        {"epp_choices", facts.cpufreq.epp_choices},
        {"boost", maybe(facts.cpufreq.boost)}}},
      {"devices", devices_json(facts.devices)},
      {"block", block_json(facts.block)},
      {"power",
       {{"ac_online", maybe(facts.power.ac_online)},
        {"battery_present", maybe(facts.power.battery_present)},
        {"on_battery", maybe(facts.power.on_battery)},
        {"battery_percent", maybe(facts.power.battery_percent)}}},
      {"virtualization", maybe_text(facts.virtualization)},
      {"container", maybe_text(facts.container)},
      {"uname", maybe_text(facts.uname)},
      {"cpuinfo", maybe_text(facts.cpuinfo)},
      {"platform",
       {{"cgroup_mode", maybe_text(facts.platform.cgroup_mode)},
        {"dmi_vendor", maybe_text(facts.platform.dmi_vendor)},
        {"dmi_product", maybe_text(facts.platform.dmi_product)},
        {"chassis", maybe_text(facts.platform.chassis)}}},
      {"evidence", evidence},
      {"warnings", facts.warnings},
  };
}

Result<HostFacts> facts_from_json(const json& document) {
  if (!document.is_object()) return make_error("expected a JSON object written by `tune detect --json`");
  auto kind = document.find("kind");
  if (kind == document.end() || *kind != "tune-facts") {
    return make_error("not a facts file: \"kind\" is not \"tune-facts\" (write one with `tune detect --json`)");
  }
  auto schema_field = document.find("schema");
  if (schema_field == document.end() || !schema_field->is_number_integer()) return make_error("schema: expected a whole number");
  const int schema = schema_field->get<int>();
  if (schema < 1 || schema > HostFacts::kSchema) {
    return make_error("schema {} is not one this tune reads (1 to {}); detect again with this version", schema,
                      HostFacts::kSchema);
  }

  Reader r;
  HostFacts facts;
  r.text(document, "source", "source", facts.source);
  if (const json* identity = r.field(document, "identity")) {
    r.text(*identity, "hostname", "identity.hostname", facts.identity.hostname);
    r.text(*identity, "machine_id", "identity.machine_id", facts.identity.machine_id);
    r.text(*identity, "kernel", "identity.kernel", facts.identity.kernel);
  }
  r.text(document, "arch", "arch", facts.arch);
  if (const json* os = r.field(document, "os")) {
    r.text(*os, "family", "os.family", facts.os);
    r.text(*os, "id", "os.id", facts.os_id);
    r.text(*os, "version", "os.version", facts.os_version);
    r.text(*os, "name", "os.name", facts.os_name);
  }
  if (const json* cpu = r.field(document, "cpu")) read_cpu(r, *cpu, facts, schema);
  if (const json* numa = r.field(document, "numa")) read_numa(r, *numa, facts);
  if (const json* memory = r.field(document, "memory")) read_memory(r, *memory, facts);
  if (const json* cpufreq = r.field(document, "cpufreq")) {
    r.text(*cpufreq, "driver", "cpufreq.driver", facts.cpufreq.driver);
    r.text(*cpufreq, "governor", "cpufreq.governor", facts.cpufreq.governor);
    r.texts(*cpufreq, "governors", "cpufreq.governors", facts.cpufreq.governors);
    r.text(*cpufreq, "epp", "cpufreq.epp", facts.cpufreq.epp);
    r.texts(*cpufreq, "epp_choices", "cpufreq.epp_choices", facts.cpufreq.epp_choices);
    r.boolean(*cpufreq, "boost", "cpufreq.boost", facts.cpufreq.boost);
  }
  if (const json* devices = r.field(document, "devices")) read_devices(r, *devices, facts);
  read_block(r, document, facts);
  if (const json* power = r.field(document, "power")) {
    r.boolean(*power, "ac_online", "power.ac_online", facts.power.ac_online);
    r.boolean(*power, "battery_present", "power.battery_present", facts.power.battery_present);
    r.boolean(*power, "on_battery", "power.on_battery", facts.power.on_battery);
    r.number(*power, "battery_percent", "power.battery_percent", facts.power.battery_percent);
  }
  r.text(document, "virtualization", "virtualization", facts.virtualization);
  r.text(document, "container", "container", facts.container);
  r.text(document, "uname", "uname", facts.uname);
  r.text(document, "cpuinfo", "cpuinfo", facts.cpuinfo);
  if (const json* platform = r.field(document, "platform")) {
    r.text(*platform, "cgroup_mode", "platform.cgroup_mode", facts.platform.cgroup_mode);
    r.text(*platform, "dmi_vendor", "platform.dmi_vendor", facts.platform.dmi_vendor);
    r.text(*platform, "dmi_product", "platform.dmi_product", facts.platform.dmi_product);
    r.text(*platform, "chassis", "platform.chassis", facts.platform.chassis);
  }
  if (const json* evidence = r.field(document, "evidence")) {
    if (!evidence->is_object()) r.fail("evidence", "an object of text");
    else {
      for (auto it = evidence->begin(); it != evidence->end(); ++it) {
        if (!it->is_string()) {
          r.fail("evidence." + it.key(), "text");
          break;
        }
        facts.evidence[it.key()] = it->get<std::string>();
      }
    }
  }
  r.texts(document, "warnings", "warnings", facts.warnings);
  if (r.error) return *r.error;
  return facts;
}

Result<HostFacts> facts_from_json_text(const std::string& text, const std::string& path) {
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& e) {
    // nlohmann reports a byte offset; turn it into line:column.
    size_t line = 1, column = 1;
    for (size_t i = 0; i < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string message = e.what();
    auto detail = message.find("syntax error");
    if (detail != std::string::npos) message = message.substr(detail);
    // Never quote what was read: the file may be one the user could not read (tune under sudo).
    if (auto quoted = message.find("; last read"); quoted != std::string::npos) message = message.substr(0, quoted);
    return make_error("{}:{}:{}: not valid JSON ({})", path, line, column > 1 ? column - 1 : 1, message);
  } catch (const json::exception&) {
    // A number past what a double holds (1E444); nlohmann quotes it, so it is not repeated here.
    return make_error("{}: not valid JSON (a number out of range)", path);
  }
  auto facts = facts_from_json(document);
  if (!facts) return with_context(path, facts.error());
  return facts;
}

}  // namespace tune
