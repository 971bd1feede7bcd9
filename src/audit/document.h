// The shape of pasted advice around each line: which fenced block of a
// markdown guide it is in (and that block's language), or, for a plain file,
// the language its name suggests; and which file a heredoc is writing. The
// line-accounting and mechanics checks read lines through this, so both
// agree on what is a shell command and what is a file's content.
#pragma once

#include <string>
#include <vector>

namespace tune::audit {

struct DocumentLine {
  int number = 0;          // 1-based
  std::string text;        // trimmed
  std::string language;    // "shell", "python", "yaml", "sql", "nginx", "ini", "dockerfile", "powershell",
                           // "modelfile", "unit", "prose" (markdown outside fences), "other" (a fence of another
                           // language), or a heredoc body's kind (below)
  bool fence = false;      // the ``` line itself
  int block_start = 0;     // first line of the fenced block (or 1 for a plain file)
  // Inside a heredoc: the file it writes and how. The body's language is
  // "sysctl", "limits", "unit", "fstab", "shell", "plist" or "config" (any other file).
  std::string heredoc_target;
  bool heredoc_append = false;
  int heredoc_line = 0;    // the line with `cat > FILE << EOF`
  bool heredoc_end = false;  // the line that ends the heredoc
};

// Read a text into lines with their context. `source` (the file name) picks
// the language of a plain file: Dockerfile, Modelfile, *.yaml, *.service...
std::vector<DocumentLine> read_document(const std::string& text, const std::string& source);

// The language a fence's info string or a file name stands for.
std::string fence_language(const std::string& info);

// What kind of content a heredoc writing `path` holds.
std::string heredoc_language(const std::string& path);

}  // namespace tune::audit
