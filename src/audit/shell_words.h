// Just enough of shell syntax to read tuning snippets: words with quotes
// removed, the operators > >> | kept apart, comments dropped, and $VARIABLE
// expansion from what the snippet itself assigned.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace tune::audit {

struct Word {
  std::string text;
  bool op = false;  // an unquoted >, >>, |, ;, &&, ||
};

// The line without a trailing `# comment` (a '#' at the start or after a
// blank, outside quotes).
std::string strip_comment(const std::string& line);

// A value without the blanks around it and one pair of matching quotes.
std::string unquote(std::string text);

// Split a line into words; unbalanced quotes end at the line's end.
std::vector<Word> shell_words(const std::string& line);

// Replace $NAME, ${NAME} from `variables`; $(...) and unknown names become
// '*' in paths (`glob`) or stay as written in values. Sets *unresolved when
// something could not be expanded.
std::string expand_variables(const std::string& text, const std::map<std::string, std::string>& variables, bool glob,
                             bool* unresolved = nullptr);

}  // namespace tune::audit
