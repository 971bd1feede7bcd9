// DryRunSystem: reads through to the real door, keeps every change in memory
// and records it. A dry run is the same code path as a real apply with this
// door substituted, so it can never silently do less than the real thing.
#pragma once

#include "util/system.h"

#include <map>

namespace tune {

struct RecordedAction {
  std::string verb;  // "write", "set", "windows", "append", "remove", "mkdir", "run", "allocate", "write-at", "swapon", "swapoff", "systemd", "ethtool"
  std::string path;  // or the command line for "run"
  std::string data;
};

class DryRunSystem final : public System {
 public:
  explicit DryRunSystem(const System& inner);
  ~DryRunSystem() override;

  Result<std::string> read_file(const std::string& path) const override;
  Result<FileInfo> stat(const std::string& path) const override;
  Result<std::vector<std::string>> list_dir(const std::string& path) const override;
  // A dry run makes no links: every link is the host's.
  Result<std::optional<std::string>> read_link(const std::string& path) const override {
    return inner_.read_link(path);
  }
  Status write_file(const std::string& path, std::string_view data, const FileAttrs& attrs) override;
  Status write_attribute(const std::string& path, std::string_view data) override;
  Status append_durable(const std::string& path, std::string_view data) override;
  Status remove_file(const std::string& path) override;
  Status make_dirs(const std::string& path, uint32_t mode) override;
  Status remove_empty_dir(const std::string& path) override;
  Status allocate_file(const std::string& path, uint64_t size, uint32_t mode) override;
  Status write_at(const std::string& path, uint64_t offset, std::string_view data) override;
  Status swap_on(const std::string& path, int priority) override;
  Status swap_off(const std::string& path) override;
  Result<std::string> read_nic(const std::string& interface, const std::string& group) const override;
  Status write_nic(const std::string& interface, const std::string& group, std::string_view changes) override;
  Result<ProcessResult> run(const std::vector<std::string>& argv) override;
  Result<ProcessResult> query(const std::vector<std::string>& argv) const override { return inner_.query(argv); }
  void note_setting(const std::string& id, const std::optional<std::string>& value) override { notes_[id] = value; }
  const std::optional<std::string>* noted_setting(const std::string& id) const override {
    auto it = notes_.find(id);
    return it == notes_.end() ? nullptr : &it->second;
  }
  Result<std::unique_ptr<LockHandle>> try_lock(const std::string& path) override;
  ServiceManager& services() const override { return *services_; }
  // Reads through to the host's; changes are recorded ("windows") and kept here.
  WindowsApi* windows() const override { return windows_.get(); }
  bool can_run_programs() const override { return inner_.can_run_programs(); }
  uint32_t effective_uid() const override { return inner_.effective_uid(); }
  bool may_change_host() const override { return true; }
  std::string describe() const override { return "dry run over " + inner_.describe(); }

  const std::vector<RecordedAction>& actions() const { return actions_; }

 private:
  struct Entry {
    bool removed = false;
    bool is_dir = false;
    std::string data;
    uint32_t mode = 0644;
    uint64_t size = 0;  // allocated files: their size (their zeros are not kept)
  };
  const Entry* find(const std::string& path) const;

  const System& inner_;
  std::map<std::string, Entry> overlay_;
  std::map<std::string, std::string> nic_overlay_;  // nic_state_path -> the group's text after the writes
  std::vector<RecordedAction> actions_;
  std::unique_ptr<ServiceManager> services_;  // records calls, and the states they would leave
  std::unique_ptr<WindowsApi> windows_;
  std::map<std::string, std::optional<std::string>> notes_;  // settings set through programs (see System)  // the same for the Windows API; nullptr where the host has none
};

}  // namespace tune
