#include "bench/runner.h"

#include "bench/model_file.h"
#include "bench/probes.h"
#include "bench/prompt_tokens.h"
#include "bench/stats.h"
#include "bench/synthetic.h"
#include "bench/transformer.h"
#include "util/text.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdlib>
#include <thread>
#include <ctime>
#include <fstream>
#include <optional>

#include <sys/resource.h>
#include <unistd.h>

namespace tune::bench {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string read_first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

std::string proc_field(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    if (starts_with(line, key)) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return trim(line.substr(colon + 1));
    }
  }
  return {};
}

std::string chosen_thp_mode() {
  const std::string line = read_first_line("/sys/kernel/mm/transparent_hugepage/enabled");
  const auto open = line.find('[');
  const auto close = line.find(']');
  if (open == std::string::npos || close == std::string::npos || close < open) return "unknown";
  return line.substr(open + 1, close - open - 1);
}

// The peak resident set since the last reset, in MiB.
std::optional<double> peak_rss_mib() {
  const auto words = split_whitespace(proc_field("/proc/self/status", "VmHWM"));  // "123456 kB"
  if (words.empty()) return std::nullopt;
  if (auto kib = parse_integer(words[0])) return static_cast<double>(*kib) / 1024.0;
  return std::nullopt;
}

// Resets the peak resident set (Linux: "5" to /proc/self/clear_refs).
bool reset_peak_rss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return static_cast<bool>(out);
}

// CPU time of the whole process (every thread), user and system.
double process_cpu_seconds() {
  struct rusage usage {};
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// Reads one byte of every page, so a lazily mapped file is resident: load
// time then means "ready to run" in every memory mode.
void touch_pages(const WeightStorage& storage) {
  volatile uint8_t sink = 0;
  const uint8_t* data = storage.data();
  for (size_t at = 0; at < storage.size(); at += 4096) sink = static_cast<uint8_t>(sink + data[at]);
  (void)sink;
}

// Flops of a prompt of n tokens: every matrix but the classifier once per
// token, the classifier once (last token only), and causal attention.
double prefill_flops(const Model& model, int n) {
  const ModelConfig& c = model.config;
  const double classifier = static_cast<double>(model.classifier.rows) * model.classifier.cols;
  const double matrices = static_cast<double>(model.matrix_parameters_per_token()) - classifier;
  const double attention = 4.0 * c.dim * c.n_layers * (static_cast<double>(n) * (n + 1) / 2.0);
  return 2.0 * matrices * n + 2.0 * classifier + attention;
}

#ifdef TUNE_FAULT_POINTS
// Test-only: while the file named by TUNE_TEST_BENCH_SLOW_IF_EXISTS exists
// (an applied profile's file), decoding counts as TUNE_TEST_BENCH_SLOW_PCT
// percent slower (default 50): each token's measured time is stretched by
// 1 / (1 - pct/100), so end-to-end tests can make `tune apply --validate`
// face a known loss with the host's real noise on top. The time is scaled,
// not spent: a busy wait changes what it measures (a spinning core runs the
// next token faster), and a sleep cannot add a few microseconds exactly.
double injected_slowdown() {
  const char* path = std::getenv("TUNE_TEST_BENCH_SLOW_IF_EXISTS");
  if (!path || ::access(path, F_OK) != 0) return 1.0;
  double pct = 50;
  if (const char* text = std::getenv("TUNE_TEST_BENCH_SLOW_PCT")) pct = std::clamp(std::strtod(text, nullptr), 0.0, 95.0);
  return 1.0 / (1.0 - pct / 100.0);
}
#else
double injected_slowdown() { return 1.0; }
#endif

std::vector<int> make_prompt(int count, int vocab, uint64_t seed) {
  std::vector<int> prompt;
  uint64_t state = seed * 0x9e3779b97f4a7c15ull + 1;
  for (int i = 0; i < count; ++i) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    prompt.push_back(static_cast<int>(state % static_cast<uint64_t>(vocab)));
  }
  return prompt;
}

}  // namespace

Result<std::string> resolve_model_file(const BenchOptions& options) {
  if (starts_with(options.model, "synthetic:")) {
    const std::string size = options.model.substr(std::string("synthetic:").size());
    const std::string dir = options.cache_dir.empty() ? synthetic_cache_dir() : options.cache_dir;
    return synthetic_model_file(size, SyntheticTypes{options.weight_type, options.weight_mix}, options.seed, dir);
  }
  return options.model;
}

Result<BenchResult> run_benchmark(const BenchOptions& given) {
  BenchOptions options = given;
  if (!options.prompt.empty()) options.prompt_tokens = static_cast<int>(options.prompt.size());
  if (options.prompt_tokens < 1) return make_error("the prompt needs at least one token");
  if (options.generate_tokens < 1) return make_error("at least one token must be generated");
  if (options.repeat < 1) return make_error("--repeat must be at least 1");
  auto progress = [&](const std::string& stage, double done) {
    if (options.progress) options.progress(stage, done);
  };

  BenchResult result;
  result.tune_version = options.tune_version;
  result.started_at = utc_now();
  result.model = options.model;
  result.prompt_tokens = options.prompt_tokens;
  result.generate_tokens = options.generate_tokens;
  result.repeat = options.repeat;

  if (starts_with(options.model, "synthetic:")) {
    const std::string types = synthetic_types_name({options.weight_type, options.weight_mix});
    progress("preparing " + options.model + " (" + types + ")", 0.0);
  }
  std::string file;
  TUNE_ASSIGN_OR_RETURN(file, resolve_model_file(options));
  result.model_file = file;

  ThreadPool pool({options.threads, options.pin});
  const Kernels& kernels = bench::kernels();
  result.cpu = proc_field("/proc/cpuinfo", "model name");
  result.cores = physical_core_count();
  result.threads = pool.size();
  result.pinned = pool.pinned();
  result.pin_note = pool.pin_note();
  result.kernels = kernels.name;
  result.kv_cache = std::string(kv_cache_name(options.kv_cache));
  result.thp_mode = chosen_thp_mode();
  if (auto total = parse_integer(proc_field("/proc/meminfo", "HugePages_Total"))) result.hugepages_total = *total;

  if (options.probes) {
    progress("probing memory bandwidth", 0.02);
    const BandwidthProbe bandwidth = measure_read_bandwidth(pool, kernels, options.probe_bytes, options.probe_passes);
    progress("probing FMA throughput", 0.06);
    const ComputeProbe compute = measure_fma_throughput(pool, kernels, options.fma_probe_seconds, options.probe_passes);
    result.read_bandwidth_gbs = bandwidth.peak_gbs;
    result.fma_gflops = compute.peak_gflops;
  }

  const bool rss_reset = reset_peak_rss();
  if (!rss_reset) result.notes.push_back("peak RSS could not be reset: it includes the probes' buffer");

  // Loads: cold (file dropped from the page cache) and warm, `repeat` times.
  Metric load_cold{"load_cold_ms", "load (cold)", "ms", false, {}};
  Metric load_warm{"load_warm_ms", "load (warm)", "ms", false, {}};
  std::optional<Model> model;
  double worst_cached = 0;
  bool cold_ok = options.cold_load;
  for (int rep = 0; rep < options.repeat; ++rep) {
    progress(fmt::format("loading {} ({}/{})", file, rep + 1, options.repeat),
             0.1 + 0.2 * rep / options.repeat);
    model.reset();
    if (cold_ok) {
      auto cached = drop_from_page_cache(file);
      if (!cached) {
        result.notes.push_back("cold loads skipped: " + cached.error().message);
        cold_ok = false;
      } else {
        worst_cached = std::max(worst_cached, *cached);
        const auto start = Clock::now();
        auto loaded = load_model_file(file, options.load);
        if (!loaded) return loaded.error();
        touch_pages(*loaded->storage);
        load_cold.samples.push_back(seconds_since(start) * 1e3);
      }
    }
    model.reset();
    const auto start = Clock::now();
    auto loaded = load_model_file(file, options.load);
    if (!loaded) return loaded.error();
    touch_pages(*loaded->storage);
    load_warm.samples.push_back(seconds_since(start) * 1e3);
    model.emplace(std::move(*loaded));
    if (const int context = options.prompt_tokens + options.generate_tokens; context > model->config.max_seq_len) {
      return make_error("prompt ({}) plus generated tokens ({}) exceed the model's context of {}",
                        options.prompt_tokens, options.generate_tokens, model->config.max_seq_len);
    }
  }
  if (worst_cached > 0.05) {
    result.notes.push_back(fmt::format("the page cache kept up to {:.0f}% of the file after the drop request: "
                                       "cold loads were partly warm",
                                       worst_cached * 100));
  }

  const ModelConfig& c = model->config;
  const int context = options.prompt_tokens + options.generate_tokens;
  result.weight_type = std::string(weight_type_name(model->type));
  result.weight_memory = model->storage->describe();
  result.file_bytes = model->storage->size();
  result.weight_bytes_per_token = model->weight_bytes_per_token();
  result.huge_page_bytes = huge_page_bytes(*model->storage).value_or(0);
  result.dim = c.dim;
  result.layers = c.n_layers;
  result.heads = c.n_heads;
  result.kv_heads = c.n_kv_heads;
  result.hidden = c.hidden_dim;
  result.vocab = c.vocab_size;

  // Inference: prompt, then greedy decoding, warmup + repeat times.
  Metric prefill{"prefill_tokens_per_s", "prefill", "tok/s", true, {}};
  Metric decode{"decode_tokens_per_s", "decode", "tok/s", true, {}};
  Metric ttft{"ttft_ms", "time to first token", "ms", false, {}};
  Metric p50{"itl_p50_ms", "inter-token p50", "ms", false, {}};
  Metric p95{"itl_p95_ms", "inter-token p95", "ms", false, {}};
  Metric p99{"itl_p99_ms", "inter-token p99", "ms", false, {}};
  Metric bandwidth{"decode_bandwidth_gbs", "decode weight bandwidth", "GB/s", true, {}};
  Metric roofline{"decode_roofline_pct", "decode, share of read roofline", "%", true, {}};
  Metric compute{"prefill_gflops", "prefill compute", "GFLOP/s", true, {}};
  Metric compute_share{"prefill_fma_pct", "prefill, share of FMA peak", "%", true, {}};
  Metric cpu_share{"cpu_share_pct", "threads on their cores", "%", true, {}};

  if (!options.prompt.empty()) {
    TUNE_RETURN_IF_ERROR(check_prompt_tokens(options.prompt, c.vocab_size,
                                             options.prompt_source.empty() ? "the prompt" : options.prompt_source));
  }
  const std::vector<int> prompt =
      options.prompt.empty() ? make_prompt(options.prompt_tokens, c.vocab_size, options.seed) : options.prompt;
  result.prompt_source = options.prompt.empty() ? "seed" : options.prompt_source;
  const double flops = prefill_flops(*model, options.prompt_tokens);
  Transformer transformer(*model, pool, context, kernels, options.kv_cache);
  const int runs = options.warmup + options.repeat;
  for (int run = 0; run < runs; ++run) {
    const bool timed = run >= options.warmup;
    progress(timed ? fmt::format("running ({}/{})", run - options.warmup + 1, options.repeat) : "warming up",
             0.3 + 0.7 * run / runs);
    // The peaks again, right before this repetition: on a shared host (a VM,
    // neighbours on the same memory) what is available drifts over seconds,
    // and a repetition is fairly judged only against what was there for it.
    double near_bandwidth = result.read_bandwidth_gbs;
    double near_flops = result.fma_gflops;
    if (options.probes && options.probe_each_run && timed) {
      near_bandwidth = measure_read_bandwidth(pool, kernels, options.probe_bytes / 2, 2).peak_gbs;
      near_flops = measure_fma_throughput(pool, kernels, 0.02, 2).peak_gflops;
      result.read_bandwidth_gbs = std::max(result.read_bandwidth_gbs, near_bandwidth);
      result.fma_gflops = std::max(result.fma_gflops, near_flops);
    }
    const double cpu_start = process_cpu_seconds();
    const auto start = Clock::now();
    const std::vector<float>& first_logits = transformer.forward(prompt, 0);
    const double prefill_seconds = seconds_since(start);
    int next = argmax(first_logits);
    const double first_token_seconds = seconds_since(start);
    std::vector<double> gaps;
    const double slowdown = injected_slowdown();
    // The first timed repetition's tokens are kept: what another runtime
    // given the same file and prompt should generate too.
    const bool keep_tokens = run == options.warmup;
    for (int i = 0; i < options.generate_tokens; ++i) {
      if (keep_tokens) result.tokens.push_back(next);  // outside the timed step
      const auto step = Clock::now();
      const int token = next;
      next = argmax(transformer.forward(std::span<const int>(&token, 1), options.prompt_tokens + i));
      gaps.push_back(seconds_since(step) * slowdown);
    }
    if (!timed) continue;
    // Workers spin while they wait, so a thread that had its core all the
    // time shows as fully busy: less than 100% means other work on the host
    // took the cores away, and the figures of this repetition suffer.
    cpu_share.samples.push_back(100.0 * (process_cpu_seconds() - cpu_start) / seconds_since(start) / pool.size());
    double decode_seconds = 0;
    for (double gap : gaps) decode_seconds += gap;
    const double tokens_per_s = options.generate_tokens / decode_seconds;
    prefill.samples.push_back(options.prompt_tokens / prefill_seconds);
    ttft.samples.push_back(first_token_seconds * 1e3);
    decode.samples.push_back(tokens_per_s);
    p50.samples.push_back(percentile(gaps, 50) * 1e3);
    p95.samples.push_back(percentile(gaps, 95) * 1e3);
    p99.samples.push_back(percentile(gaps, 99) * 1e3);
    const double gbs = tokens_per_s * static_cast<double>(result.weight_bytes_per_token) / 1e9;
    bandwidth.samples.push_back(gbs);
    compute.samples.push_back(flops / prefill_seconds / 1e9);
    if (near_bandwidth > 0) roofline.samples.push_back(100.0 * gbs / near_bandwidth);
    if (near_flops > 0) compute_share.samples.push_back(100.0 * flops / prefill_seconds / 1e9 / near_flops);
  }

  Metric rss{"peak_rss_mib", "peak RSS", "MiB", false, {}};
  if (auto peak = peak_rss_mib()) rss.samples.push_back(*peak);

  result.metrics = {prefill, decode, ttft, p50, p95, p99, bandwidth, compute};
  if (!roofline.samples.empty()) result.metrics.push_back(roofline);
  if (!compute_share.samples.empty()) result.metrics.push_back(compute_share);
  if (!load_cold.samples.empty()) result.metrics.push_back(load_cold);
  result.metrics.push_back(load_warm);
  if (!rss.samples.empty()) result.metrics.push_back(rss);
  result.metrics.push_back(cpu_share);
  if (const double share = summarize(cpu_share.samples).median; share < 90) {
    result.notes.push_back(fmt::format("the threads had their cores only {:.0f}% of the time (median): other load on "
                                       "this host distorts these figures",
                                       share));
  }
  if (!pool.pinned()) result.notes.push_back("threads not pinned: " + pool.pin_note());
  progress("done", 1.0);
  return result;
}

}  // namespace tune::bench
