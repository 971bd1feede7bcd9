// tune import sysctl FILE | tuned PATH: turn other people's tuning into a tune profile.
#include "audit/audit.h"
#include "cli/commands.h"
#include "cli/output_file.h"
#include "cli/exit_codes.h"
#include "import/advice_import.h"
#include "import/tuned_import.h"
#include "import/tuned_report.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>

namespace tune::cli {
namespace {

struct ImportOptions {
  std::string input;
  std::string name;
  std::string summary;
  std::string out;
  // tuned only
  std::string variables_file;
  std::vector<std::string> sets;  // NAME=VALUE
  bool report = false;
  std::string all_dir;
};

std::string stem_of(const std::string& path) {
  std::filesystem::path p(path);
  if (p.filename() == "tuned.conf") p = p.parent_path();
  std::string stem = p.stem().string();
  for (char& c : stem) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_') c = '-';
  }
  return stem.empty() ? "imported" : stem;
}

// Check the generated text with the same parser every profile goes through,
// then write it out.
int emit(Context& context, const import::ProfileWriter& writer, const ImportOptions& options) {
  const std::string text = writer.yaml();
  auto parsed = parse_profile(text, options.out.empty() ? "<import>" : options.out);
  if (!parsed) return context.fail(with_context("the converted profile does not validate (a tune bug)", parsed.error()));
  if (options.out.empty()) {
    context.out(text);
  } else {
    if (auto saved = write_output_file(options.out, text); !saved) return context.fail(saved.error());
  }
  if (context.options.json) {
    context.out(nlohmann::json{{"settings", writer.size()}, {"refused", writer.refused()}, {"left_out", writer.left_out()}}
                    .dump(2) +
                "\n");
  } else if (!context.options.quiet) {
    std::fprintf(stderr, "tune: %zu settings converted, %zu refused, %zu left out%s\n", writer.size(),
                 writer.refused().size(), writer.left_out().size(),
                 writer.left_out().empty() && writer.refused().empty() ? "" : " (listed at the end of the profile)");
  }
  return exit_code::kOk;
}

int run_import_advice(Context& context, const ImportOptions& options) {
  auto text = read_input_file(options.input);
  if (!text) return context.fail(text.error());
  auto findings = audit::audit_text(*text, options.input, nullptr);
  std::string name = options.name.empty() ? stem_of(options.input) : options.name;
  std::string summary = options.summary.empty() ? "Imported from " + options.input : options.summary;
  import::ProfileWriter writer = import::profile_from_advice(findings, name, summary);
  writer.add_header_comment("Converted by `tune import sysctl " + options.input + "`: the settings tune judged valid.");
  return emit(context, writer, options);
}

Result<import::TunedVariableSources> variable_sources(const ImportOptions& options) {
  import::TunedVariableSources sources;
  sources.file = options.variables_file;
  for (const auto& assignment : options.sets) {
    auto equals = assignment.find('=');
    if (equals == std::string::npos || equals == 0) {
      return make_error("--set {}: expected NAME=VALUE (isolated_cores=2-5)", assignment);
    }
    sources.overrides.emplace_back(assignment.substr(0, equals), assignment.substr(equals + 1));
  }
  return sources;
}

// --report: what each profile's options became, as text or JSON.
int run_tuned_report(Context& context, const ImportOptions& options, const import::TunedVariableSources& sources) {
  std::vector<import::TunedCoverage> coverages;
  if (!options.all_dir.empty()) {
    auto names = import::tuned_profiles_in(options.all_dir);
    if (names.empty()) return context.fail(make_error("no TuneD profiles (directories with a tuned.conf) in {}", options.all_dir));
    for (const auto& name : names) {
      auto converted = import::convert_tuned_with_coverage(name, "", {options.all_dir}, sources);
      if (!converted) return context.fail(with_context(name, converted.error()));
      coverages.push_back(converted->coverage);
    }
  } else {
    auto converted = import::convert_tuned_with_coverage(options.input, options.name, import::tuned_search_path(), sources);
    if (!converted) return context.fail(converted.error());
    coverages.push_back(converted->coverage);
  }
  if (context.options.json) context.out(import::coverage_json(coverages).dump(2) + "\n");
  else context.out(import::render_coverage_text(coverages));
  return exit_code::kOk;
}

int run_import_tuned(Context& context, const ImportOptions& options) {
  auto sources = variable_sources(options);
  if (!sources) return context.fail(sources.error());
  if (!options.all_dir.empty() && !options.report) return context.fail(make_error("--all DIR goes with --report"));
  if (options.all_dir.empty() && options.input.empty()) {
    return context.fail(make_error("name a TuneD profile (its directory, tuned.conf or name), or --report --all DIR"));
  }
  if (options.report) return run_tuned_report(context, options, *sources);
  auto converted = import::convert_tuned(options.input, options.name, import::tuned_search_path(), *sources);
  if (!converted) return context.fail(converted.error());
  if (!options.summary.empty()) converted->set_summary(options.summary);
  return emit(context, *converted, options);
}

}  // namespace

void add_import_command(CLI::App& app, Context& context) {
  CLI::App* command = app.add_subcommand("import", "Convert tuning advice or a TuneD profile into a tune profile");
  command->require_subcommand(1);

  auto advice = std::make_shared<ImportOptions>();
  CLI::App* sysctl = command->add_subcommand("sysctl", "Turn the valid settings of pasted advice into a profile");
  sysctl->add_option("file", advice->input, "sysctl.conf, a shell snippet, limits.conf...")->required();
  sysctl->add_option("--name", advice->name, "Profile name (default: the file's name)");
  sysctl->add_option("--summary", advice->summary, "Profile summary");
  sysctl->add_option("-o,--out", advice->out, "Write the profile here instead of stdout");
  sysctl->callback([&context, advice] { context.exit_code = run_import_advice(context, *advice); });

  auto tuned = std::make_shared<ImportOptions>();
  CLI::App* tuned_command = command->add_subcommand("tuned", "Convert a TuneD profile (its directory, tuned.conf or name)");
  tuned_command->add_option("path", tuned->input, "A TuneD profile directory, its tuned.conf, or a profile name");
  tuned_command->add_option("--name", tuned->name, "Profile name (default: tuned-<name>)");
  tuned_command->add_option("--summary", tuned->summary, "Profile summary (default: TuneD's)");
  tuned_command->add_option("-o,--out", tuned->out, "Write the profile here instead of stdout");
  tuned_command->add_option("--variables", tuned->variables_file,
                             "Read TuneD variables (isolated_cores=...) from FILE in place of the profile's variables files")
      ->check(CLI::ExistingFile);
  tuned_command->add_option("--set", tuned->sets, "Give a TuneD variable a value, over any file: NAME=VALUE (repeatable)");
  tuned_command->add_flag("--report", tuned->report,
                          "Print what each option became (converted, refused and why, not converted) instead of the profile");
  tuned_command->add_option("--all", tuned->all_dir, "With --report: every profile under this TuneD directory")
      ->check(CLI::ExistingDirectory);
  tuned_command->callback([&context, tuned] { context.exit_code = run_import_tuned(context, *tuned); });
}

}  // namespace tune::cli
