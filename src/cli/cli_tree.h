// A plain description of the CLI11 command tree, read from the live App: what
// the man pages and the completion scripts are generated from. Hidden options
// and subcommands (an empty group) are left out, as --help leaves them out.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace tune::cli {

// What a shell should offer for an option's or a positional's value.
enum class ValueKind {
  kNone,         // a flag: no value
  kText,         // free text or a number: nothing to offer
  kChoice,       // one of `choices`
  kFile,         // a path
  kDirectory,    // a directory
  kProfile,      // a profile name (`tune completion --list profiles`) or a file
  kTransaction,  // a transaction id (`tune completion --list transactions`)
};

struct OptionInfo {
  std::vector<std::string> shorts;  // "-p"
  std::vector<std::string> longs;   // "--profile"
  std::string name;                 // a positional's name ("id"), else the first spelling
  std::string description;
  std::string value_name;           // "NAME", "FILE", "INT"... for the synopsis
  std::vector<std::string> choices;
  ValueKind kind = ValueKind::kNone;
  bool positional = false;
  bool required = false;
  bool repeatable = false;          // a vector: the value may be given more than once
};

struct CommandInfo {
  std::vector<std::string> path;  // {"history", "show"}; empty for tune itself
  std::string description;
  std::vector<OptionInfo> options;      // named ones, in --help's order
  std::vector<OptionInfo> positionals;
  std::vector<CommandInfo> subcommands;
  bool requires_subcommand = false;  // else it also runs on its own (tune history)

  std::string name() const { return path.empty() ? "tune" : path.back(); }
  std::string joined(const std::string& separator) const;  // "history show"
};

CommandInfo describe(const CLI::App& app);

// The root followed by every subcommand below it, depth first.
std::vector<const CommandInfo*> flatten(const CommandInfo& root);

}  // namespace tune::cli
