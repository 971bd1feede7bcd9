// Facts of a Mac, from the programs macOS answers with (it has no /proc or
// /sys): `sysctl` for the CPU, its performance and efficiency cores, memory
// and OS version; `pmset -g batt` for the power source; `ioreg -rc
// AGXAccelerator -d1` for the Apple GPU and its cores. The parsers are
// portable and tested on Linux with outputs written from the documented
// formats (tests/fixtures/macos/README.md).
#pragma once

#include "core/facts.h"
#include "util/system.h"

#include <map>
#include <string>

namespace tune {

// "name: value" lines as `sysctl NAME...` prints them (also `sysctl -a`);
// a value may continue over several lines (kern.version), whose extra lines
// are joined with a space. Lines that are neither are counted in *malformed.
std::map<std::string, std::string> parse_sysctl_output(const std::string& text, int* malformed = nullptr);

// From the inputs each program printed (empty when it could not be run),
// the facts of the Mac; malformed values become warnings in facts.
struct MacInputs {
  std::string sysctl;        // sysctl hw machdep kern.osproductversion kern.hostname kern.osversion ...
  std::string pmset_batt;    // pmset -g batt
  std::string ioreg_gpu;     // ioreg -rc AGXAccelerator -d1
  std::string sw_vers;       // sw_vers (ProductName, ProductVersion, BuildVersion)
};
HostFacts macos_facts(const MacInputs& inputs);

// Runs the programs through System::run and reads their output; a program
// that cannot run or fails is a warning, the facts it gives stay unknown.
HostFacts detect_macos_host(const System& system);

// Just what names the Mac (kern.hostname, kern.uuid, kern.osrelease), as
// detect_identity stamps and checks plans.
HostIdentity detect_macos_identity(const System& system);

}  // namespace tune
