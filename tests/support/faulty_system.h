// FaultySystem: a real rooted door that can be told to fail, or to pretend,
// on chosen paths, so tests can drive the engine's failure paths.
#pragma once

#include "support/rooted_door.h"

#include <map>
#include <set>
#include <string>

namespace tune::testing {

class FaultySystem final : public RootedDoor {
 public:
  explicit FaultySystem(const std::string& root) : RootedDoor(root) {}

  // write_attribute on this path fails as the kernel would with EINVAL.
  std::set<std::string> reject_writes;
  // write_attribute of this value to this path fails with EINVAL; others work.
  std::map<std::string, std::string> reject_value;
  // write_attribute on this path "succeeds" but the value does not change.
  std::set<std::string> ignore_writes;
  // append_durable fails after this many more calls (-1: never).
  int journal_appends_left = -1;

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
  std::string describe() const override { return "faulty " + inner_.describe(); }
};

}  // namespace tune::testing
