// The _M mixes of synthetic models: which matrix gets which type (llama.cpp's
// rule), and that a q4_k_m file is written, read and run with each tensor in
// its own type.
#include "bench/type_mix.h"

#include "bench/bench_test_util.h"
#include "bench/model_file.h"
#include "bench/synthetic.h"

#include <gtest/gtest.h>

#include <string>

namespace tune::bench {
namespace {

TEST(TypeMix, NamesParseInAnyCaseAndUnknownMixesAreRefused) {
  auto medium = parse_synthetic_types("Q4_K_M");
  ASSERT_TRUE(medium);
  EXPECT_EQ(medium->base, WeightType::kQ4_K);
  EXPECT_EQ(medium->mix, TypeMix::kMedium);
  EXPECT_EQ(synthetic_types_name(*medium), "q4_k_m");
  EXPECT_EQ(parse_synthetic_types("q5_k_m")->base, WeightType::kQ5_K);
  auto uniform = parse_synthetic_types("q8_0");
  ASSERT_TRUE(uniform);
  EXPECT_EQ(uniform->mix, TypeMix::kUniform);
  EXPECT_EQ(synthetic_types_name(*uniform), "q8_0");
  EXPECT_FALSE(parse_synthetic_types("q3_k_m"));
  EXPECT_FALSE(parse_synthetic_types("q8_0_m"));
}

// llama.cpp's use_more_bits over 8 layers: the first eighth (0), the last
// (7), and every third between counted from the first eighth (3, 6).
TEST(TypeMix, TheMediumMixGivesQ6KWhereLlamaCppsQuantizerGivesMoreBits) {
  const SyntheticTypes q4_k_m{WeightType::kQ4_K, TypeMix::kMedium};
  for (int layer = 0; layer < 8; ++layer) {
    const bool more = layer == 0 || layer == 3 || layer == 6 || layer == 7;
    const std::string blk = "blk." + std::to_string(layer) + ".";
    const WeightType want = more ? WeightType::kQ6_K : WeightType::kQ4_K;
    EXPECT_EQ(matrix_type(q4_k_m, blk + "attn_v.weight", 8, false), want) << "layer " << layer;
    EXPECT_EQ(matrix_type(q4_k_m, blk + "ffn_down.weight", 8, false), want) << "layer " << layer;
    EXPECT_EQ(matrix_type(q4_k_m, blk + "attn_q.weight", 8, false), WeightType::kQ4_K);
    EXPECT_EQ(matrix_type(q4_k_m, blk + "ffn_up.weight", 8, false), WeightType::kQ4_K);
  }
  EXPECT_EQ(matrix_type(q4_k_m, "output.weight", 8, false), WeightType::kQ6_K);
  EXPECT_EQ(matrix_type(q4_k_m, "token_embd.weight", 8, false), WeightType::kQ4_K);
  // Tied, the embedding table is the classifier and gets the classifier's type.
  EXPECT_EQ(matrix_type(q4_k_m, "token_embd.weight", 8, true), WeightType::kQ6_K);
  // One type throughout leaves every matrix alone.
  const SyntheticTypes uniform{WeightType::kQ4_K, TypeMix::kUniform};
  EXPECT_EQ(matrix_type(uniform, "output.weight", 8, false), WeightType::kQ4_K);
  EXPECT_EQ(matrix_type(uniform, "blk.0.attn_v.weight", 8, false), WeightType::kQ4_K);
}

TEST(TypeMix, AQ4KMFileIsWrittenAndRunsWithEachTensorInItsOwnType) {
  testing::TempDir dir;
  auto config = synthetic_config("small");
  ASSERT_TRUE(config) << config.error().message;
  const std::string path = dir.file("q4_k_m.gguf");
  ASSERT_TRUE(write_synthetic_gguf(*config, SyntheticTypes{WeightType::kQ4_K, TypeMix::kMedium}, 1, "synthetic:small",
                                   path));
  auto model = load_model_file(path, {WeightMemory::kCopy, false});
  ASSERT_TRUE(model) << model.error().message;
  // small has two layers: use_more_bits picks layer 1 (the last eighth), not 0.
  EXPECT_EQ(model->layers[0].wv.type, WeightType::kQ4_K);
  EXPECT_EQ(model->layers[0].w_down.type, WeightType::kQ4_K);
  EXPECT_EQ(model->layers[1].wv.type, WeightType::kQ6_K);
  EXPECT_EQ(model->layers[1].w_down.type, WeightType::kQ6_K);
  EXPECT_EQ(model->layers[1].wq.type, WeightType::kQ4_K);
  EXPECT_EQ(model->classifier.type, WeightType::kQ6_K);
  EXPECT_EQ(model->token_embedding.type, WeightType::kQ4_K);
}

}  // namespace
}  // namespace tune::bench
