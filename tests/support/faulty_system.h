// FaultySystem: a real rooted door that can be told to fail, or to pretend,
// on chosen paths, so tests can drive the engine's failure paths.
#pragma once

#include "util/local_system.h"

#include <map>
#include <set>
#include <string>

namespace tune::testing {

class FaultySystem final : public System {
 public:
  explicit FaultySystem(const std::string& root) : inner_(root) {}

  // write_attribute on this path fails as the kernel would with EINVAL.
  std::set<std::string> reject_writes;
  // write_attribute of this value to this path fails with EINVAL; others work.
  std::map<std::string, std::string> reject_value;
  // write_attribute on this path "succeeds" but the value does not change.
  std::set<std::string> ignore_writes;
  // append_durable fails after this many more calls (-1: never).
  int journal_appends_left = -1;

  Result<std::string> read_file(const std::string& path) const override { return inner_.read_file(path); }
  Result<FileInfo> stat(const std::string& path) const override { return inner_.stat(path); }
  Result<std::vector<std::string>> list_dir(const std::string& path) const override { return inner_.list_dir(path); }
  Status write_file(const std::string& path, std::string_view data, const FileAttrs& attrs) override {
    return inner_.write_file(path, data, attrs);
  }
  Status write_attribute(const std::string& path, std::string_view data) override {
    auto rejected = reject_value.find(path);
    if (reject_writes.count(path) || (rejected != reject_value.end() && rejected->second == data)) {
      return make_error("writing {}: Invalid argument", path);
    }
    if (ignore_writes.count(path)) return {};
    return inner_.write_attribute(path, data);
  }
  Status append_durable(const std::string& path, std::string_view data) override {
    if (journal_appends_left == 0) return make_error("writing {}: No space left on device", path);
    if (journal_appends_left > 0) --journal_appends_left;
    return inner_.append_durable(path, data);
  }
  Status remove_file(const std::string& path) override { return inner_.remove_file(path); }
  Status make_dirs(const std::string& path, uint32_t mode) override { return inner_.make_dirs(path, mode); }
  Status remove_empty_dir(const std::string& path) override { return inner_.remove_empty_dir(path); }
  Status allocate_file(const std::string& path, uint64_t size, uint32_t mode) override {
    return inner_.allocate_file(path, size, mode);
  }
  Status write_at(const std::string& path, uint64_t offset, std::string_view data) override {
    return inner_.write_at(path, offset, data);
  }
  Status swap_on(const std::string& path, int priority) override { return inner_.swap_on(path, priority); }
  Status swap_off(const std::string& path) override { return inner_.swap_off(path); }
  Result<ProcessResult> run(const std::vector<std::string>& argv) override { return inner_.run(argv); }
  Result<std::unique_ptr<LockHandle>> try_lock(const std::string& path) override { return inner_.try_lock(path); }
  bool may_change_host() const override { return true; }
  std::string describe() const override { return "faulty " + inner_.describe(); }

 private:
  LocalSystem inner_;
};

}  // namespace tune::testing
