// tune profiles list | show NAME | check FILE...
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "util/text.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>

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

nlohmann::json setting_json(const Setting& s) {
  nlohmann::json when = nlohmann::json::array();
  for (const auto& c : s.when) when.push_back(c.describe());
  nlohmann::json out = {{"domain", s.domain},
                        {"target", s.target()},
                        {"want", {{"op", want_op_name(s.want.op)}, {"values", s.want.values}}},
                        {"describe", s.want.describe()},
                        {"when", when},
                        {"needs_reboot", s.needs_reboot},
                        {"profile", s.profile},
                        {"from", s.origin.str()}};
  if (!s.otherwise.empty()) {
    nlohmann::json otherwise = nlohmann::json::array();
    for (const auto& fallback : s.otherwise) otherwise.push_back(setting_json(fallback));
    out["otherwise"] = otherwise;
  }
  return out;
}

std::string setting_line(const Setting& s, const std::string& indent) {
  std::string line = fmt::format("{}{:<11} {} = {}", indent, s.domain, s.target(), s.want.describe());
  if (!s.when.empty()) {
    std::vector<std::string> conditions;
    for (const auto& c : s.when) conditions.push_back(c.describe());
    line += "  when " + join(conditions, ", ");
  }
  if (s.needs_reboot) line += "  (needs reboot)";
  return line + "    # " + s.profile + " (" + s.origin.str() + ")\n";
}

int run_show(Context& context, const std::string& name) {
  auto profile = context.profiles().resolve(name);
  if (!profile) return context.fail(profile.error());
  if (context.options.json) {
    nlohmann::json settings = nlohmann::json::array();
    for (const auto& s : profile->settings) settings.push_back(setting_json(s));
    nlohmann::json variables = nlohmann::json::object();
    for (const auto& v : profile->variables) variables[v.name] = {{"value", v.value}, {"from", v.origin.str()}};
    context.out(nlohmann::json{{"name", profile->name},
                               {"summary", profile->summary},
                               {"lineage", profile->lineage},
                               {"digest", profile->digest},
                               {"variables", variables},
                               {"settings", settings},
                               {"warnings", profile->warnings}}
                    .dump(2) + "\n");
    return exit_code::kOk;
  }
  context.out(fmt::format("# {} — {}\n# resolved from: {}\n", profile->name, profile->summary,
                          fmt::join(profile->lineage, " -> ")));
  for (const auto& v : profile->variables) {
    context.out(fmt::format("# variable {} = {}    ({})\n", v.name, v.value, v.origin.str()));
  }
  for (const auto& domain : profile_domains()) {
    for (const Setting* s : profile->in_domain(domain)) {
      context.out(setting_line(*s, ""));
      for (const auto& fallback : s->otherwise) context.out(setting_line(fallback, "  otherwise "));
    }
  }
  for (const auto& warning : profile->warnings) context.out("# warning: " + warning + "\n");
  return exit_code::kOk;
}

int run_check(Context& context, const std::vector<std::string>& files) {
  int failures = 0;
  nlohmann::json report = nlohmann::json::array();
  for (const auto& file : files) {
    auto profile = context.profiles().resolve(file);
    if (!profile) {
      ++failures;
      if (context.options.json) {
        report.push_back({{"file", file}, {"ok", false}, {"error", profile.error().message}});
      } else {
        std::fprintf(stderr, "tune: %s\n", profile.error().message.c_str());
      }
      continue;
    }
    if (context.options.json) {
      report.push_back({{"file", file}, {"ok", true}, {"settings", profile->settings.size()}, {"warnings", profile->warnings}});
      continue;
    }
    for (const auto& warning : profile->warnings) std::fprintf(stderr, "tune: warning: %s\n", warning.c_str());
    if (!context.options.quiet) context.out(fmt::format("{}: ok ({} settings)\n", file, profile->settings.size()));
  }
  if (context.options.json) context.out(report.dump(2) + "\n");
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
