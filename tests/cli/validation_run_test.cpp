#include "cli/validation_run.h"

#include <gtest/gtest.h>

namespace tune::cli {
namespace {

// A fake host: decode runs at `level`, 10% slower while the change is in
// effect, and the whole host drifts down 2% with every block measured.
struct FakeHost {
  bool changed = false;
  int blocks = 0;
  int applies = 0;
  int rollbacks = 0;
  int fail_at_block = -1;  // measuring this block fails
  int fail_apply_at = -1;  // this apply fails

  Result<bench::BenchResult> measure(const std::string&) {
    if (blocks == fail_at_block) return make_error("the runner failed");
    const double host = 100 * (1 - 0.02 * blocks++);
    bench::BenchResult result;
    result.cpu = "fake";
    result.metrics.push_back({"decode_tokens_per_s", "decode", "tok/s", true,
                              {host * (changed ? 0.9 : 1.0), host * (changed ? 0.9 : 1.0) * 1.001}});
    return result;
  }
  StateSwitch switches() {
    return {[this]() -> Status {
              if (applies++ == fail_apply_at) return make_error("apply failed");
              changed = true;
              return {};
            },
            [this]() -> Status {
              ++rollbacks;
              changed = false;
              return {};
            }};
  }
};

ValidationPolicy policy(int pairs, int calibration) {
  ValidationPolicy p;
  p.pairs = pairs;
  p.calibration_pairs = calibration;
  return p;
}

TEST(ValidationRun, CalibratesThenAlternatesThePairsOrder) {
  FakeHost host;
  bool in_effect = false;
  auto measured = measure_validation(policy(7, 3), bench::Design::kInterleaved,
                                     [&](const std::string& what) { return host.measure(what); }, host.switches(),
                                     in_effect);
  ASSERT_TRUE(measured) << measured.error().message;
  EXPECT_EQ(measured->order, "w aa aa aa AB BA AB BA AB BA AB");
  EXPECT_EQ(measured->switches, 7) << "each switch serves two blocks";
  EXPECT_TRUE(in_effect) << "seven pairs end with the change in effect";
  EXPECT_TRUE(host.changed);
  ASSERT_EQ(measured->series.size(), 1u);
  const auto& decode = measured->series[0];
  EXPECT_EQ(decode.baseline.size(), 7u);
  EXPECT_EQ(decode.changed.size(), 7u);
  EXPECT_EQ(decode.calibration_first.size(), 3u);
  EXPECT_EQ(decode.calibration_second.size(), 3u);
  // Each block's value is the median of its runs.
  // Block 0 is the warm-up; each block's value is the median of its runs.
  EXPECT_DOUBLE_EQ(decode.calibration_first[0], 100 * (1 - 0.02) * 1.0005);
  // The merged results for the report hold one sample per block.
  ASSERT_EQ(measured->baseline.metrics.size(), 1u);
  EXPECT_EQ(measured->baseline.metrics[0].samples.size(), 7u);
  EXPECT_EQ(measured->baseline.repeat, 7);
}

TEST(ValidationRun, PairingRecoversTheChangeDespiteTheDrift) {
  FakeHost host;
  bool in_effect = false;
  auto measured = measure_validation(policy(8, 0), bench::Design::kInterleaved,
                                     [&](const std::string& what) { return host.measure(what); }, host.switches(),
                                     in_effect);
  ASSERT_TRUE(measured);
  EXPECT_FALSE(in_effect) << "eight pairs end in the baseline";
  bench::ValidationSettings settings;
  auto outcome = bench::judge_validation(measured->series, measured->design, settings);
  // 2% drift per block, 14 blocks: the blocks alone would blur a 10% loss.
  EXPECT_NEAR(outcome.metrics[0].change.change, -0.10, 0.005);
  EXPECT_EQ(outcome.verdict, bench::Decision::kWorse);
}

TEST(ValidationRun, ABlockedDesignSwitchesOnce) {
  FakeHost host;
  bool in_effect = false;
  auto measured = measure_validation(policy(6, 1), bench::Design::kBlocked,
                                     [&](const std::string& what) { return host.measure(what); }, host.switches(),
                                     in_effect);
  ASSERT_TRUE(measured);
  EXPECT_EQ(measured->order, "w aa AAAAAA BBBBBB");
  EXPECT_EQ(measured->switches, 1);
  EXPECT_TRUE(in_effect);
}

TEST(ValidationRun, AFailureHalfWaySaysWhetherTheChangeIsInEffect) {
  FakeHost host;
  host.fail_at_block = 3;  // after the warm-up, pair A B, then B of B A: measured with the change in effect
  bool in_effect = false;
  auto measured = measure_validation(policy(7, 0), bench::Design::kInterleaved,
                                     [&](const std::string& what) { return host.measure(what); }, host.switches(),
                                     in_effect);
  ASSERT_FALSE(measured);
  EXPECT_EQ(measured.error().message, "the runner failed");
  EXPECT_EQ(in_effect, host.changed);

  FakeHost refuses;
  refuses.fail_apply_at = 1;  // the second apply
  in_effect = false;
  auto stopped = measure_validation(policy(7, 0), bench::Design::kInterleaved,
                                    [&](const std::string& what) { return refuses.measure(what); },
                                    refuses.switches(), in_effect);
  ASSERT_FALSE(stopped);
  EXPECT_FALSE(in_effect);
  EXPECT_FALSE(refuses.changed);
}

TEST(ValidationRun, RestartsAndRebootsAreNotToggled) {
  Plan plan;
  Change sysctl;
  sysctl.domain = "sysctl";
  sysctl.target = "vm.swappiness";
  sysctl.action = Action::Modify;
  plan.changes.push_back(sysctl);
  EXPECT_TRUE(why_not_interleaved(plan).empty());
  Change restart;
  restart.domain = "systemd";
  restart.target = "restart ollama.service";
  restart.action = Action::Run;
  Change boot;
  boot.domain = "boot";
  boot.target = "transparent_hugepage";
  boot.action = Action::Modify;
  boot.needs_reboot = true;
  plan.changes.push_back(restart);
  plan.changes.push_back(boot);
  const auto reasons = why_not_interleaved(plan);
  ASSERT_EQ(reasons.size(), 2u);
  EXPECT_EQ(reasons[0], "ollama.service would be restarted at every switch");
  EXPECT_EQ(reasons[1], "boot transparent_hugepage takes effect at the next boot");
}

}  // namespace
}  // namespace tune::cli
