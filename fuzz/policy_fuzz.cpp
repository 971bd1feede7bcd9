// Fuzz the host policy reader (tune.toml).
#include "core/policy.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)tune::parse_policy(text, "tune.toml");
  return 0;
}
