// Context: what every command shares: global options, the door to the host,
// the platform's knobs and planners, and the output streams.
#pragma once

#include "core/planner.h"
#include "core/policy.h"
#include "core/profile_store.h"
#include "core/render.h"
#include "util/local_system.h"

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tune::cli {

struct GlobalOptions {
  std::string root;                       // --root DIR: act on a tree instead of /
  std::string state_dir = "/var/lib/tune";
  std::vector<std::string> profile_dirs;  // --profiles-dir, searched first
  bool json = false;
  bool no_color = false;
  int verbose = 0;
  bool quiet = false;
  // What-if inputs: describe another machine instead of reading this one
  // (detect, recommend and plan alike; see gather_facts in planning.h).
  std::string facts_file;    // --facts FILE.json saved by `tune detect --json`
  std::string topology_xml;  // --topology FILE.xml exported by `lstopo --of xml`
  std::string synthetic;     // --synthetic "pack:2 numa:4 core:16 pu:2"
};

class Context {
 public:
  GlobalOptions options;
  int exit_code = 0;

  // Built on first use, after the command line is parsed.
  LocalSystem& system();
  const Platform& platform();
  ProfileStore profiles() const;
  // Where unit templates are looked up: $TUNE_TEMPLATES_PATH, /etc/tune/templates,
  // the installed ones, and the source tree's templates/ when run from a build.
  std::vector<std::string> template_dirs() const;
  // The host policy (/etc/tune/tune.toml under --root), read once.
  Result<Policy> policy();
  // Where the journal lives: the policy's journal_dir, else <state dir>/journal.
  Result<std::string> journal_dir();
  Style style() const;

  // People's output: stdout. Errors: one line on stderr, reported once.
  void out(const std::string& text) const;
  int fail(const Error& error, int code = 1) const;
  // For a command whose --json report already says it failed: the line on
  // stderr only, so stdout stays one JSON document a pipeline can parse.
  int fail_after_report(const Error& error, int code) const;

 private:
  std::unique_ptr<LocalSystem> system_;
  std::optional<Result<Policy>> policy_;
};

}  // namespace tune::cli
