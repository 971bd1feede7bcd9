#include "platform/linux/irq_files.h"

#include "core/file_knob.h"
#include "platform/linux/cpu_sets.h"
#include "platform/linux/sysfs_attribute.h"
#include "platform/linux/unit_dropin.h"
#include "platform/linux/unit_files.h"
#include "util/text.h"

#include <algorithm>

namespace tune::linux_platform {
namespace {

// One KEY=VALUE line of an EnvironmentFile: systemd strips blanks around
// both and one pair of quotes around the value; # and ; start comments.
std::optional<std::pair<std::string, std::string>> environment_file_line(const std::string& raw) {
  const std::string line = trim(raw);
  if (line.empty() || line[0] == '#' || line[0] == ';') return std::nullopt;
  auto equals = line.find('=');
  if (equals == std::string::npos || equals == 0) return std::nullopt;
  std::string value = trim(line.substr(equals + 1));
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
    value = value.substr(1, value.size() - 2);
  }
  return std::make_pair(trim(line.substr(0, equals)), value);
}

}  // namespace

std::string irq_affinity_path(const std::string& irq) { return std::string(kIrqDir) + "/" + irq + "/smp_affinity_list"; }

Result<IrqList> list_irqs(const System& system) {
  IrqList irqs;
  for (const auto& irq : numbered_entries(system, kIrqDir, "")) {
    auto attribute = read_attribute(system, irq_affinity_path(irq));
    if (!attribute) return attribute.error();
    if (!attribute->exists) continue;  // an IRQ without a handler on a uniprocessor kernel
    (attribute->writable ? irqs.movable : irqs.fixed).push_back(irq);
  }
  return irqs;
}

Result<MemberValues> read_irq_affinities(const System& system, const std::vector<std::string>& irqs) {
  MemberValues values;
  for (const auto& irq : irqs) {
    auto text = system.read_file(irq_affinity_path(irq));
    if (!text) return text.error();
    auto cpus = parse_cpulist(*text);
    if (!cpus) return make_error("{}: not a CPU list", irq_affinity_path(irq));
    values.emplace_back(irq, format_cpulist(*cpus));
  }
  return values;
}

Result<UnitVariable> irqbalance_variable(const System& system, const std::string& name,
                                         const std::optional<std::optional<std::string>>& dropin_text) {
  UnitFiles files = find_unit_files(system, kIrqbalanceUnit);
  std::vector<ConfigFile> dropins;
  for (const auto& path : files.dropins) {
    auto text = read_if_present(system, path);
    if (!text) return text.error();
    if (*text) dropins.push_back({path, **text});
  }
  if (dropin_text) {
    dropins.erase(std::remove_if(dropins.begin(), dropins.end(),
                                 [](const ConfigFile& file) { return file.path == kIrqbalanceDropIn; }),
                  dropins.end());
    if (*dropin_text) put_drop_in(dropins, kIrqbalanceDropIn, **dropin_text);
  }
  std::vector<ConfigFile> in_order;
  if (!files.fragment.empty()) {
    auto text = read_if_present(system, files.fragment);
    if (!text) return text.error();
    if (*text) in_order.push_back({files.fragment, **text});
  }
  in_order.insert(in_order.end(), dropins.begin(), dropins.end());

  UnitVariable found;
  std::vector<std::string> environment_files;
  for (const auto& file : in_order) {
    // parse_unit_text drops line numbers; count assignments to name the line.
    int number = 0;
    for (const auto& raw : split_lines(file.text)) {
      ++number;
      auto assignments = parse_unit_text("[Service]\n" + raw);
      if (assignments.empty()) continue;
      const auto& assignment = assignments.front();
      if (assignment.key == "Environment") {
        if (assignment.value.empty()) found = {};
        auto words = parse_environment_words(assignment.value);
        if (auto it = words.find(name); it != words.end()) found = {it->second, file.path + ":" + std::to_string(number), false};
      } else if (assignment.key == "EnvironmentFile") {
        if (assignment.value.empty()) environment_files.clear();
        else environment_files.push_back(assignment.value);
      }
    }
  }
  // EnvironmentFile= values override Environment= ones, later files the earlier.
  for (const auto& entry : environment_files) {
    const bool optional = starts_with(entry, "-");
    const std::string path = optional ? entry.substr(1) : entry;
    if (path.empty() || path[0] != '/') continue;
    auto text = read_if_present(system, path);
    if (!text) return text.error();
    if (!*text) continue;
    int number = 0;
    for (const auto& raw : split_lines(**text)) {
      ++number;
      auto line = environment_file_line(raw);
      if (line && line->first == name) found = {line->second, path + ":" + std::to_string(number), true};
    }
  }
  return found;
}

std::string irqbalance_dropin_text(const std::string& profile, const std::string& banned) {
  return tune_file_header(profile, "the CPUs irqbalance leaves alone") + "[Service]\nEnvironment=" +
         environment_word(kBannedVariable, banned) + "\n";
}

}  // namespace tune::linux_platform
