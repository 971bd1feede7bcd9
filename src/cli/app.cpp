#include "cli/app.h"
#include "cli/commands.h"
#include "util/confined_paths.h"
#include "cli/exit_codes.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#ifndef TUNE_VERSION
#define TUNE_VERSION "0"
#endif

namespace tune::cli {
namespace {

void configure_logging(const GlobalOptions& options) {
  auto logger = spdlog::stderr_color_mt("tune");
  if (options.no_color || std::getenv("NO_COLOR")) {
    for (auto& sink : logger->sinks()) {
      if (auto colour = std::dynamic_pointer_cast<spdlog::sinks::stderr_color_sink_mt>(sink)) {
        colour->set_color_mode(spdlog::color_mode::never);
      }
    }
  }
  logger->set_pattern("%^%l%$: %v");
  spdlog::level::level_enum level = spdlog::level::warn;
  if (options.quiet) level = spdlog::level::err;
  else if (options.verbose == 1) level = spdlog::level::info;
  else if (options.verbose >= 2) level = spdlog::level::debug;
  logger->set_level(level);
  spdlog::set_default_logger(logger);
}

}  // namespace

void build_app(CLI::App& app, Context& context) {
  app.name("tune");
  app.description("tune: measured, reviewable, undoable host tuning");
  app.require_subcommand(1);
  app.fallthrough();
  app.set_version_flag("--version", TUNE_VERSION);
  GlobalOptions& options = context.options;
  app.add_option("--root", options.root, "Act on the tree under DIR instead of the host (tests, images)")
      ->check(CLI::ExistingDirectory);
  // A relative or dotted state directory would land beside or outside a tree given with --root.
  app.add_option("--state-dir", options.state_dir, "Where the journal lives (default /var/lib/tune)")
      ->check(CLI::Validator(
          [](const std::string& value) {
            return is_host_path(value) ? std::string() : "must be an absolute path without . or .. components";
          },
          "PATH", "host path"));
  app.add_option("--profiles-dir", options.profile_dirs, "Look for profiles here first (repeatable)");
  app.add_flag("--json", options.json, "Machine-readable output");
  app.add_flag("--no-color", options.no_color, "Never colour output");
  app.add_flag("-v,--verbose", options.verbose, "More log output on stderr (repeat for more)");
  app.add_flag("-q,--quiet", options.quiet, "Only errors on stderr");
  CLI::Option* facts_option =
      app.add_option("--facts", options.facts_file, "Use facts saved by `tune detect --json` instead of detecting");
  CLI::Option* topology_option =
      app.add_option("--topology", options.topology_xml, "Take the CPU/NUMA/PCI topology from an hwloc XML export");
  CLI::Option* synthetic_option =
      app.add_option("--synthetic", options.synthetic, "Take the topology from an hwloc synthetic description");
  facts_option->excludes(topology_option)->excludes(synthetic_option);
  topology_option->excludes(synthetic_option);
  app.parse_complete_callback([&options] { configure_logging(options); });

  add_detect_command(app, context);
  add_recommend_command(app, context);
  add_profiles_command(app, context);
  add_plan_command(app, context);
  add_apply_command(app, context);
  add_status_command(app, context);
  add_explain_command(app, context);
  add_verify_command(app, context);
  add_rollback_command(app, context);
  add_history_command(app, context);
  add_audit_command(app, context);
  add_import_command(app, context);
  add_bench_command(app, context);
  add_hook_command(app, context);
  add_completion_command(app, context);
}

int run(int argc, char** argv) {
  Context context;
  CLI::App app;
  build_app(app, context);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? exit_code::kOk : exit_code::kUsage;
  }
  return context.exit_code;
}

}  // namespace tune::cli
