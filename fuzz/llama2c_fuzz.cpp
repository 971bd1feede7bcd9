// Fuzz the llama2.c checkpoint reader: it has no magic number, so its seven
// header numbers and the file size are all that stand between a damaged
// file and an out-of-bounds read.
#include "bench/llama2c.h"
#include "bench/weight_storage.h"

#include <cstddef>
#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto storage = tune::bench::memory_storage(std::vector<uint8_t>(data, data + size));
  (void)tune::bench::llama_from_llama2c(storage, "model.bin");
  return 0;
}
