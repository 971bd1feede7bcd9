#include "util/dry_run_system.h"

#include "util/nic_settings.h"

#include "util/swap_table.h"
#include "util/text.h"

#include <algorithm>
#include <set>

namespace tune {
namespace {

// Reads through to the host's service manager; records each call and keeps
// the state it would leave, so reading a unit back in a dry run shows it.
class RecordingServiceManager final : public ServiceManager {
 public:
  RecordingServiceManager(ServiceManager& inner, std::vector<RecordedAction>& actions)
      : inner_(inner), actions_(actions) {}

  bool running() const override { return inner_.running(); }
  std::string describe() const override { return inner_.describe(); }
  Result<UnitStatus> status(const std::string& unit) const override {
    auto status = inner_.status(unit);
    if (!status) return status;
    if (auto it = file_state_.find(unit); it != file_state_.end()) status->unit_file_state = it->second;
    if (auto it = active_state_.find(unit); it != active_state_.end()) status->active_state = it->second;
    return status;
  }
  Result<std::string> property(const std::string& unit, const std::string& name) const override {
    return inner_.property(unit, name);
  }
  Status reload() override { return record("daemon-reload", ""); }
  Status start(const std::string& unit) override { return record("start", unit, &active_state_, "active"); }
  Status stop(const std::string& unit) override { return record("stop", unit, &active_state_, "inactive"); }
  Status restart(const std::string& unit) override { return record("restart", unit, &active_state_, "active"); }
  Status enable(const std::string& unit) override { return record("enable", unit, &file_state_, "enabled"); }
  Status disable(const std::string& unit) override { return record("disable", unit, &file_state_, "disabled"); }

 private:
  // The same refusal the real call would meet where systemd does not run.
  Status record(const std::string& verb, const std::string& unit, std::map<std::string, std::string>* states = nullptr,
                const std::string& state = "") {
    if (!inner_.running()) return make_error("{}: {}", unit.empty() ? verb : unit, inner_.describe());
    actions_.push_back({"systemd", unit.empty() ? verb : verb + " " + unit, ""});
    if (states) (*states)[unit] = state;
    return {};
  }

  ServiceManager& inner_;
  std::vector<RecordedAction>& actions_;
  std::map<std::string, std::string> file_state_;
  std::map<std::string, std::string> active_state_;
};

// Reads through to the host's Windows API; records each change (verb
// "windows") and keeps the state it would leave, so reading it back in the
// dry run shows it while the host stays as it is.
class RecordingWindowsApi final : public WindowsApi {
 public:
  RecordingWindowsApi(WindowsApi& inner, std::vector<RecordedAction>& actions) : inner_(inner), actions_(actions) {}

  Result<std::optional<RegistryValue>> read_registry(const std::string& key, const std::string& name) const override {
    if (auto it = registry_.find(registry_address(key, name)); it != registry_.end()) return it->second;
    return inner_.read_registry(key, name);
  }
  Status write_registry(const std::string& key, const std::string& name, const RegistryValue& value) override {
    registry_[registry_address(key, name)] = value;
    return record("write_registry", key + "\\" + name, value.data);
  }
  Status delete_registry(const std::string& key, const std::string& name) override {
    registry_[registry_address(key, name)] = std::nullopt;
    return record("delete_registry", key + "\\" + name, "");
  }

  Result<std::string> active_power_scheme() const override {
    if (active_) return *active_;
    return inner_.active_power_scheme();
  }
  Status set_active_power_scheme(const std::string& guid) override {
    auto schemes = power_schemes();
    if (!schemes) return schemes.error();
    bool listed = std::any_of(schemes->begin(), schemes->end(), [&](const PowerScheme& s) { return s.guid == guid; });
    if (!listed) return make_error("PowerSetActiveScheme {}: no such scheme", guid);
    active_ = guid;
    return record("set_active_power_scheme", guid, "");
  }
  Result<std::vector<PowerScheme>> power_schemes() const override {
    auto schemes = inner_.power_schemes();
    if (!schemes) return schemes;
    schemes->erase(std::remove_if(schemes->begin(), schemes->end(),
                                  [&](const PowerScheme& s) { return deleted_.count(s.guid) > 0; }),
                   schemes->end());
    schemes->insert(schemes->end(), copies_.begin(), copies_.end());
    return schemes;
  }
  Result<std::string> duplicate_power_scheme(const std::string& source_guid) override {
    // The copy's GUID is Windows' to choose; the dry run names one that says what it is.
    std::string name = source_guid == "e9a42b02-d5df-448d-aa00-03f14749eb61" ? "Ultimate Performance" : "";
    if (auto schemes = inner_.power_schemes()) {
      for (const auto& scheme : *schemes) {
        if (scheme.guid == source_guid) name = scheme.name;
      }
    }
    PowerScheme copy{fmt::format("00000000-0000-0000-0000-{:012x}", copies_.size() + 1), name};
    copies_.push_back(copy);
    copied_from_[copy.guid] = source_guid;
    TUNE_RETURN_IF_ERROR(record("duplicate_power_scheme", source_guid, copy.guid));
    return copy.guid;
  }
  Status delete_power_scheme(const std::string& guid) override {
    copies_.erase(std::remove_if(copies_.begin(), copies_.end(), [&](const PowerScheme& s) { return s.guid == guid; }),
                  copies_.end());
    deleted_.insert(guid);
    return record("delete_power_scheme", guid, "");
  }
  Result<uint32_t> read_power_value(const std::string& scheme, const std::string& subgroup, const std::string& setting,
                                    PowerSource source) const override {
    if (auto it = power_values_.find(power_address(scheme, subgroup, setting, source)); it != power_values_.end()) {
      return it->second;
    }
    auto copied = copied_from_.find(scheme);
    return inner_.read_power_value(copied == copied_from_.end() ? scheme : copied->second, subgroup, setting, source);
  }
  Status write_power_value(const std::string& scheme, const std::string& subgroup, const std::string& setting,
                           PowerSource source, uint32_t value) override {
    power_values_[power_address(scheme, subgroup, setting, source)] = value;
    return record("write_power_value", power_address(scheme, subgroup, setting, source), std::to_string(value));
  }

  Result<std::optional<std::string>> service_start_type(const std::string& name) const override {
    if (auto it = start_types_.find(name); it != start_types_.end()) return std::optional<std::string>(it->second);
    return inner_.service_start_type(name);
  }
  Status set_service_start_type(const std::string& name, const std::string& start_type) override {
    auto current = inner_.service_start_type(name);
    if (!current) return current.error();
    if (!*current) return make_error("OpenServiceW {}: The specified service does not exist as an installed service.", name);
    start_types_[name] = start_type;
    return record("set_service_start_type", name, start_type);
  }

  Result<std::vector<std::string>> account_rights(const std::string& account) const override {
    auto rights = inner_.account_rights(account);
    if (!rights) return rights;
    std::set<std::string> held(rights->begin(), rights->end());
    for (const auto& [address, granted] : rights_) {
      if (address.first != account) continue;
      if (granted) held.insert(address.second);
      else held.erase(address.second);
    }
    return std::vector<std::string>(held.begin(), held.end());
  }
  Status add_account_right(const std::string& account, const std::string& right) override {
    rights_[{account, right}] = true;
    return record("add_account_right", account, right);
  }
  Status remove_account_right(const std::string& account, const std::string& right) override {
    rights_[{account, right}] = false;
    return record("remove_account_right", account, right);
  }

  Result<std::vector<std::string>> defender_exclusions() const override {
    auto paths = inner_.defender_exclusions();
    if (!paths) return paths;
    std::map<std::string, std::string> held;  // lower case -> as written: paths ignore case
    for (const auto& path : *paths) held.emplace(text_lower(path), path);
    for (const auto& [lower, change] : exclusions_) {
      if (change.second) held.emplace(lower, change.first);
      else held.erase(lower);
    }
    std::vector<std::string> out;
    for (const auto& [lower, path] : held) out.push_back(path);
    return out;
  }
  Status add_defender_exclusion(const std::string& path) override {
    exclusions_[text_lower(path)] = {path, true};
    return record("add_defender_exclusion", path, "");
  }
  Status remove_defender_exclusion(const std::string& path) override {
    exclusions_[text_lower(path)] = {path, false};
    return record("remove_defender_exclusion", path, "");
  }

  Result<WindowsMachine> machine() const override { return inner_.machine(); }
  std::string describe() const override { return inner_.describe(); }

 private:
  static std::string registry_address(const std::string& key, const std::string& name) {
    return text_lower(key) + "\\" + text_lower(name);
  }
  static std::string text_lower(std::string text) { return ascii_lower(std::move(text)); }
  static std::string power_address(const std::string& scheme, const std::string& subgroup, const std::string& setting,
                                   PowerSource source) {
    return scheme + "/" + subgroup + "/" + setting + (source == PowerSource::Ac ? "/AC" : "/DC");
  }
  Status record(const std::string& call, const std::string& what, const std::string& data) {
    actions_.push_back({"windows", call + " " + what, data});
    return {};
  }

  WindowsApi& inner_;
  std::vector<RecordedAction>& actions_;
  std::map<std::string, std::optional<RegistryValue>> registry_;
  std::optional<std::string> active_;
  std::vector<PowerScheme> copies_;
  std::map<std::string, std::string> copied_from_;
  std::set<std::string> deleted_;
  std::map<std::string, uint32_t> power_values_;
  std::map<std::string, std::string> start_types_;
  std::map<std::pair<std::string, std::string>, bool> rights_;
  std::map<std::string, std::pair<std::string, bool>> exclusions_;  // lower-case path -> (as written, added?)
};

}  // namespace

DryRunSystem::DryRunSystem(const System& inner)
    : inner_(inner),
      services_(std::make_unique<RecordingServiceManager>(inner.services(), actions_)),
      windows_(inner.windows() ? std::make_unique<RecordingWindowsApi>(*inner.windows(), actions_) : nullptr) {}

DryRunSystem::~DryRunSystem() = default;

const DryRunSystem::Entry* DryRunSystem::find(const std::string& path) const {
  auto it = overlay_.find(path);
  return it == overlay_.end() ? nullptr : &it->second;
}

Result<std::string> DryRunSystem::read_file(const std::string& path) const {
  if (const Entry* entry = find(path)) {
    if (entry->removed || entry->is_dir) return make_error("reading {}: No such file or directory", path);
    return entry->data;
  }
  return inner_.read_file(path);
}

Result<FileInfo> DryRunSystem::stat(const std::string& path) const {
  if (const Entry* entry = find(path)) {
    FileInfo info;
    if (entry->removed) return info;
    info.exists = true;
    info.is_dir = entry->is_dir;
    info.mode = entry->mode;
    info.size = entry->size ? entry->size : entry->data.size();
    info.uid = inner_.effective_uid();  // whoever runs tune would make it
    return info;
  }
  return inner_.stat(path);
}

Result<std::vector<std::string>> DryRunSystem::list_dir(const std::string& path) const {
  std::set<std::string> names;
  auto listed = inner_.list_dir(path);
  if (listed) names.insert(listed->begin(), listed->end());
  else if (!find(path)) return listed.error();
  const std::string prefix = path + "/";
  for (const auto& [entry_path, entry] : overlay_) {
    if (entry_path.rfind(prefix, 0) != 0) continue;
    std::string rest = entry_path.substr(prefix.size());
    if (rest.empty() || rest.find('/') != std::string::npos) continue;
    if (entry.removed) names.erase(rest);
    else names.insert(rest);
  }
  return std::vector<std::string>(names.begin(), names.end());
}

Status DryRunSystem::write_file(const std::string& path, std::string_view data, const FileAttrs& attrs) {
  overlay_[path] = Entry{false, false, std::string(data), attrs.mode};
  actions_.push_back({"write", path, std::string(data)});
  return {};
}

Status DryRunSystem::write_attribute(const std::string& path, std::string_view data) {
  // The attribute must exist for the real write to work; say so now as it would.
  auto info = stat(path);
  if (!info) return info.error();
  if (!info->exists) return make_error("opening {}: No such file or directory", path);
  overlay_[path] = Entry{false, false, std::string(data), info->mode};
  actions_.push_back({"set", path, std::string(data)});
  return {};
}

Status DryRunSystem::append_durable(const std::string& path, std::string_view data) {
  std::string current;
  if (auto existing = read_file(path)) current = std::move(*existing);
  overlay_[path] = Entry{false, false, current + std::string(data), 0600};
  actions_.push_back({"append", path, std::string(data)});
  return {};
}

Status DryRunSystem::remove_file(const std::string& path) {
  overlay_[path] = Entry{true, false, "", 0};
  actions_.push_back({"remove", path, ""});
  return {};
}

Status DryRunSystem::make_dirs(const std::string& path, uint32_t mode) {
  auto info = stat(path);
  if (info && info->exists) return {};
  overlay_[path] = Entry{false, true, "", mode};
  actions_.push_back({"mkdir", path, ""});
  return {};
}

Status DryRunSystem::remove_empty_dir(const std::string& path) {
  auto info = stat(path);
  if (!info || !info->exists || !info->is_dir) return {};
  auto entries = list_dir(path);
  if (!entries || !entries->empty()) return {};
  overlay_[path] = Entry{true, false, "", 0, 0};
  actions_.push_back({"rmdir", path, ""});
  return {};
}

Status DryRunSystem::allocate_file(const std::string& path, uint64_t size, uint32_t mode) {
  auto info = stat(path);
  if (!info) return info.error();
  if (info->exists) return make_error("creating {}: File exists", path);
  overlay_[path] = Entry{false, false, "", mode, size};
  actions_.push_back({"allocate", path, std::to_string(size) + " bytes"});
  return {};
}

Status DryRunSystem::write_at(const std::string& path, uint64_t offset, std::string_view data) {
  auto info = stat(path);
  if (!info) return info.error();
  if (!info->exists) return make_error("opening {}: No such file or directory", path);
  actions_.push_back({"write-at", path, std::to_string(data.size()) + " bytes at " + std::to_string(offset)});
  return {};
}

// The kernel's swap table is kept in the overlay, so reading it back after a
// swapon in a dry run shows what the real one would.
Result<std::string> DryRunSystem::read_nic(const std::string& interface, const std::string& group) const {
  auto it = nic_overlay_.find(nic_state_path(interface, group));
  if (it != nic_overlay_.end()) return it->second;
  return inner_.read_nic(interface, group);
}

Status DryRunSystem::write_nic(const std::string& interface, const std::string& group, std::string_view changes) {
  // Refused here as the driver would refuse it (a missing or fixed setting,
  // a count past its maximum), and read back as it would then read.
  auto current = read_nic(interface, group);
  if (!current) return current.error();
  auto merged = merge_nic_settings(*current, changes, "ethtool " + interface);
  if (!merged) return merged.error();
  nic_overlay_[nic_state_path(interface, group)] = *merged;
  actions_.push_back({"ethtool", interface + "/" + group, std::string(changes)});
  return {};
}

Status DryRunSystem::swap_on(const std::string& path, int priority) {
  auto table = modelled_swap_on(*this, path, priority);
  if (!table) return table.error();
  overlay_["/proc/swaps"] = Entry{false, false, *table, 0444, 0};
  actions_.push_back({"swapon", path, priority >= 0 ? "priority " + std::to_string(priority) : ""});
  return {};
}

Status DryRunSystem::swap_off(const std::string& path) {
  auto table = modelled_swap_off(*this, path);
  if (!table) return table.error();
  overlay_["/proc/swaps"] = Entry{false, false, *table, 0444, 0};
  actions_.push_back({"swapoff", path, ""});
  return {};
}

Result<ProcessResult> DryRunSystem::run(const std::vector<std::string>& argv) {
  std::string line;
  for (const auto& arg : argv) line += (line.empty() ? "" : " ") + arg;
  actions_.push_back({"run", line, ""});
  return ProcessResult{};
}

Result<std::unique_ptr<LockHandle>> DryRunSystem::try_lock(const std::string&) {
  // Nothing is changed, so nothing needs excluding.
  return std::make_unique<LockHandle>();
}

}  // namespace tune
