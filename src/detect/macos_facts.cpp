#include "detect/macos_facts.h"

#include "util/text.h"

#include <cctype>
#include <regex>

namespace tune {
namespace {

std::optional<long long> number_of(const std::map<std::string, std::string>& values, const std::string& key,
                                   HostFacts& facts) {
  auto it = values.find(key);
  if (it == values.end()) return std::nullopt;
  auto number = parse_integer(it->second);
  if (!number || *number < 0) {
    facts.warnings.push_back("sysctl " + key + ": '" + printable_line(it->second) + "' is not a count");
    return std::nullopt;
  }
  return number;
}

std::string text_of(const std::map<std::string, std::string>& values, const std::string& key) {
  auto it = values.find(key);
  return it == values.end() ? "" : it->second;
}

std::optional<int> count_of(const std::map<std::string, std::string>& values, const std::string& key, HostFacts& facts) {
  auto number = number_of(values, key, facts);
  if (!number || *number > 1'000'000) return std::nullopt;
  return static_cast<int>(*number);
}

void apply_sysctl(const std::map<std::string, std::string>& values, HostFacts& facts) {
  // hw.machine is "arm64" on Apple Silicon and "x86_64" on Intel Macs; a
  // Rosetta process sees x86_64 but hw.optional.arm64 = 1.
  const std::string machine = text_of(values, "hw.machine");
  if (text_of(values, "hw.optional.arm64") == "1" || machine == "arm64") {
    facts.arch = "aarch64";
  } else if (!machine.empty()) {
    facts.arch = machine;
  }
  facts.cpu.model = text_of(values, "machdep.cpu.brand_string");
  if (starts_with(facts.cpu.model, "Apple")) facts.cpu.vendor = "Apple";
  else if (facts.cpu.model.find("Intel") != std::string::npos) facts.cpu.vendor = "GenuineIntel";
  facts.cpu.cores = count_of(values, "hw.physicalcpu", facts);
  facts.cpu.logical = count_of(values, "hw.logicalcpu", facts);
  facts.cpu.packages = count_of(values, "hw.packages", facts);
  // perflevel0 is the fastest cluster (P cores), perflevel1 the next (E
  // cores); hw.nperflevels says how many there are (1 on Intel Macs).
  auto levels = count_of(values, "hw.nperflevels", facts);
  if (levels && *levels >= 2) {
    facts.cpu.performance_cores = count_of(values, "hw.perflevel0.physicalcpu", facts);
    facts.cpu.efficiency_cores = count_of(values, "hw.perflevel1.physicalcpu", facts);
  }
  if (auto memory = number_of(values, "hw.memsize", facts)) facts.memory.total_bytes = static_cast<uint64_t>(*memory);
  facts.identity.hostname = text_of(values, "kern.hostname");
  facts.identity.kernel = text_of(values, "kern.osrelease");
  facts.identity.machine_id = text_of(values, "kern.uuid");
  if (auto product = text_of(values, "kern.osproductversion"); !product.empty()) facts.os_version = product;
  facts.platform.dmi_product = text_of(values, "hw.model");
  facts.platform.dmi_vendor = facts.platform.dmi_product.empty() ? "" : "Apple";
}

void apply_sw_vers(const std::string& text, HostFacts& facts) {
  std::string name, version;
  for (const auto& line : split_lines(text)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    const std::string key = trim(line.substr(0, colon));
    const std::string value = trim(line.substr(colon + 1));
    if (key == "ProductName") name = value;
    if (key == "ProductVersion") version = value;
  }
  if (!version.empty()) facts.os_version = version;
  if (!name.empty()) facts.os_name = name + (facts.os_version.empty() ? "" : " " + facts.os_version);
}

// pmset(1): "Now drawing from 'AC Power'" or "'Battery Power'", then one line
// per battery: " -InternalBattery-0 (id=...)	85%; charging; ... present: true".
void apply_battery(const std::string& text, HostFacts& facts) {
  if (text.empty()) return;
  static const std::regex kSource("drawing from '([^']+)'");
  static const std::regex kBattery("-InternalBattery-[0-9]+.*?([0-9]{1,3})%");
  std::smatch match;
  if (std::regex_search(text, match, kSource)) {
    const std::string source = match[1];
    facts.power.on_battery = source == "Battery Power";
    facts.power.ac_online = source == "AC Power";
  } else {
    facts.warnings.push_back("pmset -g batt: no \"Now drawing from\" line");
  }
  if (std::regex_search(text, match, kBattery)) {
    facts.power.battery_present = true;
    int percent = std::stoi(match[1]);
    if (percent <= 100) facts.power.battery_percent = percent;
  } else if (facts.power.ac_online) {
    facts.power.battery_present = false;  // a desktop Mac lists no battery
  }
}

// ioreg prints the AGX accelerator's properties as `"key" = value` lines
// ("gpu-core-count" = 10, "model" = "Apple M2"); one accelerator per Mac.
void apply_gpu(const std::string& text, HostFacts& facts) {
  facts.devices.source = "ioreg";
  facts.devices.pci_known = true;  // what ioreg lists is all there is: no GPU is a count of 0
  if (text.empty()) return;
  static const std::regex kCores("\"gpu-core-count\"\\s*=\\s*([0-9]+)");
  static const std::regex kModel("\"model\"\\s*=\\s*\"([^\"]*)\"");
  std::smatch match;
  GpuFacts gpu;
  gpu.vendor = "apple";
  gpu.unified_memory = true;
  if (std::regex_search(text, match, kModel)) gpu.name = match[1];
  if (std::regex_search(text, match, kCores)) {
    gpu.cores = std::stoi(match[1].str().substr(0, 6));
  }
  if (gpu.name.empty() && !gpu.cores) {
    facts.warnings.push_back("ioreg -rc AGXAccelerator: neither \"model\" nor \"gpu-core-count\" found");
    return;
  }
  if (gpu.name.empty()) gpu.name = "Apple GPU";
  facts.devices.gpus.push_back(std::move(gpu));
}

}  // namespace

std::map<std::string, std::string> parse_sysctl_output(const std::string& text, int* malformed) {
  std::map<std::string, std::string> values;
  std::string last;
  for (const auto& line : split_lines(text)) {
    if (trim(line).empty()) continue;
    auto colon = line.find(": ");
    std::string name = colon == std::string::npos ? "" : line.substr(0, colon);
    const bool is_name = !name.empty() && name.find(' ') == std::string::npos && name.find('.') != std::string::npos;
    if (is_name) {
      values[name] = trim(line.substr(colon + 2));
      last = name;
    } else if (!last.empty() && (line[0] == ' ' || line[0] == '\t')) {
      values[last] += " " + trim(line);  // a value printed over several lines
    } else if (malformed) {
      ++*malformed;
    }
  }
  return values;
}

HostFacts macos_facts(const MacInputs& inputs) {
  HostFacts facts;
  facts.os = "macos";
  facts.os_id = "macos";
  facts.virtualization = "";
  int malformed = 0;
  auto values = parse_sysctl_output(inputs.sysctl, &malformed);
  if (malformed > 0) facts.warnings.push_back(fmt::format("sysctl: {} lines were not 'name: value'", malformed));
  apply_sysctl(values, facts);
  apply_sw_vers(inputs.sw_vers, facts);
  if (facts.os_name.empty() && !facts.os_version.empty()) facts.os_name = "macOS " + facts.os_version;
  apply_battery(inputs.pmset_batt, facts);
  apply_gpu(inputs.ioreg_gpu, facts);
  if (auto vm = text_of(values, "kern.hv_vmm_present"); vm == "1") facts.virtualization = "apple";
  else if (vm == "0") facts.virtualization = "none";
  facts.container = "none";  // macOS runs no containers natively: Docker's run in a Linux VM
  facts.source = "host";
  return facts;
}

HostFacts detect_macos_host(const System& system) {
  // Programs that only read (sysctl without -w, pmset -g, ioreg, sw_vers).
  std::vector<std::string> warnings;
  auto output = [&](const std::vector<std::string>& argv) -> std::string {
    auto result = system.query(argv);
    if (!result) {
      warnings.push_back(argv[0] + ": " + result.error().message);
      return "";
    }
    if (result->exit_code != 0) {
      // sysctl prints what it knows and fails for the keys it does not
      // (hw.perflevel1 on an Intel Mac): keep what it printed.
      warnings.push_back(fmt::format("{} exited with {}: {}", argv[0], result->exit_code,
                                     printable_line(trim(result->err))));
    }
    return result->out;
  };
  MacInputs inputs;
  inputs.sysctl = output({"/usr/sbin/sysctl", "hw", "machdep.cpu", "kern.osproductversion", "kern.hostname",
                          "kern.osrelease", "kern.osversion", "kern.uuid", "kern.hv_vmm_present"});
  inputs.pmset_batt = output({"/usr/bin/pmset", "-g", "batt"});
  inputs.ioreg_gpu = output({"/usr/sbin/ioreg", "-rc", "AGXAccelerator", "-d1"});
  inputs.sw_vers = output({"/usr/bin/sw_vers"});
  HostFacts facts = macos_facts(inputs);
  facts.warnings.insert(facts.warnings.end(), warnings.begin(), warnings.end());
  return facts;
}

HostIdentity detect_macos_identity(const System& system) {
  auto result = system.query({"/usr/sbin/sysctl", "kern.hostname", "kern.uuid", "kern.osrelease"});
  if (!result) return {};
  auto values = parse_sysctl_output(result->out);
  return {text_of(values, "kern.hostname"), text_of(values, "kern.uuid"), text_of(values, "kern.osrelease")};
}

}  // namespace tune
