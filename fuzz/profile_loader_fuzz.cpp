// Fuzz the profile loader: any bytes must give a profile or a one-line error
// with a position, never a crash, a hang or a sanitizer report. A parsed
// profile is then pushed through variables and host specialisation, which
// work on what the parser let through.
#include "core/profile.h"
#include "core/profile_host.h"
#include "core/profile_variables.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto profile = tune::parse_profile(text, "fuzz.yaml");
  if (!profile) {
    if (profile.error().message.empty() || profile.error().message.find('\n') != std::string::npos) __builtin_trap();
    return 0;
  }
  tune::Profile resolved = *profile;
  if (!tune::substitute_variables(resolved)) return 0;
  const tune::FactMap facts = {{"os", "debian"}, {"numa.nodes", "2"}, {"cpu.cores", "8"}, {"arch", "x86_64"},
                               {"virtualization", "none"}, {"power.on_battery", "false"}};
  tune::HostProfile host = tune::specialize_for_host(resolved, facts, {"boot"});
  for (const auto& setting : host.profile.settings) {
    (void)setting.want.describe();
    (void)setting.want.satisfied_by("4096 87380 16777216");
    (void)setting.want.target_for("10");
  }
  return 0;
}
