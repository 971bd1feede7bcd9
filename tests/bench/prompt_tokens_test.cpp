// --prompt-tokens: token ids separated by whitespace; anything else is a
// one-line error that names the file and where in it.
#include "bench/bench_test_util.h"
#include "bench/prompt_tokens.h"

#include <gtest/gtest.h>

namespace tune::bench {
namespace {

void expect_error(const Status& status, const std::string& words) {
  ASSERT_FALSE(status);
  EXPECT_NE(status.error().message.find(words), std::string::npos) << status.error().message;
  EXPECT_EQ(status.error().message.find('\n'), std::string::npos) << "errors are one line";
}

template <class T>
Status status_of(const Result<T>& result) {
  if (result) return {};
  return result.error();
}

TEST(PromptTokens, ReadsIdsSeparatedByAnyWhitespace) {
  auto tokens = parse_prompt_tokens(" 5 17\t0\n\n260\r\n3", "p.txt");
  ASSERT_TRUE(tokens) << tokens.error().message;
  EXPECT_EQ(*tokens, (std::vector<int>{5, 17, 0, 260, 3}));
}

TEST(PromptTokens, AWordThatIsNotAnIdNamesTheFileThePositionAndTheLine) {
  expect_error(status_of(parse_prompt_tokens("1 2\n3 x4 5", "p.txt")), "p.txt: token 4 (line 2) is 'x4'");
  expect_error(status_of(parse_prompt_tokens("-1", "p.txt")), "p.txt: token 1 (line 1) is '-1'");
  expect_error(status_of(parse_prompt_tokens("1 2.5", "p.txt")), "token 2 (line 1) is '2.5'");
  expect_error(status_of(parse_prompt_tokens("99999999999999999999", "p.txt")), "token 1 (line 1)");
}

TEST(PromptTokens, AnEmptyFileIsAnError) {
  expect_error(status_of(parse_prompt_tokens(" \n\t", "p.txt")), "p.txt: no token ids");
}

TEST(PromptTokens, AMissingFileIsAnError) {
  expect_error(status_of(read_prompt_tokens("/nonexistent/prompt.txt")), "/nonexistent/prompt.txt: cannot read");
}

TEST(PromptTokens, ReadsAFile) {
  testing::TempDir dir;
  testing::write_bytes(dir.file("p.txt"), {'7', ' ', '8', '\n'});
  auto tokens = read_prompt_tokens(dir.file("p.txt"));
  ASSERT_TRUE(tokens) << tokens.error().message;
  EXPECT_EQ(*tokens, (std::vector<int>{7, 8}));
}

TEST(PromptTokens, AnIdOutsideTheVocabularyNamesThePosition) {
  EXPECT_TRUE(check_prompt_tokens({0, 260}, 261, "p.txt"));
  expect_error(check_prompt_tokens({0, 5, 261, 3}, 261, "p.txt"), "p.txt: token 3 is id 261, outside the model's vocabulary of 261");
}

}  // namespace
}  // namespace tune::bench
