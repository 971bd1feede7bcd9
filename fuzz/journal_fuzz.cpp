// Fuzz the transaction journal reader: a journal may be cut short by a
// crash or damaged on disk, and rollback must still fail with a message.
#include "core/journal.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)tune::parse_transaction(text, "00000001.journal");
  return 0;
}
