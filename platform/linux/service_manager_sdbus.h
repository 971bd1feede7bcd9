// The service manager door over libsystemd's sd-bus: systemd's Manager
// interface on the system bus, as systemctl uses it.
#pragma once

#include "util/service_manager.h"

#include <memory>

namespace tune::linux_platform {

// systemd's door where systemd is PID 1 and its bus answers; else an offline
// door that says why.
std::unique_ptr<ServiceManager> connect_service_manager();

}  // namespace tune::linux_platform
