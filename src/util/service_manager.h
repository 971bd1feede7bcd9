// ServiceManager: the door to the service manager (systemd), apart from
// System's door to files and the kernel. The units backend reads unit states
// and makes calls (reload, enable, restart) through it; a dry run substitutes
// a recorder, tests a fake, and where systemd is not PID 1 (containers, a
// tree given with --root) an offline door says so and refuses every call.
#pragma once

#include "util/result.h"

#include <memory>
#include <string>

namespace tune {

struct UnitStatus {
  std::string load_state;       // "loaded", "not-found", "masked"
  std::string active_state;     // "active", "inactive", "failed", "activating"...
  std::string unit_file_state;  // "enabled", "disabled", "static", "masked", "" (none)
};

class ServiceManager {
 public:
  virtual ~ServiceManager() = default;
  // Whether a service manager answers here.
  virtual bool running() const = 0;
  // "systemd (PID 1)", or why there is none ("systemd is not PID 1 here").
  virtual std::string describe() const = 0;
  virtual Result<UnitStatus> status(const std::string& unit) const = 0;
  // A property of a unit as systemd shows it: strings as they are, lists
  // joined by spaces, numbers in decimal ("Environment", "LimitNOFILE").
  virtual Result<std::string> property(const std::string& unit, const std::string& name) const = 0;

  // daemon-reload: load changed unit files.
  virtual Status reload() = 0;
  // Each waits for systemd's job to finish and fails when the unit does.
  virtual Status start(const std::string& unit) = 0;
  virtual Status stop(const std::string& unit) = 0;
  virtual Status restart(const std::string& unit) = 0;
  virtual Status enable(const std::string& unit) = 0;
  virtual Status disable(const std::string& unit) = 0;
};

// No service manager: reports why, refuses every call.
class OfflineServiceManager final : public ServiceManager {
 public:
  explicit OfflineServiceManager(std::string why) : why_(std::move(why)) {}
  bool running() const override { return false; }
  std::string describe() const override { return why_; }
  Result<UnitStatus> status(const std::string& unit) const override { return refuse(unit); }
  Result<std::string> property(const std::string& unit, const std::string&) const override { return refuse(unit); }
  Status reload() override { return refuse("daemon-reload"); }
  Status start(const std::string& unit) override { return refuse(unit); }
  Status stop(const std::string& unit) override { return refuse(unit); }
  Status restart(const std::string& unit) override { return refuse(unit); }
  Status enable(const std::string& unit) override { return refuse(unit); }
  Status disable(const std::string& unit) override { return refuse(unit); }

 private:
  Error refuse(const std::string& what) const { return make_error("{}: {}", what, why_); }
  std::string why_;
};

}  // namespace tune
