// tune completion bash|zsh|fish: a completion script for the shell, generated
// from the command tree. Hidden, for the scripts and the build:
//   tune completion --list profiles|transactions   names to complete, one a line
//   tune completion --man DIR                      writes the man pages into DIR
#include "cli/app.h"
#include "cli/cli_tree.h"
#include "cli/completion_scripts.h"
#include "cli/exit_codes.h"
#include "cli/man_page.h"
#include "core/engine.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <set>

#ifndef TUNE_VERSION
#define TUNE_VERSION "0"
#endif

namespace tune::cli {
namespace {

struct CompletionOptions {
  std::string shell;
  std::string list;
  std::string man_dir;
};

// Completion must never print an error into someone's command line: a
// journal or profile directory this user cannot read just offers nothing.
void list_names(Context& context, const std::string& what) {
  std::string out;
  try {
    if (what == "profiles") {
      std::set<std::string> names;
      for (const auto& profile : context.profiles().list().profiles) names.insert(profile.name);
      for (const auto& name : names) out += name + "\n";
    } else {
      auto journal_dir = context.journal_dir();
      if (!journal_dir) return;
      Engine engine(context.system(), context.platform().knobs, context.options.state_dir, *journal_dir);
      auto all = engine.history();
      if (!all) return;
      for (const auto& txn : *all) out += std::to_string(txn.id) + "\n";
    }
  } catch (const std::exception&) {
    return;
  }
  context.out(out);
}

int write_man_pages(Context& context, const CLI::App& root, const std::string& dir) {
  std::error_code error;
  std::filesystem::create_directories(dir, error);
  if (error) return context.fail(make_error("cannot create {}: {}", dir, error.message()));
  for (const auto& page : man_pages(describe(root), TUNE_VERSION)) {
    const std::string path = dir + "/" + page.file_name;
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << page.text;
    file.close();
    if (!file) return context.fail(make_error("cannot write {}", path));
  }
  return exit_code::kOk;
}

int run_completion(Context& context, const CLI::App& root, const CompletionOptions& options) {
  if (!options.list.empty()) {
    list_names(context, options.list);
    return exit_code::kOk;
  }
  if (!options.man_dir.empty()) return write_man_pages(context, root, options.man_dir);
  if (options.shell.empty()) {
    return context.fail(make_error("name a shell: tune completion bash|zsh|fish"), exit_code::kUsage);
  }
  const CommandInfo tree = describe(root);
  if (options.shell == "bash") context.out(bash_completion(tree));
  if (options.shell == "zsh") context.out(zsh_completion(tree));
  if (options.shell == "fish") context.out(fish_completion(tree));
  return exit_code::kOk;
}

}  // namespace

void add_completion_command(CLI::App& app, Context& context) {
  auto options = std::make_shared<CompletionOptions>();
  CLI::App* command = app.add_subcommand(
      "completion", "Print the completion script for bash, zsh or fish: source <(tune completion bash)");
  command->add_option("shell", options->shell, "bash, zsh or fish")->check(CLI::IsMember({"bash", "zsh", "fish"}));
  // Hidden (an empty group): what the scripts call, and what the build calls.
  command->add_option("--list", options->list, "Print the profile names or transaction ids to complete")
      ->check(CLI::IsMember({"profiles", "transactions"}))
      ->group("");
  command->add_option("--man", options->man_dir, "Write the man pages into DIR")->group("");
  command->callback([&context, &app, options] { context.exit_code = run_completion(context, app, *options); });
}

}  // namespace tune::cli
