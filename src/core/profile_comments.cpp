#include "core/profile_comments.h"

#include "util/text.h"

#include <vector>

namespace tune {
namespace {

size_t indentation(const std::string& line) {
  size_t spaces = line.find_first_not_of(' ');
  return spaces == std::string::npos ? line.size() : spaces;
}

bool is_comment(const std::string& line) { return starts_with(trim(line), "#"); }

std::string comment_text(const std::string& line) {
  std::string text = trim(line);
  while (!text.empty() && text.front() == '#') text.erase(0, 1);
  return trim(text);
}

// A comment after the value: " # ..." outside quotes. Profiles quote values
// with '#' in them, so a plain scan that respects quotes is enough.
std::string trailing_comment(const std::string& line) {
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#' && i > 0 && (line[i - 1] == ' ' || line[i - 1] == '\t')) {
      return comment_text(line.substr(i));
    }
  }
  return "";
}

}  // namespace

std::string comment_for_line(const std::string& text, int line) {
  const std::vector<std::string> lines = split_lines(text);
  if (line < 1 || static_cast<size_t>(line) > lines.size()) return "";
  const size_t index = static_cast<size_t>(line) - 1;
  const size_t depth = indentation(lines[index]);

  std::vector<std::string> above;
  for (size_t i = index; i-- > 0;) {
    const std::string& previous = lines[i];
    if (trim(previous).empty()) break;
    const size_t previous_depth = indentation(previous);
    if (previous_depth < depth) {
      // The head of a scope ("nvme:", a unit) whose comment speaks for the
      // keys under it; a domain head at the margin ("sysctl:") does not.
      if (above.empty() && previous_depth > 0 && !is_comment(previous)) {
        std::string scope_comment = comment_for_line(text, static_cast<int>(i) + 1);
        if (!scope_comment.empty()) above.push_back(scope_comment);
      }
      break;
    }
    if (previous_depth > depth) {
      if (!above.empty()) break;
      continue;  // a nested line of a sibling key ("limits: '*': nofile: ...")
    }
    if (is_comment(previous)) {
      above.insert(above.begin(), comment_text(previous));
    } else if (!above.empty()) {
      break;  // a sibling key above the comment block: that block is this run's
    }
  }

  std::vector<std::string> parts;
  if (!above.empty()) parts.push_back(join(above, " "));
  if (std::string inline_comment = trailing_comment(lines[index]); !inline_comment.empty()) {
    parts.push_back(inline_comment);
  }
  return join(parts, " ");
}

}  // namespace tune
