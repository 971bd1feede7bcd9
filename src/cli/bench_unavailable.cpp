// The Windows and macOS builds have no bundled runner yet (src/bench maps
// weights with Linux's mmap flags and huge pages, pins threads and reads
// /proc): `tune bench` and
// `tune apply --validate` say so in one line instead of being missing or
// failing somewhere inside.
#include "cli/apply_validate.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace tune::cli {
namespace {
constexpr const char* kNoRunner = "the bundled inference runner (tune bench) is in the Linux build only, not in this one yet";
}  // namespace

void add_bench_command(CLI::App& app, Context& context) {
  CLI::App* bench = app.add_subcommand("bench", "Benchmark LLM inference (in the Linux build only)");
  bench->allow_extras();
  bench->callback([&context] { context.exit_code = context.fail(Error{kNoRunner}); });
}

Result<ValidationPolicy> validation_policy(Context& /*context*/, const ValidateOptions& /*options*/) {
  return make_error("apply --validate: {}", kNoRunner);
}

int apply_validated(Context& context, const ValidateOptions& /*options*/, ValidationPolicy /*policy*/,
                    const Plan& /*plan*/, const HostIdentity& /*here*/, const std::string& /*journal_dir*/) {
  return context.fail(Error{kNoRunner});
}

}  // namespace tune::cli
