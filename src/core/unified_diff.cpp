#include "core/unified_diff.h"

#include "util/text.h"

#include <fmt/format.h>

#include <vector>

namespace tune {
namespace {

struct Edit {
  char kind;  // ' ', '-', '+'
  std::string line;
  int old_line;  // 1-based position in the old text (for ' ' and '-')
  int new_line;  // 1-based position in the new text (for ' ' and '+')
};

// Longest common subsequence by dynamic programming: tune's files are small.
// Past a size where that would be slow, everything is one replacement.
std::vector<Edit> edit_script(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  const size_t n = a.size();
  const size_t m = b.size();
  std::vector<Edit> edits;
  if (n * m > 16'000'000) {
    for (size_t i = 0; i < n; ++i) edits.push_back({'-', a[i], int(i + 1), 0});
    for (size_t j = 0; j < m; ++j) edits.push_back({'+', b[j], 0, int(j + 1)});
    return edits;
  }
  std::vector<std::vector<int>> common(n + 1, std::vector<int>(m + 1, 0));
  for (size_t i = n; i-- > 0;) {
    for (size_t j = m; j-- > 0;) {
      common[i][j] = a[i] == b[j] ? common[i + 1][j + 1] + 1 : std::max(common[i + 1][j], common[i][j + 1]);
    }
  }
  size_t i = 0;
  size_t j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      edits.push_back({' ', a[i], int(i + 1), int(j + 1)});
      ++i;
      ++j;
    } else if (j < m && (i == n || common[i][j + 1] > common[i + 1][j])) {
      edits.push_back({'+', b[j], int(i), int(j + 1)});
      ++j;
    } else {
      edits.push_back({'-', a[i], int(i + 1), int(j)});
      ++i;
    }
  }
  return edits;
}

std::string range(int start, int count) {
  if (count == 0) return fmt::format("{},0", start);
  if (count == 1) return fmt::format("{}", start);
  return fmt::format("{},{}", start, count);
}

}  // namespace

std::string unified_diff(const std::optional<std::string>& before, const std::optional<std::string>& after,
                         const std::string& before_label, const std::string& after_label, int context) {
  if (before == after) return "";
  const std::vector<std::string> a = before ? split_lines(*before) : std::vector<std::string>{};
  const std::vector<std::string> b = after ? split_lines(*after) : std::vector<std::string>{};
  const std::vector<Edit> edits = edit_script(a, b);

  std::string out = "--- " + (before ? before_label : std::string("/dev/null")) + "\n";
  out += "+++ " + (after ? after_label : std::string("/dev/null")) + "\n";
  size_t k = 0;
  bool any_hunk = false;
  while (k < edits.size()) {
    // Find the next change, then grow a hunk around it while changes are close.
    size_t first_change = k;
    while (first_change < edits.size() && edits[first_change].kind == ' ') ++first_change;
    if (first_change == edits.size()) break;
    size_t start = first_change >= size_t(context) ? first_change - context : 0;
    if (start < k) start = k;
    size_t end = first_change;
    size_t last_change = first_change;
    while (end < edits.size()) {
      if (edits[end].kind != ' ') last_change = end;
      else if (end - last_change > size_t(2 * context)) break;
      ++end;
    }
    end = std::min(edits.size(), last_change + context + 1);

    int old_start = 0, old_count = 0, new_start = 0, new_count = 0;
    std::string body;
    for (size_t e = start; e < end; ++e) {
      const Edit& edit = edits[e];
      if (edit.kind != '+') {
        if (old_count++ == 0) old_start = edit.old_line;
      }
      if (edit.kind != '-') {
        if (new_count++ == 0) new_start = edit.new_line;
      }
      body += edit.kind + edit.line + "\n";
    }
    // An empty side starts after the line before it (diff -u convention).
    if (old_count == 0) old_start = edits[start].old_line;
    if (new_count == 0) new_start = edits[start].new_line;
    out += "@@ -" + range(old_start, old_count) + " +" + range(new_start, new_count) + " @@\n" + body;
    any_hunk = true;
    k = end;
  }
  // Texts that differ only in a final newline have no line edits.
  if (!any_hunk) out += "@@ (only the final newline differs) @@\n";
  return out;
}

}  // namespace tune
