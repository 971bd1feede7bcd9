// Want: exact values, bounds and alternatives against live values.
#include "core/profile.h"

#include <gtest/gtest.h>

namespace tune {
namespace {

Want want(Want::Op op, std::vector<std::string> values) { return Want{op, std::move(values)}; }

TEST(Want, ExactComparesNormalisedText) {
  Want exact = want(Want::Op::Exact, {"4096  87380 16777216"});
  EXPECT_TRUE(exact.satisfied_by("4096\t87380\t16777216\n"));
  EXPECT_FALSE(exact.satisfied_by("4096 87380 6291456"));
  EXPECT_EQ(exact.target_for("anything"), "4096 87380 16777216");
  EXPECT_EQ(exact.describe(), "4096 87380 16777216");
}

TEST(Want, AtLeastRaisesOnlyWhatIsBelow) {
  Want bound = want(Want::Op::AtLeast, {"4096 87380 16777216"});
  EXPECT_FALSE(bound.satisfied_by("4096 131072 6291456"));
  // Each field separately: the live default 131072 stays, the maximum rises.
  EXPECT_EQ(bound.target_for("4096 131072 6291456"), "4096 131072 16777216");
  EXPECT_TRUE(bound.satisfied_by("8192 131072 33554432"));
  EXPECT_EQ(bound.describe(), "at least 4096 87380 16777216");
}

TEST(Want, AtMostLowersOnlyWhatIsAbove) {
  Want bound = want(Want::Op::AtMost, {"20"});
  EXPECT_TRUE(bound.satisfied_by("10"));
  EXPECT_FALSE(bound.satisfied_by("60"));
  EXPECT_EQ(bound.target_for("60"), "20");
  EXPECT_EQ(bound.target_for("10"), "10");
}

TEST(Want, BoundsWithAMismatchedOrUnreadableLiveValueUseTheBound) {
  Want bound = want(Want::Op::AtLeast, {"65535"});
  EXPECT_FALSE(bound.satisfied_by("n/a"));
  EXPECT_EQ(bound.target_for("n/a"), "65535");
  EXPECT_EQ(bound.target_for("1 2"), "65535");
}

TEST(Want, NumbersBeyondSixtyFourBitsCompareExactly) {
  Want bound = want(Want::Op::AtLeast, {"18446744073692774399"});
  EXPECT_TRUE(bound.satisfied_by("18446744073709551615"));
  EXPECT_FALSE(bound.satisfied_by("4294967295"));
  EXPECT_EQ(bound.target_for("4294967295"), "18446744073692774399");
}

TEST(Want, UnlimitedIsAboveEveryNumber) {
  Want bound = want(Want::Op::AtLeast, {"65535"});
  EXPECT_TRUE(bound.satisfied_by("unlimited"));
  EXPECT_EQ(bound.target_for("unlimited"), "unlimited");
  Want cap = want(Want::Op::AtMost, {"65535"});
  EXPECT_FALSE(cap.satisfied_by("infinity"));
  EXPECT_EQ(cap.target_for("infinity"), "65535");
}

TEST(Want, NegativeNumbersCompareAsNumbers) {
  Want bound = want(Want::Op::AtLeast, {"-1"});
  EXPECT_TRUE(bound.satisfied_by("950000"));
  EXPECT_TRUE(bound.satisfied_by("-1"));
}

TEST(Want, OneOfAcceptsAnyAndPicksTheFirst) {
  Want choice = want(Want::Op::OneOf, {"performance", "schedutil"});
  EXPECT_TRUE(choice.satisfied_by("schedutil\n"));
  EXPECT_FALSE(choice.satisfied_by("powersave"));
  EXPECT_EQ(choice.target_for("powersave"), "performance");
  EXPECT_EQ(choice.describe(), "one of performance, schedutil");
}

TEST(Want, OperatorNamesMatchTheFileFormat) {
  EXPECT_STREQ(want_op_name(Want::Op::Exact), "value");
  EXPECT_STREQ(want_op_name(Want::Op::AtLeast), "at_least");
  EXPECT_STREQ(want_op_name(Want::Op::AtMost), "at_most");
  EXPECT_STREQ(want_op_name(Want::Op::OneOf), "one_of");
}

}  // namespace
}  // namespace tune
