// Loading a model file of either format the runner reads: GGUF (by its
// magic) or a llama2.c checkpoint (by its header agreeing with its size).
#pragma once

#include "bench/model.h"
#include "bench/weight_storage.h"

#include <string>

namespace tune::bench {

// Loads path into memory as options ask and builds the model. Errors start
// with the path.
Result<Model> load_model_file(const std::string& path, const LoadOptions& options);

// The same from bytes already in memory (tests, fuzzing).
Result<Model> load_model_bytes(std::shared_ptr<WeightStorage> storage, const std::string& name);

}  // namespace tune::bench
