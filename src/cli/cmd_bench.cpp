// tune bench: run the bundled inference benchmark, write a synthetic model,
// or compare two saved results.
#include "bench/gguf.h"
#include "bench/html_report.h"
#include "bench/paired_stats.h"
#include "bench/prompt_tokens.h"
#include "bench/report.h"
#include "bench/runner.h"
#include "bench/synthetic.h"
#include "cli/apply_validate.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/output_file.h"
#include "cli/validation_run.h"
#include "core/journal.h"
#include "core/profile_store.h"
#include "util/text.h"

#include <nlohmann/json.hpp>

#ifndef TUNE_VERSION
#define TUNE_VERSION "0"
#endif

namespace tune::cli {
namespace {

struct BenchFlags {
  std::string model = "synthetic:110m";
  std::string dtype = "q8_0";
  std::string weights = "auto";
  std::string kv_cache = "f16";
  bool mlock = false;
  int threads = 0;
  bool no_pin = false;
  int prompt = 128;
  std::string prompt_tokens;  // FILE of token ids: the prompt, instead of one drawn from the seed
  bool tokens = false;        // print the generated token ids instead of the report
  int generate = 64;
  int repeat = 5;
  int warmup = 1;
  bool no_cold = false;
  bool no_probes = false;
  uint64_t seed = 1;
  std::string cache_dir;
  bool markdown = false;
  std::string out;          // also save the JSON result here
  std::string write_model;  // write the synthetic model as GGUF and stop
  bool calibrate = false;   // A/A: the host's noise floor as a validation would see it
  int calibrate_pairs = 0;  // 0: the policy's pairs
};

struct CompareFlags {
  std::string before;
  std::string after;
  bool markdown = false;
  std::string html;  // also write the report page here
};

Result<bench::BenchOptions> to_options(const BenchFlags& flags) {
  bench::BenchOptions options;
  options.model = flags.model;
  auto types = bench::parse_synthetic_types(flags.dtype);
  if (!types) {
    return make_error("unknown --dtype '{}' (one of: {}, q4_k_m, q5_k_m)", flags.dtype,
                      bench::supported_weight_type_names());
  }
  options.weight_type = types->base;
  options.weight_mix = types->mix;
  auto memory = bench::parse_weight_memory(flags.weights);
  if (!memory) {
    return make_error("unknown --weights '{}' (one of: mmap, mmap-populate, copy, thp, hugetlb, auto)", flags.weights);
  }
  options.load.memory = *memory;
  auto kv_cache = bench::parse_kv_cache(flags.kv_cache);
  if (!kv_cache) return make_error("unknown --kv-cache '{}' (one of: f16, f32)", flags.kv_cache);
  options.kv_cache = *kv_cache;
  options.load.mlock = flags.mlock;
  options.threads = flags.threads;
  options.pin = !flags.no_pin;
  options.prompt_tokens = flags.prompt;
  if (!flags.prompt_tokens.empty()) {
    TUNE_ASSIGN_OR_RETURN(options.prompt, bench::read_prompt_tokens(flags.prompt_tokens));
    options.prompt_source = flags.prompt_tokens;
  }
  options.generate_tokens = flags.generate;
  options.repeat = flags.repeat;
  options.warmup = flags.warmup;
  options.cold_load = !flags.no_cold;
  options.probes = !flags.no_probes;
  options.seed = flags.seed;
  options.cache_dir = flags.cache_dir;
  options.tune_version = TUNE_VERSION;
  return options;
}

int write_model(Context& context, const BenchFlags& flags, const bench::BenchOptions& options) {
  if (!starts_with(flags.model, "synthetic:")) {
    return context.fail(Error{"--write-model writes a synthetic model: give --model synthetic:SIZE"}, exit_code::kUsage);
  }
  const std::string size = flags.model.substr(std::string("synthetic:").size());
  auto config = bench::synthetic_config(size);
  if (!config) return context.fail(config.error(), exit_code::kUsage);
  auto status = bench::write_synthetic_gguf(*config, bench::SyntheticTypes{options.weight_type, options.weight_mix},
                                            options.seed, flags.model, flags.write_model);
  if (!status) return context.fail(status.error());
  if (context.options.json) {
    context.out(nlohmann::json{{"written", flags.write_model}, {"model", flags.model}, {"weight_type", flags.dtype}}
                    .dump(2) + "\n");
  } else {
    context.out("Wrote " + flags.model + " (" + flags.dtype + ") to " + flags.write_model + "\n");
  }
  return exit_code::kOk;
}

// tune bench --calibrate: the host against itself, in the blocks a
// validation measures, so a user knows before applying whether
// `apply --validate` can resolve the regression the policy allows.
int run_calibrate(Context& context, const BenchFlags& flags) {
  auto loaded = validation_policy(context, ValidateOptions{});
  if (!loaded) return context.fail(loaded.error());
  ValidationPolicy policy = *loaded;
  const int pairs = flags.calibrate_pairs > 0 ? flags.calibrate_pairs : policy.pairs;
  ValidationPolicy calibration = policy;
  calibration.calibration_pairs = pairs;
  calibration.pairs = 0;
  const bool talk = !context.options.json;
  if (talk) {
    context.out(fmt::format("Calibrating: the host against itself, {} A/A pairs of blocks ({} runs each) with {}.\n",
                            pairs, policy.repeats, flags.model));
  }
  bool unused = false;
  auto measured = measure_validation(
      calibration, bench::Design::kInterleaved,
      [&](const std::string& what) { return measure_validation_block(context, flags.model, policy, what); },
      StateSwitch{[] { return Status{}; }, [] { return Status{}; }}, unused);
  if (!measured) return context.fail(measured.error());

  const double confidence = policy.confidence_pct / 100;
  const double allowed = policy.max_regression_pct / 100;
  bool resolves = !policy.metrics.empty();
  nlohmann::json metrics = nlohmann::json::array();
  std::vector<std::vector<std::string>> rows = {
      {"metric", "noise/pair", fmt::format("resolvable ({} pairs)", policy.pairs), "A/A change [95% CI]"}};
  for (const auto& series : measured->series) {
    const double noise = bench::pair_noise(series.calibration_first, series.calibration_second);
    const double resolvable = bench::resolvable_change(noise, static_cast<size_t>(policy.pairs), confidence);
    const bench::PairedChange aa = bench::paired_change(series.calibration_first, series.calibration_second, confidence);
    const bool decides = std::find(policy.metrics.begin(), policy.metrics.end(), series.name) != policy.metrics.end();
    if (decides && !(resolvable < allowed)) resolves = false;
    metrics.push_back({{"name", series.name},
                       {"label", series.label},
                       {"decides", decides},
                       {"noise", noise},
                       {"resolvable", resolvable},
                       {"aa_change", aa.change},
                       {"aa_interval", aa.bounded ? nlohmann::json{aa.interval.low, aa.interval.high} : nlohmann::json(nullptr)}});
    rows.push_back({series.label + (decides ? " (decides)" : ""), fmt::format("±{:.1f}%", noise * 100),
                    fmt::format("±{:.1f}%", resolvable * 100),
                    aa.bounded ? fmt::format("{:+.1f}% [{:+.1f}%, {:+.1f}%]", aa.change * 100, aa.interval.low * 100,
                                             aa.interval.high * 100)
                               : fmt::format("{:+.1f}% (too few pairs)", aa.change * 100)});
  }
  if (context.options.json) {
    context.out(nlohmann::json{{"pairs", pairs},
                               {"repeats", policy.repeats},
                               {"model", flags.model},
                               {"order", measured->order},
                               {"validation_pairs", policy.pairs},
                               {"deciding_metrics", policy.metrics},
                               {"allowed_regression_pct", policy.max_regression_pct},
                               {"resolves_allowance", resolves},
                               {"metrics", metrics}}
                    .dump(2) + "\n");
    return exit_code::kOk;
  }
  size_t width = 0;
  for (const auto& row : rows) width = std::max(width, row[0].size());
  for (const auto& row : rows) {
    context.out(fmt::format("{:<{}}  {:>10}  {:>22}  {}\n", row[0], width, row[1], row[2], row[3]));
  }
  context.out(fmt::format("\nnoise/pair: spread of the log ratios of the A/A pairs; resolvable: the half-width of "
                          "the {:g}% interval a validation of {} pairs can expect here.\n",
                          policy.confidence_pct, policy.pairs));
  context.out(resolves ? fmt::format("A validation here can resolve the {:g}% regression the policy allows.\n",
                                     policy.max_regression_pct)
                       : fmt::format("This host is too noisy to resolve a {:g}% regression with {} pairs: expect "
                                     "\"inconclusive\" (raise pairs or repeats in [validation] of tune.toml, or "
                                     "measure when the host is quieter).\n",
                                     policy.max_regression_pct, policy.pairs));
  return exit_code::kOk;
}

int run_bench(Context& context, const BenchFlags& flags) {
  auto options = to_options(flags);
  if (!options) return context.fail(options.error(), exit_code::kUsage);
  if (!flags.write_model.empty()) return write_model(context, flags, *options);
  if (flags.calibrate) return run_calibrate(context, flags);
  if (!context.options.json && !context.options.quiet) options->progress = bench::terminal_progress();
  auto result = bench::run_benchmark(*options);
  if (!result) return context.fail(result.error());
  const std::string json = bench::result_to_json(*result).dump(2) + "\n";
  if (!flags.out.empty()) {
    if (auto saved = write_output_file(flags.out, json); !saved) return context.fail(saved.error());
  }
  if (context.options.json) {
    context.out(json);
  } else if (flags.tokens) {
    // One line of ids, the form --prompt-tokens reads: easy to diff against another runtime's.
    std::string line;
    for (int token : result->tokens) line += (line.empty() ? "" : " ") + std::to_string(token);
    context.out(line + "\n");
  } else if (flags.markdown) {
    context.out(bench::render_result_markdown(*result));
  } else {
    context.out(bench::render_result_text(*result));
    if (!flags.out.empty()) context.out("Saved to " + flags.out + " (compare with: tune bench compare BEFORE AFTER)\n");
  }
  return exit_code::kOk;
}

Result<bench::BenchResult> load_result(const std::string& path) {
  std::string text;
  TUNE_ASSIGN_OR_RETURN(text, read_input_file(path));
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return make_error("{}: not JSON (byte {})", path, e.byte);
  } catch (const nlohmann::json::exception&) {
    return make_error("{}: not JSON (a number out of range)", path);
  }
  auto result = bench::result_from_json(json);
  if (!result) return with_context(path, result.error());
  return result;
}

int run_compare(Context& context, const CompareFlags& flags) {
  auto before = load_result(flags.before);
  if (!before) return context.fail(before.error());
  auto after = load_result(flags.after);
  if (!after) return context.fail(after.error());
  const bench::Comparison comparison = bench::compare_results(*before, *after);
  if (!flags.html.empty()) {
    bench::ReportPage page;
    page.title = "Benchmark comparison";
    page.subtitle = "tune bench compare " + flags.before + " " + flags.after;
    page.generated_at = utc_now_iso8601();
    page.tune_version = TUNE_VERSION;
    page.before_name = flags.before;
    page.after_name = flags.after;
    page.before = &*before;
    page.after = &*after;
    page.comparison = &comparison;
    if (auto saved = write_output_file(flags.html, bench::render_report_page(page)); !saved) {
      return context.fail(saved.error());
    }
  }
  if (context.options.json) {
    context.out(bench::comparison_to_json(comparison).dump(2) + "\n");
  } else if (flags.markdown) {
    context.out(bench::render_comparison_markdown(comparison));
  } else {
    context.out(bench::render_comparison_text(comparison));
  }
  return exit_code::kOk;
}

}  // namespace

void add_bench_command(CLI::App& app, Context& context) {
  auto flags = std::make_shared<BenchFlags>();
  CLI::App* bench = app.add_subcommand("bench", "Benchmark LLM inference on this host with the bundled runner");
  bench->add_option("-m,--model", flags->model, "synthetic:SIZE[-ARCH][-tied] (SIZE tiny|15m|110m|1b, ARCH llama|qwen2|qwen3), a GGUF file, "
                    "or a llama2.c checkpoint")
      ->capture_default_str();
  bench->add_option("--dtype", flags->dtype, "Weight type of a synthetic model: " + bench::supported_weight_type_names() +
                        ", or q4_k_m / q5_k_m (llama.cpp's mixes: q6_K where it gives more bits)")->capture_default_str();
  bench->add_option("--weights", flags->weights, "Weight memory: mmap, mmap-populate, copy, thp, hugetlb, auto")
      ->capture_default_str();
  bench->add_option("--kv-cache", flags->kv_cache, "How the key/value cache stores values: f16, f32")
      ->capture_default_str();
  bench->add_flag("--mlock", flags->mlock, "Lock the weights in RAM");
  bench->add_option("-t,--threads", flags->threads, "Threads (default: one per physical core)");
  bench->add_flag("--no-pin", flags->no_pin, "Do not pin threads to cores");
  bench->add_option("--prompt", flags->prompt, "Prompt tokens (prefill)")->capture_default_str();
  bench->add_option("--prompt-tokens", flags->prompt_tokens,
                    "The prompt as token ids (whitespace-separated) from FILE, instead of --prompt drawn from --seed");
  bench->add_flag("--tokens", flags->tokens,
                  "Print the token ids the first timed repetition generated (one line), instead of the report");
  bench->add_option("--generate", flags->generate, "Tokens to generate (decode)")->capture_default_str();
  bench->add_option("-r,--repeat", flags->repeat, "Repetitions (median and spread over them)")->capture_default_str();
  bench->add_option("--warmup", flags->warmup, "Untimed runs before the timed ones")->capture_default_str();
  bench->add_flag("--no-cold", flags->no_cold, "Skip cold loads (dropping the file from the page cache)");
  bench->add_flag("--no-probes", flags->no_probes, "Skip the bandwidth and FMA probes (no roofline shares)");
  bench->add_option("--seed", flags->seed, "Seed of the synthetic weights and the prompt")->capture_default_str();
  bench->add_option("--cache-dir", flags->cache_dir, "Where synthetic models are kept (default ~/.cache/tune)");
  bench->add_flag("--markdown", flags->markdown, "Markdown output");
  bench->add_option("-o,--out", flags->out, "Also save the JSON result to FILE (for tune bench compare)");
  bench->add_option("--write-model", flags->write_model, "Write the synthetic model as a GGUF file and stop");
  bench->add_flag("--calibrate", flags->calibrate,
                  "Measure the host against itself (A/A) in validation blocks: its noise floor per metric");
  bench->add_option("--calibrate-pairs", flags->calibrate_pairs, "With --calibrate: A/A pairs (default: the policy's pairs)")
      ->check(CLI::Range(2, 100));

  bench->require_subcommand(0, 1);  // `compare`, or none: run the benchmark

  auto compare_flags = std::make_shared<CompareFlags>();
  CLI::App* compare = bench->add_subcommand("compare", "Compare two saved results: change, 95% CI, verdict");
  compare->add_option("before", compare_flags->before, "Result before (tune bench --out or --json)")->required();
  compare->add_option("after", compare_flags->after, "Result after")->required();
  compare->add_flag("--markdown", compare_flags->markdown, "Markdown output");
  compare->add_option("--html", compare_flags->html,
                      "Also write the comparison as one self-contained HTML page (charts, no network) to FILE");
  compare->callback([&context, compare_flags] { context.exit_code = run_compare(context, *compare_flags); });

  bench->callback([&context, flags, compare] {
    if (compare->parsed()) return;  // `tune bench compare` ran instead
    context.exit_code = run_bench(context, *flags);
  });
}

}  // namespace tune::cli
