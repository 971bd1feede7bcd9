#include "util/text.h"

#include <gtest/gtest.h>

namespace tune {
namespace {

TEST(Text, NormalizeSpacesCollapsesKernelTabs) {
  EXPECT_EQ(normalize_spaces("4096\t87380\t6291456\n"), "4096 87380 6291456");
  EXPECT_EQ(normalize_spaces("  a   b "), "a b");
  EXPECT_EQ(normalize_spaces(""), "");
}

TEST(Text, SplitKeepsEmptyFields) {
  EXPECT_EQ(split("a::b", ':'), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(split("", ':'), (std::vector<std::string>{""}));
}

TEST(Text, SplitLinesDropsOnlyTheFinalEmptyLine) {
  EXPECT_EQ(split_lines("a\n\nb\n"), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(split_lines("a"), (std::vector<std::string>{"a"}));
}

TEST(Text, ParseIntegerRejectsTrailingGarbage) {
  EXPECT_EQ(parse_integer(" 42 "), 42);
  EXPECT_EQ(parse_integer("-7"), -7);
  EXPECT_EQ(parse_integer("+7"), 7);
  EXPECT_FALSE(parse_integer("42x"));
  EXPECT_FALSE(parse_integer(""));
  EXPECT_FALSE(parse_integer("99999999999999999999999"));
}

TEST(Text, ParseNumberAcceptsDecimals) {
  EXPECT_DOUBLE_EQ(*parse_number("2.5"), 2.5);
  EXPECT_FALSE(parse_number("2.5 GiB"));
}

TEST(Text, ClosestMatchSuggestsNearbyWordsOnly) {
  std::vector<std::string> keys = {"sysctl", "summary", "extends"};
  EXPECT_EQ(closest_match("sysclt", keys), "sysctl");
  EXPECT_EQ(closest_match("extend", keys), "extends");
  EXPECT_FALSE(closest_match("hugepages", keys));
}

TEST(Text, EditDistanceCountsSingleEdits) {
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("same", "same"), 0u);
}

TEST(ParseBracketedChoice, ReadsTheCurrentAndAllChoices) {
  std::string current;
  std::vector<std::string> choices;
  ASSERT_TRUE(parse_bracketed_choice("always [madvise] never\n", current, choices));
  EXPECT_EQ(current, "madvise");
  EXPECT_EQ(choices, (std::vector<std::string>{"always", "madvise", "never"}));
}

TEST(ParseBracketedChoice, RefusesNoneOrTwoBracketedChoices) {
  std::string current;
  std::vector<std::string> choices;
  EXPECT_FALSE(parse_bracketed_choice("always madvise never", current, choices));
  EXPECT_FALSE(parse_bracketed_choice("[always] [madvise]", current, choices));
  EXPECT_FALSE(parse_bracketed_choice("", current, choices));
  EXPECT_FALSE(parse_bracketed_choice("alw", current, choices));
  EXPECT_TRUE(current.empty());
}

TEST(Text, ATerminalSeesEscapesAsTextButTunesOwnColours) {
  EXPECT_EQ(safe_for_terminal("ok\n\tindented"), "ok\n\tindented");
  EXPECT_EQ(safe_for_terminal("\033[32m+ new\033[0m"), "\033[32m+ new\033[0m");
  EXPECT_EQ(safe_for_terminal("value\033[2K\rhidden"), "value\\x1b[2K\\x0dhidden");
  EXPECT_EQ(safe_for_terminal(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(safe_for_terminal("\xc2\x9b" "31m"), "\\xc2\\x9b" "31m");  // a C1 CSI in UTF-8
  EXPECT_EQ(safe_for_terminal("caf\xc3\xa9"), "caf\xc3\xa9");
  EXPECT_EQ(printable_line("two\nlines"), "two\\x0alines");
  EXPECT_TRUE(has_control_bytes(std::string("a\0", 2)));
  EXPECT_FALSE(has_control_bytes("a\tb\n"));
  EXPECT_TRUE(has_control_bytes("a\tb", false));
}

TEST(Text, Utf8IsCheckedByteByByte) {
  EXPECT_TRUE(is_utf8("plain ascii"));
  EXPECT_TRUE(is_utf8("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"));  // 2, 3 and 4 bytes
  EXPECT_FALSE(is_utf8("\xff"));                                        // never a UTF-8 byte
  EXPECT_FALSE(is_utf8("\x81"));                                        // a continuation with no lead
  EXPECT_FALSE(is_utf8("caf\xc3"));                                     // cut short
  EXPECT_FALSE(is_utf8("\xc0\xaf"));                                    // overlong '/'
  EXPECT_FALSE(is_utf8("\xe0\x80\xaf"));                                // overlong in three bytes
  EXPECT_FALSE(is_utf8("\xed\xa0\x80"));                                // a UTF-16 surrogate
  EXPECT_FALSE(is_utf8("\xf4\x90\x80\x80"));                            // past U+10FFFF
  EXPECT_TRUE(is_plain_text("caf\xc3\xa9\tok"));
  EXPECT_FALSE(is_plain_text("caf\xc3\xa9\tok", false));
  EXPECT_FALSE(is_plain_text("\xdc\x81" "core\xff"));  // from the TuneD fuzzer: stray bytes after a valid letter
}

}  // namespace
}  // namespace tune
