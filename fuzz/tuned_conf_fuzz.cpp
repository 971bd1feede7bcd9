// Fuzz the TuneD reader and the conversion of one tuned.conf.
#include "import/tuned_import.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto sections = tune::import::parse_tuned_conf(text, "fuzz/tuned.conf");
  if (!sections) return 0;
  tune::import::TunedProfile profile;
  profile.name = "fuzz";
  for (auto& section : *sections) {
    if (section.name == "variables") profile.variables = section.options;
    else if (section.name != "main") profile.sections.push_back(section);
  }
  tune::import::ProfileWriter writer = tune::import::convert_tuned_profile(profile, "fuzz");
  // What the converter writes must always be a valid profile.
  const std::string yaml = writer.yaml();
  auto parsed = tune::parse_profile(yaml, "converted.yaml");
  if (!parsed) {
    // Say why before stopping, so CI's log alone shows the broken line.
    std::fprintf(stderr, "%s\n--- converted.yaml\n%s\n", parsed.error().message.c_str(), yaml.c_str());
    __builtin_trap();
  }
  return 0;
}
