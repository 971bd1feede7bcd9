// Fuzz the saved-plan reader (tune plan --save / tune apply --plan): a plan
// file is operator-supplied and may have been edited or tampered with.
#include "core/plan.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)tune::plan_from_text(text, "plan.json");
  return 0;
}
