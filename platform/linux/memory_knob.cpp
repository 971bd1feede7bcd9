#include "platform/linux/memory_knob.h"

#include "core/facts.h"
#include "platform/linux/sysfs_attribute.h"
#include "util/text.h"

#include <map>

namespace tune::linux_platform {
namespace {

const std::string kThp = "/sys/kernel/mm/transparent_hugepage";

std::string size_words(uint64_t kib) {
  if (kib % (1024 * 1024) == 0) return std::to_string(kib / (1024 * 1024)) + " GiB";
  if (kib % 1024 == 0) return std::to_string(kib / 1024) + " MiB";
  return std::to_string(kib) + " KiB";
}

std::string amount(uint64_t kib) {
  if (kib >= 1024 * 1024) return fmt::format("{:.1f} GiB", static_cast<double>(kib) / (1024 * 1024));
  return fmt::format("{} MiB", kib / 1024);
}

// "free memory 1.2 GiB, available 3.4 GiB": what a failed reservation had to work with.
std::string free_memory(const System& system) {
  auto fields = read_meminfo(system);
  if (!fields.count("MemFree")) return "free memory unknown";
  std::string text = "free memory " + amount(fields["MemFree"]);
  if (fields.count("MemAvailable")) text += ", available " + amount(fields["MemAvailable"]);
  return text;
}

}  // namespace

uint64_t hugepage_kib(const std::string& size) {
  static const std::map<std::string, uint64_t> kSizes = {{"64K", 64},          {"2M", 2048},       {"32M", 32768},
                                                         {"512M", 524288},     {"1G", 1048576},    {"16G", 16777216}};
  auto it = kSizes.find(size);
  return it == kSizes.end() ? 0 : it->second;
}

Result<MemoryTarget> memory_target(const std::string& target) {
  static const std::map<std::string, std::string> kThpFiles = {
      {"transparent_hugepages.enabled", "/enabled"},
      {"transparent_hugepages.defrag", "/defrag"},
      {"transparent_hugepages.khugepaged_defrag", "/khugepaged/defrag"},
      {"transparent_hugepages.shmem_enabled", "/shmem_enabled"}};
  if (auto it = kThpFiles.find(target); it != kThpFiles.end()) return MemoryTarget{kThp + it->second, false, 0, -1};
  auto slash = target.find('/');
  const uint64_t kib = slash == std::string::npos ? 0 : hugepage_kib(target.substr(0, slash));
  const std::string key = slash == std::string::npos ? "" : target.substr(slash + 1);
  if (kib == 0) return make_error("memory: '{}' is not a memory setting", target);
  const std::string pool = "hugepages-" + std::to_string(kib) + "kB";
  if (key == "hugepages.count") return MemoryTarget{"/sys/kernel/mm/hugepages/" + pool + "/nr_hugepages", true, kib, -1};
  if (starts_with(key, "hugepages.node")) {
    const std::string digits = key.substr(14);
    auto node = parse_integer(digits);
    if (node && *node >= 0 && *node < 4096 && std::to_string(*node) == digits) {
      return MemoryTarget{"/sys/devices/system/node/node" + digits + "/hugepages/" + pool + "/nr_hugepages", true, kib,
                          static_cast<int>(*node)};
    }
  }
  return make_error("memory: '{}' is not a memory setting", target);
}

Result<Observation> MemoryKnob::observe(const System& system, const std::string& target) const {
  auto where = memory_target(target);
  if (!where) return where.error();
  Observation observation;
  auto attribute = read_attribute(system, where->path);
  if (!attribute) return attribute.error();
  if (!attribute->exists) {
    observation.supported = false;
    observation.writable = false;
    if (!where->hugepages) observation.note = "not available here: this kernel has no transparent hugepages";
    else if (where->node >= 0 && !system.stat("/sys/devices/system/node/node" + std::to_string(where->node)).value_or_default().exists)
      observation.note = "not available here: there is no NUMA node " + std::to_string(where->node);
    else observation.note = "not available here: this kernel offers no " + size_words(where->page_kib) + " pages";
    return observation;
  }
  if (!attribute->writable) {
    observation.writable = false;
    observation.note = "read-only here: " + where->path;
  }
  observation.value = parse_choice(attribute->text).current;
  observation.prior = PriorState::of_value(*observation.value);
  return observation;
}

Status MemoryKnob::apply(System& system, const Change& change) const {
  auto where = memory_target(change.target);
  if (!where) return where.error();
  if (!change.after) return make_error("memory {}: a memory setting cannot be removed", change.target);
  TUNE_RETURN_IF_ERROR(system.write_attribute(where->path, *change.after));
  if (!where->hugepages) return {};
  // The kernel reserves what it can and reports success: the count it
  // actually holds is the answer.
  const std::string reserved = trim(system.read_file(where->path).value_or_default());
  auto got = parse_integer(reserved);
  auto asked = parse_integer(*change.after);
  if (got && asked && *got < *asked) {
    const std::string size = size_words(where->page_kib);
    std::string message = fmt::format("the kernel reserved {} of the {} {} pages asked{} ({})", *got, *asked, size,
                                      where->node >= 0 ? " on node " + std::to_string(where->node) : "",
                                      free_memory(system));
    const std::string boot = "boot domain: hugepagesz=" + hugepage_size_name(where->page_kib) + " hugepages=" + *change.after;
    message += where->page_kib >= 1024 * 1024
                   ? "; pages this large rarely come free at run time: reserve them at boot (" + boot + ")"
                   : "; memory is too small or too fragmented now: free memory first, or reserve them at boot (" + boot + ")";
    return Error{message};
  }
  return {};
}

Status MemoryKnob::restore(System& system, const std::string& target, const PriorState& prior) const {
  auto where = memory_target(target);
  if (!where) return where.error();
  if (prior.kind != PriorState::Kind::Value) return make_error("memory {}: the journal holds no value to restore", target);
  return system.write_attribute(where->path, prior.value);
}

}  // namespace tune::linux_platform
