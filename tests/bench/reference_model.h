// A plain double-precision Llama forward pass written for the tests, apart
// from the runner's: it shares nothing with transformer.cpp but the weights
// (read through dequantize_row).
#pragma once

#include "bench/model.h"

#include <vector>

namespace tune::bench::testing {

class ReferenceModel {
 public:
  explicit ReferenceModel(const Model& model);
  // Logits after feeding `tokens` one after another from position 0.
  std::vector<double> logits_after(const std::vector<int>& tokens);

 private:
  std::vector<double> step(int token, int position);
  std::vector<double> matvec(const Matrix& m, const std::vector<double>& x) const;

  const Model& model_;
  std::vector<std::vector<std::vector<double>>> keys_, values_;  // layer, position, kv_dim
};

}  // namespace tune::bench::testing
