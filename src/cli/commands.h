// One function per subcommand: each adds its flags to the app and a callback
// that turns them into an options struct and calls the core.
#pragma once

#include "cli/context.h"

#include <CLI/CLI.hpp>

namespace tune::cli {

void add_detect_command(CLI::App& app, Context& context);
void add_recommend_command(CLI::App& app, Context& context);
void add_profiles_command(CLI::App& app, Context& context);
void add_plan_command(CLI::App& app, Context& context);
void add_apply_command(CLI::App& app, Context& context);
void add_verify_command(CLI::App& app, Context& context);
void add_rollback_command(CLI::App& app, Context& context);
void add_history_command(CLI::App& app, Context& context);
void add_status_command(CLI::App& app, Context& context);
void add_explain_command(CLI::App& app, Context& context);
void add_audit_command(CLI::App& app, Context& context);
void add_import_command(CLI::App& app, Context& context);
void add_bench_command(CLI::App& app, Context& context);
void add_hook_command(CLI::App& app, Context& context);

// Parse argv and run the chosen command; returns the process exit code.
int run(int argc, char** argv);

}  // namespace tune::cli
