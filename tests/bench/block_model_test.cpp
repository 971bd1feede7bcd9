// Models in the block types end to end: a synthetic model of each type,
// written as GGUF and read back, gives the same logits as the model built in
// memory; a file mixing types per tensor (as Q4_K_M files do) loads and runs
// alike in every kernel set; types that do not fit a model's widths are
// refused with one line.
#include "bench/bench_test_util.h"
#include "bench/gguf.h"
#include "bench/kernels.h"
#include "bench/llama_layout.h"
#include "bench/model_file.h"
#include "bench/synthetic.h"
#include "bench/transformer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace tune::bench {
namespace {

// tiny's shape with widths of whole 256-value blocks, for the K-quants.
ModelConfig k_quant_config() {
  ModelConfig c = *synthetic_config("tiny");
  c.dim = 256;
  c.hidden_dim = 512;
  c.n_heads = 4;
  c.n_kv_heads = 2;
  return c;
}

ModelConfig config_for(WeightType type) {
  return block_values(type) == 256 ? k_quant_config() : *synthetic_config("tiny");
}

std::vector<float> prompt_logits(const Model& model, const Kernels& set) {
  ThreadPool pool({2, false});
  Transformer transformer(model, pool, 64, set);
  const std::vector<int> prompt = {5, 9, 200, 31, 7, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  transformer.forward(prompt, 0);  // a prompt: the batched products
  const std::vector<int> next = {42};
  return transformer.forward(next, static_cast<int>(prompt.size()));  // one decoded token
}

class BlockModel : public ::testing::TestWithParam<WeightType> {};

TEST_P(BlockModel, AWrittenModelReadBackGivesTheSameLogits) {
  testing::TempDir dir;
  const WeightType type = GetParam();
  const ModelConfig config = config_for(type);
  const Model original = build_synthetic(config, type, 3, "synthetic:test");
  const std::string path = dir.file("model.gguf");
  ASSERT_TRUE(write_synthetic_gguf(config, type, 3, "synthetic:test", path));
  auto loaded = load_model_file(path, {WeightMemory::kCopy, false});
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->type, type);
  EXPECT_EQ(loaded->layers[1].w_down.type, type);
  const auto want = prompt_logits(original, kernels());
  const auto got = prompt_logits(*loaded, kernels());
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) ASSERT_EQ(got[i], want[i]) << "logit " << i;
  // And the logits are a model's: finite, not all alike.
  float low = want[0], high = want[0];
  for (float v : want) {
    ASSERT_TRUE(std::isfinite(v));
    low = std::min(low, v);
    high = std::max(high, v);
  }
  EXPECT_GT(high - low, 1e-3f);
}

INSTANTIATE_TEST_SUITE_P(Types, BlockModel,
                         ::testing::Values(WeightType::kQ4_0, WeightType::kQ4_1, WeightType::kQ5_0,
                                           WeightType::kQ4_K, WeightType::kQ5_K, WeightType::kQ6_K,
                                           WeightType::kBF16),
                         [](const auto& test) { return std::string(weight_type_name(test.param)); });

// A file whose matrices take turns through every type, as llama.cpp's _M
// mixes do: it loads with each tensor's own type, and each kernel set runs
// it to about the scalar set's logits. Not to float order alone: a set that
// packs prompts multiplies the prompt's unquantized input where the others
// read it quantized to 8 bits (each value within 1/254 of its block's
// largest), so the logits may move by some tenths of a percent of their
// range; 1% of the largest catches a wrong product, which moves them by
// far more.
TEST(BlockModel, AFileMixingTypesPerTensorLoadsAndRuns) {
  testing::TempDir dir;
  const ModelConfig config = k_quant_config();
  const auto specs = llama_tensors(config, false);
  const std::vector<WeightType> cycle = {WeightType::kQ4_K, WeightType::kQ6_K, WeightType::kQ8_0, WeightType::kQ5_K,
                                         WeightType::kQ4_0, WeightType::kBF16, WeightType::kF16, WeightType::kQ5_0,
                                         WeightType::kQ4_1};
  GgufWriteSpec spec;
  spec.metadata = llama_metadata(config, "mixed");
  std::vector<WeightType> types;
  for (size_t i = 0; i < specs.size(); ++i) {
    types.push_back(specs[i].is_matrix ? cycle[i % cycle.size()] : WeightType::kF32);
    spec.tensors.push_back({specs[i].name, specs[i].dims, types.back()});
  }
  spec.fill = [&](size_t index, uint8_t* out, size_t) {
    const size_t cols = specs[index].dims[0];
    const size_t rows = specs[index].dims.size() > 1 ? specs[index].dims[1] : 1;
    std::vector<float> row(cols);
    for (size_t r = 0; r < rows; ++r) {
      for (size_t i = 0; i < cols; ++i) {
        const double phase = static_cast<double>(index * 7919 + r * 131 + i * 17);
        row[i] = specs[index].is_matrix ? static_cast<float>(std::sin(phase) / std::sqrt(static_cast<double>(cols)) * 2)
                                        : 1.0f;
      }
      quantize_row(types[index], row.data(), cols, out + r * row_bytes(types[index], cols));
    }
  };
  const std::string path = dir.file("mixed.gguf");
  ASSERT_TRUE(write_gguf(spec, path));
  auto loaded = load_model_file(path, {WeightMemory::kMmap, false});
  ASSERT_TRUE(loaded) << loaded.error().message;
  std::vector<WeightType> seen = {loaded->layers[0].wq.type, loaded->layers[0].wk.type, loaded->layers[0].wv.type,
                                  loaded->layers[0].wo.type, loaded->layers[0].w_gate.type,
                                  loaded->layers[0].w_down.type, loaded->layers[0].w_up.type};
  std::sort(seen.begin(), seen.end());
  EXPECT_GE(std::unique(seen.begin(), seen.end()) - seen.begin(), 5) << "one layer holds many types";
  const auto want = prompt_logits(*loaded, scalar_kernels());
  for (const Kernels* set : available_kernels()) {
    SCOPED_TRACE(set->name);
    const auto got = prompt_logits(*loaded, *set);
    float largest = 0;
    for (float v : want) largest = std::max(largest, std::fabs(v));
    for (size_t i = 0; i < want.size(); ++i) ASSERT_NEAR(got[i], want[i], 1e-2f * largest) << "logit " << i;
  }
}

TEST(BlockModel, KQuantsOfWidthsOutsideTheirBlocksAreRefusedInOneLine) {
  testing::TempDir dir;
  const auto status =
      write_synthetic_gguf(*synthetic_config("tiny"), WeightType::kQ4_K, 1, "synthetic:tiny", dir.file("x.gguf"));
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find("256-value blocks"), std::string::npos) << status.error().message;
  EXPECT_NE(status.error().message.find("synthetic:tiny"), std::string::npos) << status.error().message;
  EXPECT_EQ(status.error().message.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace tune::bench
