// The forward pass on the tiny synthetic model against the test's own
// double-precision reference, for every weight type and every kernel set
// this CPU runs; and greedy decoding that never depends on the thread count.
#include "bench/transformer.h"
#include "bench/reference_model.h"
#include "bench/synthetic.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <set>

namespace tune::bench {
namespace {

Model tiny(WeightType type, uint64_t seed = 7) {
  return build_synthetic(*synthetic_config("tiny"), type, seed, "synthetic:tiny");
}

const std::vector<int> kPrompt = {1, 17, 42, 99, 5, 260, 3, 128, 77, 11};
// Long enough for the sets that multiply a prompt from its packed form
// (Kernels::packed_min_tokens), over one whole group of kPackedGroup tokens
// and a part of the next.
const std::vector<int> kLongPrompt = [] {
  std::vector<int> prompt;
  for (int i = 0; i < kPackedGroup + 8; ++i) prompt.push_back((i * 37 + 3) % 256);
  return prompt;
}();
// Positions for the long prompt and 24 generated tokens.
constexpr int kContext = 128;

// Largest |runner - reference| over the logits, relative to the logits' RMS.
double relative_error(const std::vector<float>& got, const std::vector<double>& want) {
  double rms = 0, worst = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    rms += want[i] * want[i];
    worst = std::max(worst, std::fabs(static_cast<double>(got[i]) - want[i]));
  }
  return worst / std::sqrt(rms / static_cast<double>(want.size()));
}

double bound_for(WeightType type) {
  // f32 and f16 weights are used as stored: only float rounding differs.
  // q8_0 also quantizes the activations to 8 bits per 32-value block
  // (measured on tiny: 7e-7 for f32 and f16, 0.044 for q8_0).
  return type == WeightType::kQ8_0 ? 0.1 : 2e-5;
}

class ForwardPass : public ::testing::TestWithParam<WeightType> {};

TEST_P(ForwardPass, PromptLogitsMatchTheDoubleReference) {
  const Model model = tiny(GetParam());
  for (const auto& prompt : {kPrompt, kLongPrompt}) {
    SCOPED_TRACE(std::to_string(prompt.size()) + " tokens");
    const auto want = testing::ReferenceModel(model).logits_after(prompt);
    ThreadPool pool({2, false});
    Transformer transformer(model, pool, kContext);
    const auto& got = transformer.forward(prompt, 0);
    EXPECT_LT(relative_error(got, want), bound_for(GetParam()));
  }
}

TEST_P(ForwardPass, DecodeStepsMatchTheDoubleReference) {
  const Model model = tiny(GetParam());
  testing::ReferenceModel reference(model);
  ThreadPool pool({2, false});
  Transformer transformer(model, pool, 64);
  // One token at a time, the decode path (matrix-vector) all the way.
  std::vector<float> got;
  for (size_t i = 0; i < kPrompt.size(); ++i) got = transformer.forward(std::span(&kPrompt[i], 1), static_cast<int>(i));
  EXPECT_LT(relative_error(got, reference.logits_after(kPrompt)), bound_for(GetParam()));
}

TEST_P(ForwardPass, EveryKernelSetGivesTheSameLogitsWithinTheBound) {
  const Model model = tiny(GetParam());
  for (const auto& prompt : {kPrompt, kLongPrompt}) {
    const auto want = testing::ReferenceModel(model).logits_after(prompt);
    for (const Kernels* set : available_kernels()) {
      SCOPED_TRACE(std::string(set->name) + ", " + std::to_string(prompt.size()) + " tokens");
      ThreadPool pool({1, false});
      Transformer transformer(model, pool, kContext, *set);
      EXPECT_LT(relative_error(transformer.forward(prompt, 0), want), bound_for(GetParam()));
    }
  }
}

TEST_P(ForwardPass, GreedyTokensAreIdenticalForOneTwoAndThreeThreads) {
  const Model model = tiny(GetParam());
  for (const auto& prompt : {kPrompt, kLongPrompt}) {
    SCOPED_TRACE(std::to_string(prompt.size()) + " tokens");
    std::vector<std::vector<int>> runs;
    for (int threads : {1, 2, 3}) {
      ThreadPool pool({threads, false});
      Transformer transformer(model, pool, kContext);
      runs.push_back(generate_greedy(transformer, prompt, 24));
    }
    EXPECT_EQ(runs[0].size(), 24u);
    EXPECT_EQ(runs[0], runs[1]);
    EXPECT_EQ(runs[0], runs[2]);
  }
}

INSTANTIATE_TEST_SUITE_P(WeightTypes, ForwardPass,
                         ::testing::Values(WeightType::kF32, WeightType::kF16, WeightType::kQ8_0),
                         [](const auto& test) { return std::string(weight_type_name(test.param)); });

// An f16 key/value cache rounds every cached key and value to 11
// significant bits; the logits move by that much more than float rounding
// alone (measured on tiny with f32 weights: 7.7e-4, against 7e-7).
constexpr double kF16CacheBound = 5e-3;

TEST(ForwardPassF16Cache, DecodeStepsMatchTheDoubleReferenceWithinTheCacheRounding) {
  const Model model = tiny(WeightType::kF32);
  testing::ReferenceModel reference(model);
  ThreadPool pool({2, false});
  Transformer transformer(model, pool, 64, kernels(), KvCache::kF16);
  EXPECT_EQ(transformer.kv_cache(), KvCache::kF16);
  std::vector<float> got;
  for (size_t i = 0; i < kPrompt.size(); ++i) got = transformer.forward(std::span(&kPrompt[i], 1), static_cast<int>(i));
  const double error = relative_error(got, reference.logits_after(kPrompt));
  EXPECT_LT(error, kF16CacheBound);
  // And the cache really is rounded: an f32 cache lands much closer.
  Transformer exact(model, pool, 64);
  std::vector<float> exact_logits;
  for (size_t i = 0; i < kPrompt.size(); ++i)
    exact_logits = exact.forward(std::span(&kPrompt[i], 1), static_cast<int>(i));
  EXPECT_LT(relative_error(exact_logits, reference.logits_after(kPrompt)), error);
}

TEST(ForwardPassF16Cache, EveryKernelSetAndThreadCountGivesTheSameTokens) {
  const Model model = tiny(WeightType::kF32);
  for (const auto& prompt : {kPrompt, kLongPrompt}) {
    SCOPED_TRACE(std::to_string(prompt.size()) + " tokens");
    const auto want = testing::ReferenceModel(model).logits_after(prompt);
    std::vector<std::vector<int>> runs;
    for (const Kernels* set : available_kernels()) {
      SCOPED_TRACE(set->name);
      ThreadPool pool({1, false});
      Transformer transformer(model, pool, kContext, *set, KvCache::kF16);
      EXPECT_LT(relative_error(transformer.forward(prompt, 0), want), kF16CacheBound);
    }
    for (int threads : {1, 2, 3}) {
      ThreadPool pool({threads, false});
      Transformer transformer(model, pool, kContext, kernels(), KvCache::kF16);
      runs.push_back(generate_greedy(transformer, prompt, 24));
    }
    EXPECT_EQ(runs[0], runs[1]);
    EXPECT_EQ(runs[0], runs[2]);
  }
}

TEST(KvCacheNames, RoundTripAndRejectUnknown) {
  for (KvCache cache : {KvCache::kF32, KvCache::kF16}) EXPECT_EQ(parse_kv_cache(kv_cache_name(cache)), cache);
  EXPECT_FALSE(parse_kv_cache("q8_0").has_value());
}

TEST(ForwardPass, GreedyTokensAreNotAllTheSame) {
  // A model whose output ignored its input would pass the tests above.
  const Model model = tiny(WeightType::kF32);
  ThreadPool pool({1, false});
  Transformer transformer(model, pool, 64);
  const auto tokens = generate_greedy(transformer, kPrompt, 24);
  std::set<int> distinct(tokens.begin(), tokens.end());
  EXPECT_GT(distinct.size(), 3u);
}

TEST(Argmax, ReturnsTheFirstIndexOfTheLargestLogit) {
  // Lengths around the 8-wide blocks, the largest value in the tail, ties.
  for (size_t n : {1u, 7u, 8u, 9u, 17u, 261u}) {
    std::vector<float> logits(n);
    for (size_t i = 0; i < n; ++i) logits[i] = -1.0f - static_cast<float>(i % 5);
    logits[n - 1] = 2.0f;
    EXPECT_EQ(argmax(logits), static_cast<int>(n - 1)) << "n " << n;
    if (n > 2) {
      logits[n / 2] = 2.0f;
      EXPECT_EQ(argmax(logits), static_cast<int>(n / 2)) << "n " << n;
    }
  }
}

TEST(Argmax, NeverChoosesANanAndHandlesAllNegativeLogits) {
  const float nan = std::nanf("");
  EXPECT_EQ(argmax({nan, -3.0f, -2.0f, nan, -5.0f, -4.0f, -9.0f, -8.0f, -7.0f}), 2);
  EXPECT_EQ(argmax({-1e30f, -1e38f, -std::numeric_limits<float>::infinity()}), 0);
}

}  // namespace
}  // namespace tune::bench
