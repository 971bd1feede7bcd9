#include "platform/windows/recorded_windows_api.h"

#include "platform/windows/powercfg_query.h"
#include "platform/windows/registry_export.h"
#include "platform/windows/windows_settings.h"
#include "util/text.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace tune::windows_platform {
namespace {

const char* const kServicesKey = "hklm\\system\\currentcontrolset\\services\\";

bool same_machine(const WindowsMachine& a, const WindowsMachine& b) {
  auto gpus = [](const WindowsMachine& m) {
    std::vector<std::tuple<std::string, uint32_t, uint32_t, uint64_t>> out;
    for (const auto& gpu : m.gpus) out.emplace_back(gpu.name, gpu.vendor_id, gpu.device_id, gpu.dedicated_memory_bytes);
    return out;
  };
  return std::tie(a.hostname, a.product_name, a.version, a.build, a.arch, a.cpu_model, a.cpu_vendor, a.packages,
                  a.physical_cores, a.logical_processors, a.processor_groups, a.numa_nodes, a.cores_by_efficiency_class,
                  a.total_memory_bytes, a.available_memory_bytes, a.on_ac, a.has_battery) ==
             std::tie(b.hostname, b.product_name, b.version, b.build, b.arch, b.cpu_model, b.cpu_vendor, b.packages,
                      b.physical_cores, b.logical_processors, b.processor_groups, b.numa_nodes,
                      b.cores_by_efficiency_class, b.total_memory_bytes, b.available_memory_bytes, b.on_ac,
                      b.has_battery) &&
         gpus(a) == gpus(b);
}

Result<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("cannot read {}", path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<uint64_t> number(const std::string& text, const std::string& what) {
  std::string digits = trim(text);
  char* end = nullptr;
  unsigned long long value = std::strtoull(digits.c_str(), &end, 0);  // 0x... for PCI ids
  if (digits.empty() || *end != '\0') return make_error("machine.txt: {} is not a number: '{}'", what, digits);
  return static_cast<uint64_t>(value);
}

// machine.txt: "field: value" lines (tests/fixtures/windows/README.md).
Status parse_machine(const std::string& text, RecordedWindowsState& state) {
  WindowsMachine& m = state.machine;
  for (const auto& raw : split_lines(text)) {
    std::string line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    auto colon = line.find(':');
    if (colon == std::string::npos) return make_error("machine.txt: expected 'field: value', got '{}'", line);
    const std::string field = trim(line.substr(0, colon));
    const std::string value = trim(line.substr(colon + 1));
    auto integer = [&](int& into) -> Status {
      auto parsed = number(value, field);
      if (!parsed) return parsed.error();
      into = static_cast<int>(*parsed);
      return {};
    };
    auto big = [&](uint64_t& into) -> Status {
      auto parsed = number(value, field);
      if (!parsed) return parsed.error();
      into = *parsed;
      return {};
    };
    if (field == "hostname") m.hostname = value;
    else if (field == "product_name") m.product_name = value;
    else if (field == "version") m.version = value;
    else if (field == "build") m.build = value;
    else if (field == "arch") m.arch = value;
    else if (field == "cpu_model") m.cpu_model = value;
    else if (field == "cpu_vendor") m.cpu_vendor = value;
    else if (field == "packages") TUNE_RETURN_IF_ERROR(integer(m.packages));
    else if (field == "physical_cores") TUNE_RETURN_IF_ERROR(integer(m.physical_cores));
    else if (field == "logical_processors") TUNE_RETURN_IF_ERROR(integer(m.logical_processors));
    else if (field == "processor_groups") TUNE_RETURN_IF_ERROR(integer(m.processor_groups));
    else if (field == "numa_nodes") TUNE_RETURN_IF_ERROR(integer(m.numa_nodes));
    else if (field == "total_memory_bytes") TUNE_RETURN_IF_ERROR(big(m.total_memory_bytes));
    else if (field == "available_memory_bytes") TUNE_RETURN_IF_ERROR(big(m.available_memory_bytes));
    else if (field == "cores_by_efficiency_class") {
      for (const auto& count : split_whitespace(value)) {
        auto parsed = number(count, field);
        if (!parsed) return parsed.error();
        m.cores_by_efficiency_class.push_back(static_cast<int>(*parsed));
      }
    } else if (field == "on_ac" || field == "has_battery") {
      if (value != "true" && value != "false") return make_error("machine.txt: {} is true or false", field);
      (field == "on_ac" ? m.on_ac : m.has_battery) = value == "true";
    } else if (field == "gpu") {
      // "VENDOR DEVICE MEMORY_BYTES NAME..."
      auto words = split_whitespace(value);
      if (words.size() < 4) return make_error("machine.txt: gpu needs vendor, device, memory and name");
      WindowsGpu gpu;
      auto vendor = number(words[0], "gpu vendor");
      auto device = number(words[1], "gpu device");
      auto memory = number(words[2], "gpu memory");
      if (!vendor) return vendor.error();
      if (!device) return device.error();
      if (!memory) return memory.error();
      gpu.vendor_id = static_cast<uint32_t>(*vendor);
      gpu.device_id = static_cast<uint32_t>(*device);
      gpu.dedicated_memory_bytes = *memory;
      gpu.name = join(std::vector<std::string>(words.begin() + 3, words.end()), " ");
      m.gpus.push_back(gpu);
    } else if (field == "right") {
      // "ACCOUNT RIGHT": the account may contain a backslash, never a space here.
      auto words = split_whitespace(value);
      if (words.size() != 2) return make_error("machine.txt: right is 'ACCOUNT RIGHT'");
      state.rights[ascii_lower(words[0])].insert(words[1]);
    } else if (field == "hidden_scheme") {
      // "GUID NAME...": a scheme PowerEnumerate does not list (Ultimate Performance).
      auto space = value.find(' ');
      if (space == std::string::npos) return make_error("machine.txt: hidden_scheme is 'GUID NAME'");
      state.hidden_schemes[ascii_lower(value.substr(0, space))] = trim(value.substr(space + 1));
    } else {
      return make_error("machine.txt: unknown field '{}'", field);
    }
  }
  return {};
}

std::string show(const RegistryValue& value) {
  std::string data = value.data;
  std::replace(data.begin(), data.end(), '\n', '|');
  return data;
}

const char* source_name(PowerSource source) { return source == PowerSource::Ac ? "AC" : "DC"; }

}  // namespace

bool RecordedWindowsState::operator==(const RecordedWindowsState& other) const {
  return registry == other.registry && schemes == other.schemes && hidden_schemes == other.hidden_schemes &&
         active_scheme == other.active_scheme && power_values == other.power_values && rights == other.rights &&
         defender_exclusions == other.defender_exclusions && same_machine(machine, other.machine);
}

Result<RecordedWindowsApi> RecordedWindowsApi::load(const std::string& dir) {
  auto reg = read_text(dir + "/registry.reg");
  if (!reg) return reg.error();
  auto powercfg = read_text(dir + "/powercfg.txt");
  if (!powercfg) return powercfg.error();
  auto machine = read_text(dir + "/machine.txt");
  if (!machine) return machine.error();
  return from_text(*reg, *powercfg, *machine, dir);
}

Result<RecordedWindowsApi> RecordedWindowsApi::from_text(const std::string& registry_export, const std::string& powercfg,
                                                         const std::string& machine, std::string origin) {
  RecordedWindowsApi api;
  api.origin_ = std::move(origin);
  auto keys = parse_registry_export(registry_export);
  if (!keys) return make_error("{}: {}", api.origin_, keys.error().message);
  for (const auto& key : *keys) {
    if (ascii_lower(key.path) == ascii_lower(kDefenderExclusionPathsKey)) {
      for (const auto& [path, value] : key.values) api.state_.defender_exclusions[ascii_lower(path)] = path;
      continue;
    }
    auto& values = api.state_.registry[ascii_lower(key.path)];
    for (const auto& [name, value] : key.values) values[ascii_lower(name)] = value;
  }
  auto power = parse_powercfg(powercfg);
  if (!power) return make_error("{}: {}", api.origin_, power.error().message);
  TUNE_RETURN_IF_ERROR(parse_machine(machine, api.state_));
  for (const auto& scheme : power->schemes) {
    if (!api.state_.hidden_schemes.count(scheme.guid)) api.state_.schemes[scheme.guid] = scheme.name;
  }
  if (power->active.empty()) return make_error("{}: powercfg /list marks no scheme active", api.origin_);
  api.state_.active_scheme = power->active;
  for (const auto& setting : power->settings) {
    if (setting.ac) api.state_.power_values[{setting.scheme, setting.subgroup, setting.setting, true}] = *setting.ac;
    if (setting.dc) api.state_.power_values[{setting.scheme, setting.subgroup, setting.setting, false}] = *setting.dc;
  }
  return api;
}

Status RecordedWindowsApi::log(const std::string& call) const {
  calls_.push_back(call);
  for (const auto& prefix : failing_) {
    if (starts_with(call, prefix)) return make_error("{}: Access is denied. (recorded failure)", call);
  }
  return {};
}

std::vector<std::string> RecordedWindowsApi::writes() const {
  std::vector<std::string> out;
  for (const auto& call : calls_) {
    if (starts_with(call, "write_") || starts_with(call, "delete_") || starts_with(call, "set_") ||
        starts_with(call, "duplicate_") || starts_with(call, "add_") || starts_with(call, "remove_")) {
      out.push_back(call);
    }
  }
  return out;
}

Result<std::optional<RegistryValue>> RecordedWindowsApi::read_registry(const std::string& key, const std::string& name) const {
  TUNE_RETURN_IF_ERROR(log("read_registry " + key + "\\" + name));
  auto found = state_.registry.find(ascii_lower(key));
  if (found == state_.registry.end()) return std::optional<RegistryValue>();
  auto value = found->second.find(ascii_lower(name));
  if (value == found->second.end()) return std::optional<RegistryValue>();
  return std::optional<RegistryValue>(value->second);
}

Status RecordedWindowsApi::write_registry(const std::string& key, const std::string& name, const RegistryValue& value) {
  TUNE_RETURN_IF_ERROR(log("write_registry " + key + "\\" + name + " = " + show(value)));
  state_.registry[ascii_lower(key)][ascii_lower(name)] = value;
  return {};
}

Status RecordedWindowsApi::delete_registry(const std::string& key, const std::string& name) {
  TUNE_RETURN_IF_ERROR(log("delete_registry " + key + "\\" + name));
  auto found = state_.registry.find(ascii_lower(key));
  if (found != state_.registry.end()) found->second.erase(ascii_lower(name));
  return {};
}

Result<std::string> RecordedWindowsApi::active_power_scheme() const {
  TUNE_RETURN_IF_ERROR(log("active_power_scheme"));
  return state_.active_scheme;
}

Status RecordedWindowsApi::set_active_power_scheme(const std::string& guid) {
  TUNE_RETURN_IF_ERROR(log("set_active_power_scheme " + guid));
  if (!state_.schemes.count(guid)) return make_error("PowerSetActiveScheme {}: The system cannot find the file specified.", guid);
  state_.active_scheme = guid;
  return {};
}

Result<std::vector<PowerScheme>> RecordedWindowsApi::power_schemes() const {
  TUNE_RETURN_IF_ERROR(log("power_schemes"));
  std::vector<PowerScheme> schemes;
  for (const auto& [guid, name] : state_.schemes) schemes.push_back({guid, name});
  return schemes;
}

Result<std::string> RecordedWindowsApi::duplicate_power_scheme(const std::string& source_guid) {
  TUNE_RETURN_IF_ERROR(log("duplicate_power_scheme " + source_guid));
  std::string name;
  if (auto it = state_.schemes.find(source_guid); it != state_.schemes.end()) name = it->second;
  else if (auto hidden = state_.hidden_schemes.find(source_guid); hidden != state_.hidden_schemes.end()) name = hidden->second;
  else return make_error("PowerDuplicateScheme {}: The system cannot find the file specified.", source_guid);
  // A new GUID, as Windows makes one; recognisable in the tests' logs.
  const std::string copy = fmt::format("{:08x}-0000-4000-8000-00000000c0de", ++copies_);
  state_.schemes[copy] = name;
  std::vector<std::pair<std::tuple<std::string, std::string, std::string, bool>, uint32_t>> copied;
  for (const auto& [where, value] : state_.power_values) {
    if (std::get<0>(where) == source_guid) copied.push_back({{copy, std::get<1>(where), std::get<2>(where), std::get<3>(where)}, value});
  }
  for (const auto& [where, value] : copied) state_.power_values[where] = value;
  return copy;
}

Status RecordedWindowsApi::delete_power_scheme(const std::string& guid) {
  TUNE_RETURN_IF_ERROR(log("delete_power_scheme " + guid));
  if (!state_.schemes.count(guid)) return make_error("PowerDeleteScheme {}: The system cannot find the file specified.", guid);
  if (state_.active_scheme == guid) return make_error("PowerDeleteScheme {}: the active scheme cannot be deleted", guid);
  state_.schemes.erase(guid);
  for (auto it = state_.power_values.begin(); it != state_.power_values.end();) {
    it = std::get<0>(it->first) == guid ? state_.power_values.erase(it) : std::next(it);
  }
  return {};
}

Result<uint32_t> RecordedWindowsApi::read_power_value(const std::string& scheme, const std::string& subgroup,
                                                      const std::string& setting, PowerSource source) const {
  TUNE_RETURN_IF_ERROR(log(fmt::format("read_power_value {} {} {} {}", scheme, subgroup, setting, source_name(source))));
  auto found = state_.power_values.find({scheme, subgroup, setting, source == PowerSource::Ac});
  if (found == state_.power_values.end()) {
    return make_error("PowerRead{}ValueIndex {} {}: The system cannot find the file specified.", source_name(source), scheme, setting);
  }
  return found->second;
}

Status RecordedWindowsApi::write_power_value(const std::string& scheme, const std::string& subgroup, const std::string& setting,
                                             PowerSource source, uint32_t value) {
  TUNE_RETURN_IF_ERROR(log(fmt::format("write_power_value {} {} {} {} = {}", scheme, subgroup, setting, source_name(source), value)));
  if (!state_.schemes.count(scheme)) return make_error("PowerWrite{}ValueIndex {}: no such scheme", source_name(source), scheme);
  state_.power_values[{scheme, subgroup, setting, source == PowerSource::Ac}] = value;
  return {};
}

Result<std::optional<std::string>> RecordedWindowsApi::service_start_type(const std::string& name) const {
  TUNE_RETURN_IF_ERROR(log("service_start_type " + name));
  auto key = state_.registry.find(kServicesKey + ascii_lower(name));
  if (key == state_.registry.end()) return std::optional<std::string>();
  auto start = key->second.find("start");
  if (start == key->second.end()) return make_error("service {}: its key has no Start value", name);
  static const char* const kTypes[] = {"boot", "system", "auto", "manual", "disabled"};
  auto index = parse_integer(start->second.data);
  if (!index || *index < 0 || *index > 4) return make_error("service {}: Start is {}", name, start->second.data);
  if (*index == 2) {
    auto delayed = key->second.find("delayedautostart");
    if (delayed != key->second.end() && delayed->second.data == "1") return std::optional<std::string>("delayed-auto");
  }
  return std::optional<std::string>(kTypes[*index]);
}

Status RecordedWindowsApi::set_service_start_type(const std::string& name, const std::string& start_type) {
  TUNE_RETURN_IF_ERROR(log("set_service_start_type " + name + " " + start_type));
  auto key = state_.registry.find(kServicesKey + ascii_lower(name));
  if (key == state_.registry.end()) return make_error("OpenServiceW {}: The specified service does not exist as an installed service.", name);
  static const std::map<std::string, int> kStart = {{"boot", 0}, {"system", 1}, {"auto", 2}, {"delayed-auto", 2},
                                                   {"manual", 3}, {"disabled", 4}};
  auto start = kStart.find(start_type);
  if (start == kStart.end()) return make_error("service {}: '{}' is not a start type", name, start_type);
  key->second["start"] = {RegistryValue::Type::Dword, std::to_string(start->second)};
  // ChangeServiceConfig2W(SERVICE_CONFIG_DELAYED_AUTO_START_INFO) writes the
  // flag; for other start types the flag is left as it is (ignored by SCM).
  auto delayed = key->second.find("delayedautostart");
  if (start_type == "delayed-auto") key->second["delayedautostart"] = {RegistryValue::Type::Dword, "1"};
  else if (start_type == "auto" && delayed != key->second.end()) delayed->second.data = "0";
  return {};
}

Result<std::vector<std::string>> RecordedWindowsApi::account_rights(const std::string& account) const {
  TUNE_RETURN_IF_ERROR(log("account_rights " + account));
  auto found = state_.rights.find(ascii_lower(account));
  if (found == state_.rights.end()) return std::vector<std::string>();
  return std::vector<std::string>(found->second.begin(), found->second.end());
}

Status RecordedWindowsApi::add_account_right(const std::string& account, const std::string& right) {
  TUNE_RETURN_IF_ERROR(log("add_account_right " + account + " " + right));
  state_.rights[ascii_lower(account)].insert(right);
  return {};
}

Status RecordedWindowsApi::remove_account_right(const std::string& account, const std::string& right) {
  TUNE_RETURN_IF_ERROR(log("remove_account_right " + account + " " + right));
  auto found = state_.rights.find(ascii_lower(account));
  if (found != state_.rights.end()) {
    found->second.erase(right);
    // LsaRemoveAccountRights leaves no empty account behind.
    if (found->second.empty()) state_.rights.erase(found);
  }
  return {};
}

Result<std::vector<std::string>> RecordedWindowsApi::defender_exclusions() const {
  TUNE_RETURN_IF_ERROR(log("defender_exclusions"));
  std::vector<std::string> paths;
  for (const auto& [lower, path] : state_.defender_exclusions) paths.push_back(path);
  return paths;
}

Status RecordedWindowsApi::add_defender_exclusion(const std::string& path) {
  TUNE_RETURN_IF_ERROR(log("add_defender_exclusion " + path));
  // Add-MpPreference keeps the spelling of an exclusion already there.
  state_.defender_exclusions.emplace(ascii_lower(path), path);
  return {};
}

Status RecordedWindowsApi::remove_defender_exclusion(const std::string& path) {
  TUNE_RETURN_IF_ERROR(log("remove_defender_exclusion " + path));
  state_.defender_exclusions.erase(ascii_lower(path));
  return {};
}

}  // namespace tune::windows_platform
