#include "bench/model_file.h"

#include "bench/gguf.h"
#include "bench/llama2c.h"

#include <cstring>

namespace tune::bench {

Result<Model> load_model_bytes(std::shared_ptr<WeightStorage> storage, const std::string& name) {
  uint32_t magic = 0;
  if (storage->size() >= 4) std::memcpy(&magic, storage->data(), 4);
  if (magic == kGgufMagic) {
    auto file = parse_gguf(storage->data(), storage->size());
    if (!file) return with_context(name, file.error());
    auto model = llama_from_gguf(*file, std::move(storage), name);
    if (!model) return with_context(name, model.error());
    return model;
  }
  auto model = llama_from_llama2c(std::move(storage), name);
  if (!model) {
    return with_context(name, Error{"not a GGUF file (no \"GGUF\" magic), and " + model.error().message});
  }
  return model;
}

Result<Model> load_model_file(const std::string& path, const LoadOptions& options) {
  std::shared_ptr<WeightStorage> storage;
  TUNE_ASSIGN_OR_RETURN(storage, load_weight_file(path, options));
  return load_model_bytes(std::move(storage), path);
}

}  // namespace tune::bench
