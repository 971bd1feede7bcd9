// The reading helpers probes share.
#include "probe_harness.h"

#include <gtest/gtest.h>

namespace tune::testing {
namespace {

TEST(CountCpuList, CountsRangesAndSingles) {
  EXPECT_EQ(detect::count_cpu_list("0-3,8-11\n"), 8);
  EXPECT_EQ(detect::count_cpu_list("5"), 1);
  EXPECT_EQ(detect::count_cpu_list("0-1,4"), 3);
}

TEST(CountCpuList, MalformedListsAreUnknown) {
  EXPECT_FALSE(detect::count_cpu_list(""));
  EXPECT_FALSE(detect::count_cpu_list("3-1"));
  EXPECT_FALSE(detect::count_cpu_list("0-"));
  EXPECT_FALSE(detect::count_cpu_list("a-b"));
}

TEST(ProbeInteger, AbsentIsUnknownWithoutAWarning) {
  ProbeHarness h;
  EXPECT_FALSE(h.probe.integer("/sys/nothing"));
  EXPECT_TRUE(h.facts.warnings.empty());
}

TEST(ProbeInteger, GarbageIsUnknownWithAWarningNamingTheFile) {
  ProbeHarness h;
  h.tree.write("/sys/x/read_ahead_kb", "12\x01zz\n");
  EXPECT_FALSE(h.probe.integer("/sys/x/read_ahead_kb"));
  ASSERT_EQ(h.facts.warnings.size(), 1u);
  EXPECT_EQ(h.facts.warnings[0].rfind("/sys/x/read_ahead_kb: expected a whole number, found '12", 0), 0u)
      << h.facts.warnings[0];
}

TEST(ProbeFlag, OnlyZeroAndOneAreFlags) {
  ProbeHarness h;
  h.tree.write("/sys/a", "1\n");
  h.tree.write("/sys/b", "0");
  h.tree.write("/sys/c", "yes\n");
  EXPECT_EQ(h.probe.flag("/sys/a"), true);
  EXPECT_EQ(h.probe.flag("/sys/b"), false);
  EXPECT_FALSE(h.probe.flag("/sys/c"));
  EXPECT_TRUE(h.warned("/sys/c: expected 0 or 1, found 'yes'"));
}

}  // namespace
}  // namespace tune::testing
