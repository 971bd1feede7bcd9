// The prose of the man pages that the command tree cannot say: tune(1)'s
// description, exit status, environment, files and examples, and a paragraph
// for a subcommand where its one-line description is not enough. The options
// and commands themselves come from the tree (man_page.cpp).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace tune::cli {

struct ManualEntry {
  std::string term;  // an exit code, a variable, a path, a command line
  std::string text;
};

struct ManualText {
  std::string summary;                // NAME line of tune(1)
  std::vector<std::string> description;
  std::vector<ManualEntry> exit_status;
  std::vector<ManualEntry> environment;
  std::vector<ManualEntry> files;
  std::vector<ManualEntry> examples;
  std::map<std::string, std::vector<std::string>> command_notes;  // "apply", "history show"
};

const ManualText& manual_text();

}  // namespace tune::cli
