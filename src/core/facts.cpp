#include "core/facts.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace tune {

using nlohmann::json;

namespace {

template <class T>
json maybe(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}
json maybe_text(const std::string& value) { return value.empty() ? json(nullptr) : json(value); }

void put(FactMap& map, const std::string& key, const std::string& value) {
  if (!value.empty()) map[key] = value;
}
template <class T>
void put(FactMap& map, const std::string& key, const std::optional<T>& value) {
  if (value) map[key] = std::to_string(*value);
}

std::string gib_text(uint64_t bytes) {
  // Whole GiB rounded to nearest: a "64 GiB" machine reports a little less as MemTotal.
  return std::to_string((bytes + (1ull << 29)) >> 30);
}

}  // namespace

FactMap flatten_facts(const HostFacts& facts) {
  FactMap map;
  put(map, "hostname", facts.identity.hostname);
  put(map, "kernel", facts.identity.kernel);
  put(map, "arch", facts.arch);
  put(map, "os", facts.os_id);
  put(map, "cpu.vendor", facts.cpu.vendor);
  put(map, "cpu.logical", facts.cpu.logical);
  put(map, "cpu.cores", facts.cpu.cores);
  put(map, "cpu.packages", facts.cpu.packages);
  for (const auto& flag : facts.cpu.flags) map["cpu.flag." + flag] = "true";
  if (facts.memory.total_bytes) map["memory.total_gib"] = gib_text(*facts.memory.total_bytes);
  if (facts.memory.swap_bytes) map["memory.swap_gib"] = gib_text(*facts.memory.swap_bytes);
  put(map, "virtualization", facts.virtualization);
  put(map, "container", facts.container);
  return map;
}

json facts_to_json(const HostFacts& facts) {
  return {
      {"schema", HostFacts::kSchema},
      {"kind", "tune-facts"},
      {"identity",
       {{"hostname", maybe_text(facts.identity.hostname)},
        {"machine_id", maybe_text(facts.identity.machine_id)},
        {"kernel", maybe_text(facts.identity.kernel)}}},
      {"arch", maybe_text(facts.arch)},
      {"os", {{"id", maybe_text(facts.os_id)}, {"name", maybe_text(facts.os_name)}}},
      {"cpu",
       {{"vendor", maybe_text(facts.cpu.vendor)},
        {"model", maybe_text(facts.cpu.model)},
        {"logical", maybe(facts.cpu.logical)},
        {"cores", maybe(facts.cpu.cores)},
        {"packages", maybe(facts.cpu.packages)},
        {"flags", facts.cpu.flags}}},
      {"memory", {{"total_bytes", maybe(facts.memory.total_bytes)}, {"swap_bytes", maybe(facts.memory.swap_bytes)}}},
      {"virtualization", maybe_text(facts.virtualization)},
      {"container", maybe_text(facts.container)},
  };
}

}  // namespace tune
