#include "platform/linux/service_manager_sdbus.h"

#include <systemd/sd-bus.h>
#include <systemd/sd-daemon.h>

#include <chrono>
#include <cstring>
#include <thread>

namespace tune::linux_platform {
namespace {

constexpr const char* kDestination = "org.freedesktop.systemd1";
constexpr const char* kManagerPath = "/org/freedesktop/systemd1";
constexpr const char* kManager = "org.freedesktop.systemd1.Manager";
constexpr const char* kUnit = "org.freedesktop.systemd1.Unit";
constexpr auto kJobTimeout = std::chrono::seconds(120);

// Frees what sd-bus hands out, on every path.
struct BusError {
  sd_bus_error error = SD_BUS_ERROR_NULL;
  ~BusError() { sd_bus_error_free(&error); }
};
struct Message {
  sd_bus_message* message = nullptr;
  ~Message() { sd_bus_message_unref(message); }
};

Error bus_error(const std::string& what, int code, const sd_bus_error& error) {
  if (error.message != nullptr) return make_error("{}: {}", what, error.message);
  return make_error("{}: {}", what, std::strerror(-code));
}

class SdBusServiceManager final : public ServiceManager {
 public:
  explicit SdBusServiceManager(sd_bus* bus) : bus_(bus) {}
  ~SdBusServiceManager() override { sd_bus_flush_close_unref(bus_); }

  bool running() const override { return true; }
  std::string describe() const override { return "systemd (PID 1)"; }

  Result<UnitStatus> status(const std::string& unit) const override {
    auto path = unit_path(unit);
    if (!path) return path.error();
    UnitStatus status;
    TUNE_ASSIGN_OR_RETURN(status.load_state, string_property(*path, kUnit, "LoadState"));
    TUNE_ASSIGN_OR_RETURN(status.active_state, string_property(*path, kUnit, "ActiveState"));
    TUNE_ASSIGN_OR_RETURN(status.unit_file_state, string_property(*path, kUnit, "UnitFileState"));
    return status;
  }

  Result<std::string> property(const std::string& unit, const std::string& name) const override {
    auto path = unit_path(unit);
    if (!path) return path.error();
    // Service properties live on the type's interface; Unit ones on the Unit interface.
    const std::string type = unit.substr(unit.find_last_of('.') + 1);
    std::string interface = "org.freedesktop.systemd1." + std::string(1, static_cast<char>(std::toupper(type[0]))) +
                            type.substr(1);
    auto value = any_property(*path, interface.c_str(), name);
    if (!value) return any_property(*path, kUnit, name);
    return value;
  }

  Status reload() override {
    BusError error;
    Message reply;
    int r = sd_bus_call_method(bus_, kDestination, kManagerPath, kManager, "Reload", &error.error, &reply.message, "");
    if (r < 0) return bus_error("daemon-reload", r, error.error);
    return {};
  }

  Status start(const std::string& unit) override { return job("StartUnit", unit, "start"); }
  Status stop(const std::string& unit) override { return job("StopUnit", unit, "stop"); }
  Status restart(const std::string& unit) override { return job("RestartUnit", unit, "restart"); }

  Status enable(const std::string& unit) override {
    BusError error;
    Message reply;
    int r = sd_bus_call_method(bus_, kDestination, kManagerPath, kManager, "EnableUnitFiles", &error.error, &reply.message,
                               "asbb", 1, unit.c_str(), 0, 0);
    if (r < 0) return bus_error("enable " + unit, r, error.error);
    return reload();  // as systemctl does, so the new links are loaded
  }

  Status disable(const std::string& unit) override {
    BusError error;
    Message reply;
    int r = sd_bus_call_method(bus_, kDestination, kManagerPath, kManager, "DisableUnitFiles", &error.error,
                               &reply.message, "asb", 1, unit.c_str(), 0);
    if (r < 0) return bus_error("disable " + unit, r, error.error);
    return reload();
  }

 private:
  Result<std::string> unit_path(const std::string& unit) const {
    BusError error;
    Message reply;
    int r = sd_bus_call_method(bus_, kDestination, kManagerPath, kManager, "LoadUnit", &error.error, &reply.message, "s",
                               unit.c_str());
    if (r < 0) return bus_error(unit, r, error.error);
    const char* path = nullptr;
    r = sd_bus_message_read(reply.message, "o", &path);
    if (r < 0) return bus_error(unit, r, error.error);
    return std::string(path);
  }

  Result<std::string> string_property(const std::string& path, const char* interface, const char* name) const {
    BusError error;
    char* value = nullptr;
    int r = sd_bus_get_property_string(bus_, kDestination, path.c_str(), interface, name, &error.error, &value);
    if (r < 0) return bus_error(name, r, error.error);
    std::string text = value;
    free(value);
    return text;
  }

  // A property of any of the simple types, or a list of strings, as text.
  Result<std::string> any_property(const std::string& path, const char* interface, const std::string& name) const {
    BusError error;
    Message reply;
    int r = sd_bus_call_method(bus_, kDestination, path.c_str(), "org.freedesktop.DBus.Properties", "Get", &error.error,
                               &reply.message, "ss", interface, name.c_str());
    if (r < 0) return bus_error(name, r, error.error);
    char type = 0;
    const char* contents = nullptr;
    r = sd_bus_message_peek_type(reply.message, &type, &contents);
    if (r < 0 || type != SD_BUS_TYPE_VARIANT || contents == nullptr) return make_error("{}: not a variant", name);
    if ((r = sd_bus_message_enter_container(reply.message, SD_BUS_TYPE_VARIANT, contents)) < 0) {
      return bus_error(name, r, error.error);
    }
    const std::string signature = contents;
    if (signature == "s") {
      const char* text = nullptr;
      if ((r = sd_bus_message_read(reply.message, "s", &text)) < 0) return bus_error(name, r, error.error);
      return std::string(text);
    }
    if (signature == "as") {
      char** list = nullptr;
      if ((r = sd_bus_message_read_strv(reply.message, &list)) < 0) return bus_error(name, r, error.error);
      std::string joined;
      for (char** item = list; item && *item; ++item) {
        joined += (joined.empty() ? "" : " ") + std::string(*item);
        free(*item);
      }
      free(list);
      return joined;
    }
    if (signature == "t") {
      uint64_t number = 0;
      if ((r = sd_bus_message_read(reply.message, "t", &number)) < 0) return bus_error(name, r, error.error);
      return number == UINT64_MAX ? std::string("infinity") : std::to_string(number);
    }
    if (signature == "i" || signature == "u" || signature == "b") {
      uint32_t number = 0;
      if ((r = sd_bus_message_read_basic(reply.message, signature[0], &number)) < 0) return bus_error(name, r, error.error);
      if (signature == "i") return std::to_string(static_cast<int32_t>(number));
      if (signature == "b") return std::string(number ? "yes" : "no");
      return std::to_string(number);
    }
    return make_error("{}: tune does not read properties of type {}", name, signature);
  }

  // Queue a job and wait until systemd has run it; a unit that ends failed is an error.
  Status job(const char* method, const std::string& unit, const char* verb) {
    BusError error;
    Message reply;
    int r = sd_bus_call_method(bus_, kDestination, kManagerPath, kManager, method, &error.error, &reply.message, "ss",
                               unit.c_str(), "replace");
    if (r < 0) return bus_error(std::string(verb) + " " + unit, r, error.error);
    const char* job_path = nullptr;
    if ((r = sd_bus_message_read(reply.message, "o", &job_path)) < 0) return bus_error(unit, r, error.error);
    const std::string path = job_path;
    const auto deadline = std::chrono::steady_clock::now() + kJobTimeout;
    // The job's object goes away when the job is done.
    for (;;) {
      BusError gone;
      char* state = nullptr;
      r = sd_bus_get_property_string(bus_, kDestination, path.c_str(), "org.freedesktop.systemd1.Job", "State",
                                     &gone.error, &state);
      free(state);
      if (r < 0) break;
      if (std::chrono::steady_clock::now() > deadline) return make_error("{} {}: still running after 120 s", verb, unit);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    auto after = status(unit);
    if (!after) return after.error();
    if (after->active_state == "failed") return make_error("{} {}: the unit failed", verb, unit);
    return {};
  }

  sd_bus* bus_;
};

}  // namespace

std::unique_ptr<ServiceManager> connect_service_manager() {
  if (sd_booted() <= 0) return std::make_unique<OfflineServiceManager>("systemd is not PID 1 here");
  sd_bus* bus = nullptr;
  int r = sd_bus_open_system(&bus);
  if (r < 0) {
    return std::make_unique<OfflineServiceManager>(std::string("systemd's bus does not answer: ") + std::strerror(-r));
  }
  return std::make_unique<SdBusServiceManager>(bus);
}

}  // namespace tune::linux_platform
