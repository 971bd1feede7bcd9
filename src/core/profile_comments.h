// The comment a profile writes beside a setting: the "why" of shipped
// profiles (each setting, or each run of related settings, has one above it).
#pragma once

#include <string>

namespace tune {

// The comment that explains the key on `line` (1-based) of a profile's text:
// the comment lines right above it, or, for a key in a run of sibling keys
// under one comment, the comment above the run; a comment at the end of the
// key's own line is added. Blank lines and shallower keys end the search.
// Without '#' and joined into one paragraph; empty when there is none.
std::string comment_for_line(const std::string& text, int line);

}  // namespace tune
