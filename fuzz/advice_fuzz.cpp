// Fuzz `tune audit`'s reader and judge: pasted advice of any shape.
#include "audit/audit.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto findings = tune::audit::audit_text(text, "fuzz.sh", nullptr);
  (void)tune::audit::render_text(findings);
  return 0;
}
