// Shell completion scripts, generated from the command tree (cli_tree.h).
// Profile names and transaction ids are not in the tree: the scripts ask
// `tune completion --list profiles|transactions` when completing, passing on
// the --root, --state-dir and --profiles-dir already typed.
#pragma once

#include "cli/cli_tree.h"

#include <string>

namespace tune::cli {

std::string bash_completion(const CommandInfo& root);
std::string zsh_completion(const CommandInfo& root);
std::string fish_completion(const CommandInfo& root);

}  // namespace tune::cli
