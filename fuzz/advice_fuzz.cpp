// Fuzz `tune audit`'s reader and judge: pasted advice of any shape.
#include "audit/audit.h"
#include "audit/sarif.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  // Markdown or not is decided by the text (its fences), so one name does.
  auto findings = tune::audit::audit_text(text, "fuzz.sh", nullptr);
  (void)tune::audit::render_text(findings);
  // SARIF carries every field of every finding, as JSON does: it must
  // serialize whatever bytes the advice held.
  (void)tune::audit::render_sarif(findings, "fuzz").dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return 0;
}
