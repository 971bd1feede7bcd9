// tune bench compare: a verdict only when the change is outside the noise,
// pointing the right way for metrics where lower is better; results survive
// their JSON form; the apply --validate policy on top.
#include "bench/compare.h"
#include "bench/report.h"
#include "bench/validate.h"

#include <gtest/gtest.h>

namespace tune::bench {
namespace {

BenchResult with(const std::vector<Metric>& metrics) {
  BenchResult r;
  r.model = "synthetic:tiny";
  r.weight_type = "f32";
  r.threads = 2;
  r.kernels = "avx2";
  r.kv_cache = "f16";
  r.metrics = metrics;
  return r;
}

Metric decode(std::vector<double> samples) { return {"decode_tokens_per_s", "decode", "tok/s", true, std::move(samples)}; }
Metric ttft(std::vector<double> samples) { return {"ttft_ms", "time to first token", "ms", false, std::move(samples)}; }

const MetricChange& only(const Comparison& c) {
  EXPECT_EQ(c.metrics.size(), 1u);
  return c.metrics.front();
}

TEST(Compare, AClearGainIsFaster) {
  auto c = compare_results(with({decode({50, 51, 49, 50.5, 50.2})}), with({decode({60, 61, 59, 60.4, 60.1})}));
  const MetricChange& m = only(c);
  EXPECT_EQ(m.verdict, Verdict::kFaster);
  EXPECT_NEAR(m.change, 0.2, 0.01);
  EXPECT_GT(m.interval.low, 0.1);
  EXPECT_LT(m.p_value, 0.05);
}

TEST(Compare, AChangeInsideTheNoiseIsNoChange) {
  auto c = compare_results(with({decode({50, 60, 45, 55, 52})}), with({decode({53, 58, 47, 61, 50})}));
  EXPECT_EQ(only(c).verdict, Verdict::kNoChange);
}

TEST(Compare, ASmallButConsistentShiftNeedsBothTestsToAgree) {
  // Every "after" sample is higher, but by less than the noise within each side.
  auto c = compare_results(with({decode({50, 52, 54, 56, 58})}), with({decode({50.5, 52.5, 54.5, 56.5, 58.5})}));
  EXPECT_EQ(only(c).verdict, Verdict::kNoChange);
}

TEST(Compare, LowerIsBetterForLatency) {
  auto slower = compare_results(with({ttft({10, 10.1, 9.9, 10.05, 9.95})}), with({ttft({12, 12.1, 11.9, 12.05, 11.95})}));
  EXPECT_EQ(only(slower).verdict, Verdict::kSlower);
  auto faster = compare_results(with({ttft({12, 12.1, 11.9, 12.05, 11.95})}), with({ttft({10, 10.1, 9.9, 10.05, 9.95})}));
  EXPECT_EQ(only(faster).verdict, Verdict::kFaster);
}

TEST(Compare, TooFewSamplesAreNotTested) {
  auto c = compare_results(with({decode({50, 51})}), with({decode({70, 71})}));
  EXPECT_EQ(only(c).verdict, Verdict::kNotTested);
}

TEST(Compare, ThreeAgainstThreeCanNeverClaimAChange) {
  // The smallest two-sided rank-test p for 3 vs 3 is 0.1.
  auto c = compare_results(with({decode({50, 51, 52})}), with({decode({90, 91, 92})}));
  EXPECT_EQ(only(c).verdict, Verdict::kNoChange);
}

TEST(Compare, AHigherConfidenceClaimsLess) {
  // 5 against 5, fully separated: p = 0.008, enough at 95% but not at 99.9%.
  const auto before = with({decode({50, 51, 49, 50.5, 50.2})});
  const auto after = with({decode({60, 61, 59, 60.4, 60.1})});
  EXPECT_EQ(only(compare_results(before, after, 0.95)).verdict, Verdict::kFaster);
  const Comparison strict = compare_results(before, after, 0.999);
  EXPECT_EQ(only(strict).verdict, Verdict::kNoChange);
  EXPECT_NE(render_comparison_text(strict).find("change [99.9% CI]"), std::string::npos);
}

TEST(Compare, WarnsWhenTheRunsDifferInMoreThanTheHost) {
  BenchResult before = with({decode({1, 2, 3})});
  BenchResult after = with({decode({1, 2, 3})});
  after.threads = 4;
  auto c = compare_results(before, after);
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_NE(c.warnings[0].find("threads differs"), std::string::npos);
}

TEST(Compare, WarnsWhenTheKeyValueCacheDiffers) {
  BenchResult before = with({decode({1, 2, 3})});
  BenchResult after = with({decode({1, 2, 3})});
  after.kv_cache = "f32";
  auto c = compare_results(before, after);
  ASSERT_EQ(c.warnings.size(), 1u);
  EXPECT_NE(c.warnings[0].find("key/value cache differs: f16 before, f32 after"), std::string::npos);
}

TEST(BenchResultJson, RoundTripsEveryMetricAndItsSamples) {
  BenchResult r = with({decode({50.5, 51.25}), ttft({10, 11, 12})});
  r.read_bandwidth_gbs = 21.5;
  r.notes = {"a note"};
  auto back = result_from_json(nlohmann::json::parse(result_to_json(r).dump()));
  ASSERT_TRUE(back) << back.error().message;
  ASSERT_EQ(back->metrics.size(), 2u);
  EXPECT_EQ(back->metrics[0].samples, (std::vector<double>{50.5, 51.25}));
  EXPECT_FALSE(back->metrics[1].higher_is_better);
  EXPECT_EQ(back->model, "synthetic:tiny");
  EXPECT_EQ(back->kv_cache, "f16");
  EXPECT_DOUBLE_EQ(back->read_bandwidth_gbs, 21.5);
  EXPECT_EQ(back->notes, std::vector<std::string>{"a note"});
}

TEST(BenchResultJson, RefusesAFileThatIsNotAResult) {
  auto missing = result_from_json(nlohmann::json{{"hello", 1}});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("format"), std::string::npos);
  nlohmann::json bad = result_to_json(with({decode({1})}));
  bad["metrics"][0]["better"] = "sideways";
  auto wrong = result_from_json(bad);
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("metrics[0]"), std::string::npos);
}

TEST(Report, ComparisonTextShowsTheVerdictAndInterval) {
  auto c = compare_results(with({decode({50, 51, 49, 50.5, 50.2})}), with({decode({60, 61, 59, 60.4, 60.1})}));
  const std::string text = render_comparison_text(c);
  EXPECT_NE(text.find("faster"), std::string::npos);
  EXPECT_NE(text.find("+19.7%"), std::string::npos) << text;  // 60.1 / 50.2 - 1
  EXPECT_NE(render_comparison_markdown(c).find("| decode |"), std::string::npos);
  EXPECT_EQ(comparison_to_json(c)["metrics"][0]["verdict"], "faster");
}

}  // namespace
}  // namespace tune::bench
