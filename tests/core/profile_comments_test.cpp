#include "core/profile_comments.h"

#include <gtest/gtest.h>

namespace tune {
namespace {

const char* kProfile =
    "name: demo\n"                                   // 1
    "# ---- settings ----\n"                         // 2
    "sysctl:\n"                                      // 3
    "  # Bursty clients: deep queues.\n"             // 4
    "  # Both of them.\n"                            // 5
    "  net.core.somaxconn: 65535\n"                  // 6
    "  net.ipv4.tcp_max_syn_backlog: 65535\n"        // 7
    "  # Its own reason.\n"                          // 8
    "  vm.swappiness: 10  # and a note\n"            // 9
    "\n"                                             // 10
    "  vm.dirty_ratio: 10\n"                         // 11
    "block:\n"                                       // 12
    "  # NVMe: no scheduler in front.\n"             // 13
    "  nvme:\n"                                      // 14
    "    scheduler: none\n"                          // 15
    "    # Read ahead for sequential loads.\n"       // 16
    "    read_ahead_kb: 1024\n"                      // 17
    "limits:\n"                                      // 18
    "  \"*\":\n"                                     // 19
    "    nofile: { at_least: 65535 }\n"              // 20
    "    value: \"a # not a comment\"\n";            // 21

TEST(ProfileComments, TheCommentRightAboveAKeyIsItsReason) {
  EXPECT_EQ(comment_for_line(kProfile, 6), "Bursty clients: deep queues. Both of them.");
}

TEST(ProfileComments, AKeyInARunSharesTheCommentAboveTheRun) {
  EXPECT_EQ(comment_for_line(kProfile, 7), "Bursty clients: deep queues. Both of them.");
}

TEST(ProfileComments, ACommentAfterTheValueIsAdded) {
  EXPECT_EQ(comment_for_line(kProfile, 9), "Its own reason. and a note");
}

TEST(ProfileComments, ABlankLineEndsTheSearch) { EXPECT_EQ(comment_for_line(kProfile, 11), ""); }

TEST(ProfileComments, TheFirstKeyOfAScopeTakesTheScopesComment) {
  EXPECT_EQ(comment_for_line(kProfile, 15), "NVMe: no scheduler in front.");
  EXPECT_EQ(comment_for_line(kProfile, 17), "Read ahead for sequential loads.");
}

TEST(ProfileComments, ADomainHeadsBannerIsNotAReason) {
  EXPECT_EQ(comment_for_line(kProfile, 20), "");
}

TEST(ProfileComments, AHashInsideQuotesIsNotAComment) { EXPECT_EQ(comment_for_line(kProfile, 21), ""); }

TEST(ProfileComments, LinesOutsideTheTextHaveNoComment) {
  EXPECT_EQ(comment_for_line(kProfile, 0), "");
  EXPECT_EQ(comment_for_line(kProfile, 99), "");
}

}  // namespace
}  // namespace tune
