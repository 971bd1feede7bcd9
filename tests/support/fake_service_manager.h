// FakeServiceManager: a service manager in memory for the units backend's
// tests: units with states, every call recorded in order, a call made to
// fail on demand, and daemon-reload counted.
#pragma once

#include "util/service_manager.h"

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace tune::testing {

class FakeServiceManager final : public ServiceManager {
 public:
  bool is_running = true;
  std::map<std::string, UnitStatus> units;  // absent: not-found
  std::vector<std::string> calls;           // "daemon-reload", "enable x.service", ...
  std::set<std::string> failing;            // calls that fail: "start x.service"
  // Asked before every call; an error fails the call (fault injection shared with a test door).
  std::function<Status(const std::string&)> before_call;

  bool running() const override { return is_running; }
  std::string describe() const override { return is_running ? "a fake systemd" : "systemd is not PID 1 here"; }
  Result<UnitStatus> status(const std::string& unit) const override {
    if (!is_running) return make_error("{}: systemd is not PID 1 here", unit);
    auto it = units.find(unit);
    if (it == units.end()) return UnitStatus{"not-found", "inactive", ""};
    return it->second;
  }
  Result<std::string> property(const std::string& unit, const std::string& name) const override {
    return make_error("{} {}: the fake keeps no properties", unit, name);
  }
  Status reload() override { return call("daemon-reload"); }
  Status start(const std::string& unit) override { return set(unit, "start", [](UnitStatus& s) { s.active_state = "active"; }); }
  Status stop(const std::string& unit) override { return set(unit, "stop", [](UnitStatus& s) { s.active_state = "inactive"; }); }
  Status restart(const std::string& unit) override {
    return set(unit, "restart", [](UnitStatus& s) { s.active_state = "active"; });
  }
  Status enable(const std::string& unit) override {
    return set(unit, "enable", [](UnitStatus& s) { s.unit_file_state = "enabled"; });
  }
  Status disable(const std::string& unit) override {
    return set(unit, "disable", [](UnitStatus& s) { s.unit_file_state = "disabled"; });
  }

 private:
  Status call(const std::string& what) {
    if (!is_running) return make_error("{}: systemd is not PID 1 here", what);
    if (before_call) TUNE_RETURN_IF_ERROR(before_call(what));
    calls.push_back(what);
    if (failing.count(what)) return make_error("{}: the unit failed", what);
    return {};
  }
  template <class Change>
  Status set(const std::string& unit, const std::string& verb, Change change) {
    TUNE_RETURN_IF_ERROR(call(verb + " " + unit));
    auto& status = units[unit];
    if (status.load_state.empty()) status = UnitStatus{"loaded", "inactive", "disabled"};
    change(status);
    return {};
  }
};

}  // namespace tune::testing
