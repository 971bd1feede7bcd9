// tune plan: show what applying a profile would change, without changing it.
#include "cli/commands.h"
#include "cli/output_file.h"
#include "cli/exit_codes.h"
#include "cli/planning.h"

#include <nlohmann/json.hpp>


namespace tune::cli {
namespace {

struct PlanOptions {
  std::string profile = "auto";
  std::string format = "table";
  std::string out_path;
  bool detailed_exitcode = false;
};

int run_plan(Context& context, const PlanOptions& options) {
  auto planned = plan_profile(context, options.profile);
  if (!planned) return context.fail(planned.error());
  const Plan& plan = planned->plan;
  const std::string format = context.options.json ? "json" : options.format;
  if (format == "json") {
    context.out(plan_to_json(plan).dump(2) + "\n");
  } else if (format == "diff") {
    context.out(render_plan_diff(plan, context.style()));
  } else {
    if (!planned->why.empty()) context.out("Profile chosen automatically: " + planned->why + ".\n");
    context.out(render_plan_table(plan, context.style()));
  }
  if (!options.out_path.empty()) {
    if (auto saved = write_output_file(options.out_path, plan_to_json(plan).dump(2) + "\n"); !saved) {
      return context.fail(saved.error());
    }
    if (format != "json") context.out("Plan saved to " + options.out_path + "; apply it with: tune apply " + options.out_path + "\n");
  }
  if (options.detailed_exitcode && plan.pending() > 0) return exit_code::kPending;
  return exit_code::kOk;
}

}  // namespace

void add_plan_command(CLI::App& app, Context& context) {
  auto options = std::make_shared<PlanOptions>();
  CLI::App* command = app.add_subcommand("plan", "Show what a profile would change on this host; changes nothing");
  command->add_option("-p,--profile", options->profile, "Profile name, profile file, or 'auto' (default)");
  command->add_option("--format", options->format, "table (default), diff, or json")
      ->check(CLI::IsMember({"table", "diff", "json"}));
  command->add_option("-o,--out", options->out_path, "Also save the plan as JSON, for `tune apply PLAN.json`");
  command->add_flag("--detailed-exitcode", options->detailed_exitcode, "Exit 2 when the plan has changes");
  command->callback([&context, options] { context.exit_code = run_plan(context, *options); });
}

}  // namespace tune::cli
