// tune audit FILE...: every setting in pasted tuning advice, with tune's verdict.
#include "audit/audit.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

#include <nlohmann/json.hpp>

namespace tune::cli {
namespace {

struct AuditOptions {
  std::vector<std::string> files;
  bool no_host = false;
};

int run_audit(Context& context, const AuditOptions& options) {
  std::vector<audit::Finding> findings;
  // The host (or the tree under --root) tells which keys exist here and what
  // limits already are; --no-host judges by the knowledge base alone.
  const System* host = options.no_host ? nullptr : &context.system();
  for (const auto& file : options.files) {
    auto text = read_input_file(file);
    if (!text) return context.fail(text.error());
    auto found = audit::audit_text(*text, file, host);
    findings.insert(findings.end(), found.begin(), found.end());
  }
  if (context.options.json) context.out(audit::render_json(findings).dump(2) + "\n");
  else context.out(audit::render_text(findings));
  return exit_code::kOk;
}

}  // namespace

void add_audit_command(CLI::App& app, Context& context) {
  auto options = std::make_shared<AuditOptions>();
  CLI::App* command = app.add_subcommand(
      "audit", "Judge tuning advice (sysctl.conf, shell snippets, limits.conf, unit files) against tune's knowledge");
  command->add_option("files", options->files, "Files holding the advice")->required();
  command->add_flag("--no-host", options->no_host, "Judge by the knowledge base only, not by this host's kernel");
  command->callback([&context, options] { context.exit_code = run_audit(context, *options); });
}

}  // namespace tune::cli
