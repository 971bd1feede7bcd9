// Fuzz the host facts reader (tune detect --json output read back with
// --facts): fixtures and facts gathered on another machine.
#include "core/facts.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)tune::facts_from_json_text(text, "facts.json");
  return 0;
}
