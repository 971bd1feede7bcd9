// Reads HostFacts from /proc, /sys and /etc through System, so a captured
// tree (--root) reads the same as the live host.
#pragma once

#include "core/facts.h"
#include "util/system.h"

namespace tune {

HostFacts detect_host(const System& system);

// Just what names this machine: cheap, used to stamp and check plans.
HostIdentity detect_identity(const System& system);

}  // namespace tune
