// An explicit prompt for `tune bench --prompt-tokens FILE`: token ids, so a
// run can be repeated token for token by another runtime on the same file.
#pragma once

#include "util/result.h"

#include <string>
#include <string_view>
#include <vector>

namespace tune::bench {

// Token ids separated by whitespace (spaces, tabs, newlines). An empty text,
// a word that is not a decimal integer, or one out of int's range is an
// error naming `source` and the word's position (1-based) and line.
Result<std::vector<int>> parse_prompt_tokens(std::string_view text, const std::string& source);

// Reads and parses FILE.
Result<std::vector<int>> read_prompt_tokens(const std::string& path);

// Every id must name a token of the model: an error naming `source`, the
// position of the first one that does not, and the vocabulary size.
Status check_prompt_tokens(const std::vector<int>& tokens, int vocab_size, const std::string& source);

}  // namespace tune::bench
