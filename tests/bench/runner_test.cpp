// A whole benchmark run on the tiny model: every metric present with one
// sample per repetition, in each weight memory mode this host allows.
#include "bench/bench_test_util.h"
#include "bench/model_file.h"
#include "bench/runner.h"
#include "bench/synthetic.h"
#include "bench/weight_storage.h"

#include <gtest/gtest.h>

#include <fstream>

namespace tune::bench {
namespace {

BenchOptions tiny_run(const std::string& cache) {
  BenchOptions options;
  options.model = "synthetic:tiny";
  options.weight_type = WeightType::kQ8_0;
  options.threads = 2;
  options.pin = false;
  options.prompt_tokens = 12;
  options.generate_tokens = 6;
  options.repeat = 3;
  options.warmup = 0;
  options.probe_bytes = size_t{8} << 20;
  options.cache_dir = cache;
  return options;
}

TEST(Runner, MeasuresEveryMetricOncePerRepetition) {
  testing::TempDir dir;
  auto result = run_benchmark(tiny_run(dir.path()));
  ASSERT_TRUE(result) << result.error().message;
  for (const char* name : {"prefill_tokens_per_s", "decode_tokens_per_s", "ttft_ms", "itl_p50_ms", "itl_p99_ms",
                           "decode_bandwidth_gbs", "decode_roofline_pct", "prefill_fma_pct", "load_cold_ms",
                           "load_warm_ms"}) {
    const Metric* metric = result->metric(name);
    ASSERT_NE(metric, nullptr) << name;
    EXPECT_EQ(metric->samples.size(), 3u) << name;
    for (double v : metric->samples) EXPECT_GT(v, 0) << name;
  }
  EXPECT_NE(result->metric("peak_rss_mib"), nullptr);
  EXPECT_EQ(result->weight_type, "q8_0");
  EXPECT_GT(result->read_bandwidth_gbs, 0);
  EXPECT_GT(result->fma_gflops, 0);
  EXPECT_EQ(result->threads, 2);
  EXPECT_EQ(result->kv_cache, "f16");  // the default, as common CPU runners keep it
  // The synthetic model was written to the cache, once.
  EXPECT_TRUE(std::ifstream(result->model_file).good());
  EXPECT_EQ(result->model_file.rfind(dir.path(), 0), 0u);
}

TEST(Runner, RunsInEveryWeightMemoryModeThisHostAllows) {
  testing::TempDir dir;
  for (WeightMemory memory : {WeightMemory::kMmap, WeightMemory::kMmapPopulate, WeightMemory::kCopy, WeightMemory::kThp,
                              WeightMemory::kAuto}) {
    SCOPED_TRACE(std::string(weight_memory_name(memory)));
    BenchOptions options = tiny_run(dir.path());
    options.load.memory = memory;
    options.probes = false;
    options.cold_load = false;
    options.repeat = 1;
    auto result = run_benchmark(options);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_FALSE(result->weight_memory.empty());
    EXPECT_EQ(result->metric("decode_roofline_pct"), nullptr);  // no probe, no roofline share
  }
}

TEST(Runner, HugetlbWithoutReservedPagesIsAClearError) {
  std::ifstream meminfo("/proc/meminfo");
  std::string line;
  long free_pages = -1;
  while (std::getline(meminfo, line)) {
    if (line.rfind("HugePages_Free:", 0) == 0) free_pages = std::stol(line.substr(15));
  }
  if (free_pages != 0) GTEST_SKIP() << "this host has explicit huge pages free";
  testing::TempDir dir;
  BenchOptions options = tiny_run(dir.path());
  options.load.memory = WeightMemory::kHugetlb;
  options.probes = false;
  auto result = run_benchmark(options);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("vm.nr_hugepages"), std::string::npos) << result.error().message;
}

TEST(Runner, AContextLongerThanTheModelsIsRefused) {
  testing::TempDir dir;
  BenchOptions options = tiny_run(dir.path());
  options.prompt_tokens = 250;
  options.generate_tokens = 10;
  options.probes = false;
  auto result = run_benchmark(options);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("exceed the model's context of 256"), std::string::npos);
}

TEST(Runner, AnUnknownSyntheticSizeNamesTheKnownOnes) {
  testing::TempDir dir;
  BenchOptions options = tiny_run(dir.path());
  options.model = "synthetic:7b";
  auto result = run_benchmark(options);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("tiny, small, 15m, 110m, 1b"), std::string::npos);
}

TEST(Runner, RecordsTheTokensTheFirstRepetitionGenerated) {
  // The runner's tokens are those of greedy decoding over the same file and
  // prompt, in the runner's own cache type: what another runtime compares.
  testing::TempDir dir;
  BenchOptions options = tiny_run(dir.path());
  options.probes = false;
  options.cold_load = false;
  options.repeat = 2;
  options.warmup = 1;
  options.prompt = {3, 250, 17, 17, 1, 99};
  options.prompt_source = "prompt.txt";
  options.generate_tokens = 9;
  auto result = run_benchmark(options);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->prompt_tokens, 6);
  EXPECT_EQ(result->prompt_source, "prompt.txt");

  auto file = resolve_model_file(options);
  ASSERT_TRUE(file);
  auto model = load_model_file(*file, {});
  ASSERT_TRUE(model) << model.error().message;
  ThreadPool pool({2, false});
  Transformer transformer(*model, pool, 16, kernels(), options.kv_cache);
  EXPECT_EQ(result->tokens, generate_greedy(transformer, options.prompt, 9));

  const nlohmann::json json = result_to_json(*result);
  EXPECT_EQ(json["tokens"].get<std::vector<int>>(), result->tokens);
  EXPECT_EQ(json["workload"]["prompt"], "prompt.txt");
  auto read_back = result_from_json(json);
  ASSERT_TRUE(read_back) << read_back.error().message;
  EXPECT_EQ(read_back->tokens, result->tokens);
}

TEST(Runner, APromptDrawnFromTheSeedSaysSo) {
  testing::TempDir dir;
  BenchOptions options = tiny_run(dir.path());
  options.probes = false;
  options.cold_load = false;
  options.repeat = 1;
  auto result = run_benchmark(options);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->prompt_source, "seed");
  EXPECT_EQ(result->tokens.size(), 6u);
}

TEST(Runner, APromptTokenOutsideTheVocabularyIsAnErrorNamingItsPlace) {
  testing::TempDir dir;
  BenchOptions options = tiny_run(dir.path());
  options.probes = false;
  options.cold_load = false;
  options.prompt = {3, 4, 261};  // tiny's vocabulary is 261 tokens
  options.prompt_source = "prompt.txt";
  auto result = run_benchmark(options);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("prompt.txt: token 3 is id 261"), std::string::npos) << result.error().message;
}

TEST(Runner, ASyntheticModelIsTheSameBytesEveryTime) {
  testing::TempDir a, b;
  auto first = synthetic_model_file("tiny", WeightType::kF16, 5, a.path());
  auto second = synthetic_model_file("tiny", WeightType::kF16, 5, b.path());
  ASSERT_TRUE(first && second);
  std::ifstream x(*first, std::ios::binary), y(*second, std::ios::binary);
  const std::string bytes_a((std::istreambuf_iterator<char>(x)), {}), bytes_b((std::istreambuf_iterator<char>(y)), {});
  EXPECT_FALSE(bytes_a.empty());
  EXPECT_EQ(bytes_a, bytes_b);
}

}  // namespace
}  // namespace tune::bench
