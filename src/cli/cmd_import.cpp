// tune import sysctl FILE | tuned PATH: turn other people's tuning into a tune profile.
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace tune::cli {

void add_import_command(CLI::App& app, Context& context) {
  CLI::App* command = app.add_subcommand("import", "Convert tuning advice or a TuneD profile into a tune profile");
  command->require_subcommand(1);
  (void)context;
}

}  // namespace tune::cli
