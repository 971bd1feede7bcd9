// Fuzz the GGUF model reader: the header, the metadata and the tensor table,
// then the step that turns them into a model over the same bytes. Every
// count, length and offset comes from the file and must be checked.
#include "bench/gguf.h"
#include "bench/weight_storage.h"

#include <cstddef>
#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto file = tune::bench::parse_gguf(data, size);
  if (!file) return 0;
  auto storage = tune::bench::memory_storage(std::vector<uint8_t>(data, data + size));
  (void)tune::bench::llama_from_gguf(*file, storage, "model.gguf");
  return 0;
}
