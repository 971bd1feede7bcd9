// tune audit FILE...: every setting in pasted tuning advice, with tune's verdict.
#include "audit/audit.h"
#include "audit/sarif.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#ifndef TUNE_VERSION
#define TUNE_VERSION "0"
#endif

namespace tune::cli {
namespace {

struct AuditOptions {
  std::vector<std::string> files;
  bool no_host = false;
  bool strict = false;
  std::string format = "text";
};

// A guide may hold bytes that are not UTF-8; the JSON and SARIF show them as
// U+FFFD instead of refusing the whole report.
std::string dump(const nlohmann::json& document) {
  return document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

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
  // --json is the global spelling of --format json; an explicit --format
  // (sarif) still wins, so `tune --json audit --format sarif` gives SARIF.
  const std::string format = options.format == "text" && context.options.json ? "json" : options.format;
  if (format == "json") context.out(dump(audit::render_json(findings)));
  else if (format == "sarif") context.out(dump(audit::render_sarif(findings, TUNE_VERSION)));
  else context.out(audit::render_text(findings));
  const bool failing = std::any_of(findings.begin(), findings.end(), [](const audit::Finding& finding) {
    return audit::fails_strict(finding.verdict);
  });
  return options.strict && failing ? exit_code::kFindings : exit_code::kOk;
}

}  // namespace

void add_audit_command(CLI::App& app, Context& context) {
  auto options = std::make_shared<AuditOptions>();
  CLI::App* command = app.add_subcommand(
      "audit", "Judge tuning advice (sysctl.conf, shell snippets, limits.conf, unit files) against tune's knowledge");
  command->add_option("files", options->files, "Files holding the advice")->required();
  command->add_flag("--no-host", options->no_host, "Judge by the knowledge base only, not by this host's kernel");
  command->add_flag("--strict", options->strict,
                    "Exit 2 when any setting or mechanics finding is risky, wrong, out of range, obsolete or nonexistent");
  command->add_option("--format", options->format, "text (default), json, or sarif (SARIF 2.1.0, for CI systems)")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  command->callback([&context, options] { context.exit_code = run_audit(context, *options); });
}

}  // namespace tune::cli
