// Man pages, generated from the command tree (cli_tree.h) and the prose in
// manual_text.cpp: tune(1), and one tune-COMMAND(1) per subcommand, its own
// subcommands in sections of that page.
#pragma once

#include "cli/cli_tree.h"

#include <string>
#include <vector>

namespace tune::cli {

struct ManPage {
  std::string file_name;  // "tune-history.1"
  std::string text;       // roff, man macros
};

std::vector<ManPage> man_pages(const CommandInfo& root, const std::string& version);

}  // namespace tune::cli
