// RecordedWindowsApi: a Windows host in memory, loaded from what Windows
// tools print (a regedit export, `powercfg /list` and `/q` output) and a small
// machine description (machine.txt, tests/fixtures/windows/README.md). Writes
// change the model, so a later read sees them, and every call is logged: the
// tests run the Windows backend against it on any OS, and compare the whole
// state before an apply and after its rollback.
#pragma once

#include "util/windows_api.h"

#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace tune::windows_platform {

struct RecordedWindowsState {
  // Key paths and value names in lower case: the registry ignores case.
  std::map<std::string, std::map<std::string, RegistryValue>> registry;
  std::map<std::string, std::string> schemes;  // guid -> friendly name, the ones PowerEnumerate lists
  std::map<std::string, std::string> hidden_schemes;  // guid -> name: not listed, but can be copied
  std::string active_scheme;
  // (scheme, subgroup, setting, AC?) -> value index
  std::map<std::tuple<std::string, std::string, std::string, bool>, uint32_t> power_values;
  std::map<std::string, std::set<std::string>> rights;  // account (lower case) -> rights
  // Defender path exclusions: lower case (paths ignore case) -> as written.
  // Loaded from the export's Windows Defender\Exclusions\Paths key, where
  // Windows lists them as value names.
  std::map<std::string, std::string> defender_exclusions;
  WindowsMachine machine;

  bool operator==(const RecordedWindowsState& other) const;
  bool operator!=(const RecordedWindowsState& other) const { return !(*this == other); }
};

class RecordedWindowsApi final : public WindowsApi {
 public:
  // A fixture directory: registry.reg, powercfg.txt and machine.txt.
  static Result<RecordedWindowsApi> load(const std::string& dir);
  static Result<RecordedWindowsApi> from_text(const std::string& registry_export, const std::string& powercfg,
                                              const std::string& machine, std::string origin);

  Result<std::optional<RegistryValue>> read_registry(const std::string& key, const std::string& name) const override;
  Status write_registry(const std::string& key, const std::string& name, const RegistryValue& value) override;
  Status delete_registry(const std::string& key, const std::string& name) override;

  Result<std::string> active_power_scheme() const override;
  Status set_active_power_scheme(const std::string& guid) override;
  Result<std::vector<PowerScheme>> power_schemes() const override;
  Result<std::string> duplicate_power_scheme(const std::string& source_guid) override;
  Status delete_power_scheme(const std::string& guid) override;
  Result<uint32_t> read_power_value(const std::string& scheme, const std::string& subgroup, const std::string& setting,
                                    PowerSource source) const override;
  Status write_power_value(const std::string& scheme, const std::string& subgroup, const std::string& setting,
                           PowerSource source, uint32_t value) override;

  Result<std::optional<std::string>> service_start_type(const std::string& name) const override;
  Status set_service_start_type(const std::string& name, const std::string& start_type) override;

  Result<std::vector<std::string>> account_rights(const std::string& account) const override;
  Status add_account_right(const std::string& account, const std::string& right) override;
  Status remove_account_right(const std::string& account, const std::string& right) override;

  Result<std::vector<std::string>> defender_exclusions() const override;
  Status add_defender_exclusion(const std::string& path) override;
  Status remove_defender_exclusion(const std::string& path) override;

  Result<WindowsMachine> machine() const override { return state_.machine; }
  std::string describe() const override { return "recorded host " + origin_; }

  const RecordedWindowsState& state() const { return state_; }
  // Every call, in order: "write_registry HKLM\\...\\Name = 10".
  const std::vector<std::string>& calls() const { return calls_; }
  // Only the calls that change something.
  std::vector<std::string> writes() const;
  // Calls whose log line starts with prefix fail, as the real API would
  // (access denied), so the tests can see errors travel.
  void fail_calls(std::string prefix) { failing_.push_back(std::move(prefix)); }

 private:
  Status log(const std::string& call) const;

  RecordedWindowsState state_;
  std::string origin_;
  int copies_ = 0;
  mutable std::vector<std::string> calls_;
  std::vector<std::string> failing_;
};

}  // namespace tune::windows_platform
