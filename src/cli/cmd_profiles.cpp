// tune profiles list | show NAME | check FILE...
#include "cli/commands.h"
#include "cli/exit_codes.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace tune::cli {
namespace {

int run_list(Context& context) {
  auto listing = context.profiles().list();
  if (context.options.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& p : listing.profiles) out.push_back({{"name", p.name}, {"summary", p.summary}, {"path", p.path}});
    context.out(out.dump(2) + "\n");
  } else {
    for (const auto& p : listing.profiles) context.out(fmt::format("{:<22} {}\n", p.name, p.summary));
  }
  for (const auto& error : listing.errors) context.fail(error);
  return listing.errors.empty() ? exit_code::kOk : exit_code::kError;
}

int run_show(Context& context, const std::string& name) {
  auto profile = context.profiles().resolve(name);
  if (!profile) return context.fail(profile.error());
  if (context.options.json) {
    nlohmann::json sysctl = nlohmann::json::object();
    for (const auto& s : profile->sysctl) sysctl[s.key] = {{"want", s.want.describe()}, {"from", s.origin.str()}};
    context.out(nlohmann::json{{"name", profile->name},
                               {"summary", profile->summary},
                               {"lineage", profile->lineage},
                               {"digest", profile->digest},
                               {"sysctl", sysctl}}
                    .dump(2) + "\n");
    return exit_code::kOk;
  }
  context.out(fmt::format("# {} — {}\n# resolved from: {}\n", profile->name, profile->summary,
                          fmt::join(profile->lineage, " -> ")));
  for (const auto& s : profile->sysctl) {
    context.out(fmt::format("sysctl {} = {}    # {}\n", s.key, s.want.describe(), s.origin.str()));
  }
  return exit_code::kOk;
}

int run_check(Context& context, const std::vector<std::string>& files) {
  int failures = 0;
  for (const auto& file : files) {
    auto profile = context.profiles().resolve(file);
    if (!profile) {
      context.fail(profile.error());
      ++failures;
    } else if (!context.options.quiet) {
      context.out(file + ": ok\n");
    }
  }
  return failures ? exit_code::kError : exit_code::kOk;
}

}  // namespace

void add_profiles_command(CLI::App& app, Context& context) {
  CLI::App* command = app.add_subcommand("profiles", "List, show and check profiles");
  command->require_subcommand(1);
  command->add_subcommand("list", "List the profiles on the search path")->callback([&context] {
    context.exit_code = run_list(context);
  });
  auto name = std::make_shared<std::string>();
  CLI::App* show = command->add_subcommand("show", "Show a profile with its parents merged in");
  show->add_option("name", *name, "Profile name or file")->required();
  show->callback([&context, name] { context.exit_code = run_show(context, *name); });
  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* check = command->add_subcommand("check", "Validate profile files; errors name file:line:col");
  check->add_option("files", *files, "Profile files")->required();
  check->callback([&context, files] { context.exit_code = run_check(context, *files); });
}

}  // namespace tune::cli
