#include "bench/bench_result.h"

namespace tune::bench {

const Metric* BenchResult::metric(const std::string& name) const {
  for (const Metric& m : metrics) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

nlohmann::json result_to_json(const BenchResult& r) {
  nlohmann::json metrics = nlohmann::json::array();
  for (const Metric& m : r.metrics) {
    metrics.push_back({{"name", m.name},
                       {"label", m.label},
                       {"unit", m.unit},
                       {"better", m.higher_is_better ? "higher" : "lower"},
                       {"samples", m.samples}});
  }
  return {
      {"format", kResultFormat},
      {"tool", "tune bench"},
      {"tune_version", r.tune_version},
      {"started_at", r.started_at},
      {"host",
       {{"cpu", r.cpu},
        {"cores", r.cores},
        {"threads", r.threads},
        {"pinned", r.pinned},
        {"pin_note", r.pin_note},
        {"kernels", r.kernels},
        {"thp", r.thp_mode},
        {"hugepages_total", r.hugepages_total}}},
      {"model",
       {{"name", r.model},
        {"file", r.model_file},
        {"weight_type", r.weight_type},
        {"weight_memory", r.weight_memory},
        {"file_bytes", r.file_bytes},
        {"weight_bytes_per_token", r.weight_bytes_per_token},
        {"huge_page_bytes", r.huge_page_bytes},
        {"dim", r.dim},
        {"layers", r.layers},
        {"heads", r.heads},
        {"kv_heads", r.kv_heads},
        {"hidden", r.hidden},
        {"vocab", r.vocab}}},
      {"workload",
       {{"prompt_tokens", r.prompt_tokens},
        {"generate_tokens", r.generate_tokens},
        {"repeat", r.repeat},
        {"kv_cache", r.kv_cache},
        {"prompt", r.prompt_source}}},
      {"tokens", r.tokens},
      {"probes", {{"read_bandwidth_gbs", r.read_bandwidth_gbs}, {"fma_gflops", r.fma_gflops}}},
      {"metrics", metrics},
      {"notes", r.notes},
  };
}

namespace {

template <class T>
Status take(const nlohmann::json& object, const char* key, T& out) {
  if (!object.is_object() || !object.contains(key)) return make_error("field {} is missing", key);
  try {
    out = object.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    return make_error("field {} has the wrong type", key);
  }
  return {};
}

// Optional fields keep their default when absent or of another type.
template <class T>
void take_optional(const nlohmann::json& object, const char* key, T& out) {
  if (object.is_object() && object.contains(key)) {
    try {
      out = object.at(key).get<T>();
    } catch (const nlohmann::json::exception&) {
    }
  }
}

}  // namespace

Result<BenchResult> result_from_json(const nlohmann::json& json) {
  BenchResult r;
  int format = 0;
  TUNE_RETURN_IF_ERROR(take(json, "format", format));
  if (format != kResultFormat) return make_error("result format {} is not supported (this tune writes {})", format, kResultFormat);
  take_optional(json, "tune_version", r.tune_version);
  take_optional(json, "started_at", r.started_at);
  if (json.contains("host")) {
    const auto& host = json["host"];
    take_optional(host, "cpu", r.cpu);
    take_optional(host, "cores", r.cores);
    take_optional(host, "threads", r.threads);
    take_optional(host, "pinned", r.pinned);
    take_optional(host, "pin_note", r.pin_note);
    take_optional(host, "kernels", r.kernels);
    take_optional(host, "thp", r.thp_mode);
    take_optional(host, "hugepages_total", r.hugepages_total);
  }
  if (json.contains("model")) {
    const auto& model = json["model"];
    take_optional(model, "name", r.model);
    take_optional(model, "file", r.model_file);
    take_optional(model, "weight_type", r.weight_type);
    take_optional(model, "weight_memory", r.weight_memory);
    take_optional(model, "file_bytes", r.file_bytes);
    take_optional(model, "weight_bytes_per_token", r.weight_bytes_per_token);
    take_optional(model, "huge_page_bytes", r.huge_page_bytes);
    take_optional(model, "dim", r.dim);
    take_optional(model, "layers", r.layers);
    take_optional(model, "heads", r.heads);
    take_optional(model, "kv_heads", r.kv_heads);
    take_optional(model, "hidden", r.hidden);
    take_optional(model, "vocab", r.vocab);
  }
  if (json.contains("workload")) {
    take_optional(json["workload"], "prompt_tokens", r.prompt_tokens);
    take_optional(json["workload"], "generate_tokens", r.generate_tokens);
    take_optional(json["workload"], "repeat", r.repeat);
    take_optional(json["workload"], "kv_cache", r.kv_cache);
    take_optional(json["workload"], "prompt", r.prompt_source);
  }
  take_optional(json, "tokens", r.tokens);
  if (json.contains("probes")) {
    take_optional(json["probes"], "read_bandwidth_gbs", r.read_bandwidth_gbs);
    take_optional(json["probes"], "fma_gflops", r.fma_gflops);
  }
  nlohmann::json metrics;
  TUNE_RETURN_IF_ERROR(take(json, "metrics", metrics));
  if (!metrics.is_array()) return make_error("field metrics is not a list");
  for (size_t i = 0; i < metrics.size(); ++i) {
    Metric m;
    std::string better;
    const auto& item = metrics[i];
    if (auto s = take(item, "name", m.name); !s) return with_context(fmt::format("metrics[{}]", i), s.error());
    if (auto s = take(item, "unit", m.unit); !s) return with_context(fmt::format("metrics[{}]", i), s.error());
    if (auto s = take(item, "better", better); !s) return with_context(fmt::format("metrics[{}]", i), s.error());
    if (auto s = take(item, "samples", m.samples); !s) return with_context(fmt::format("metrics[{}]", i), s.error());
    if (better != "higher" && better != "lower") {
      return make_error("metrics[{}]: field better is '{}', not higher or lower", i, better);
    }
    m.higher_is_better = better == "higher";
    take_optional(item, "label", m.label);
    if (m.label.empty()) m.label = m.name;
    r.metrics.push_back(std::move(m));
  }
  take_optional(json, "notes", r.notes);
  return r;
}

}  // namespace tune::bench
