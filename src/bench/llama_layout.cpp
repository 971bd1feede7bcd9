#include "bench/llama_layout.h"

#include <fmt/format.h>

namespace tune::bench {
namespace {

std::string dims_text(const std::vector<uint64_t>& dims) {
  std::string text = "[";
  for (size_t i = 0; i < dims.size(); ++i) text += (i ? ", " : "") + std::to_string(dims[i]);
  return text + "]";
}

Result<const TensorRef*> find(const TensorTable& tensors, const std::string& name, const std::vector<uint64_t>& dims) {
  auto it = tensors.find(name);
  if (it == tensors.end()) return make_error("tensor {} is missing", name);
  if (it->second.dims != dims) {
    return make_error("tensor {} has shape {}, expected {}", name, dims_text(it->second.dims), dims_text(dims));
  }
  return &it->second;
}

Result<Matrix> matrix(const TensorTable& tensors, const std::string& name, int rows, int cols) {
  const TensorRef* ref = nullptr;
  TUNE_ASSIGN_OR_RETURN(ref, find(tensors, name, {static_cast<uint64_t>(cols), static_cast<uint64_t>(rows)}));
  if (ref->type == WeightType::kQ8_0 && cols % kQ8Block != 0) {
    return make_error("tensor {} is q8_0 with rows of {} values, not a multiple of {}", name, cols, kQ8Block);
  }
  return Matrix{ref->type, ref->data, rows, cols};
}

Result<std::vector<float>> norm_vector(const TensorTable& tensors, const std::string& name, int size) {
  const TensorRef* ref = nullptr;
  TUNE_ASSIGN_OR_RETURN(ref, find(tensors, name, {static_cast<uint64_t>(size)}));
  if (ref->type == WeightType::kQ8_0 && size % kQ8Block != 0) {
    return make_error("tensor {} is q8_0 with {} values, not a multiple of {}", name, size, kQ8Block);
  }
  std::vector<float> values(static_cast<size_t>(size));
  dequantize_row(ref->type, ref->data, values.size(), values.data());
  return values;
}

}  // namespace

std::vector<TensorSpec> llama_tensors(const ModelConfig& c, bool tied_classifier) {
  const auto u = [](int value) { return static_cast<uint64_t>(value); };
  std::vector<TensorSpec> specs;
  specs.push_back({"token_embd.weight", {u(c.dim), u(c.vocab_size)}, true});
  for (int l = 0; l < c.n_layers; ++l) {
    const std::string prefix = fmt::format("blk.{}.", l);
    specs.push_back({prefix + "attn_norm.weight", {u(c.dim)}, false});
    specs.push_back({prefix + "attn_q.weight", {u(c.dim), u(c.dim)}, true});
    specs.push_back({prefix + "attn_k.weight", {u(c.dim), u(c.kv_dim())}, true});
    specs.push_back({prefix + "attn_v.weight", {u(c.dim), u(c.kv_dim())}, true});
    specs.push_back({prefix + "attn_output.weight", {u(c.dim), u(c.dim)}, true});
    specs.push_back({prefix + "ffn_norm.weight", {u(c.dim)}, false});
    specs.push_back({prefix + "ffn_gate.weight", {u(c.dim), u(c.hidden_dim)}, true});
    specs.push_back({prefix + "ffn_up.weight", {u(c.dim), u(c.hidden_dim)}, true});
    specs.push_back({prefix + "ffn_down.weight", {u(c.hidden_dim), u(c.dim)}, true});
  }
  specs.push_back({"output_norm.weight", {u(c.dim)}, false});
  if (!tied_classifier) specs.push_back({"output.weight", {u(c.dim), u(c.vocab_size)}, true});
  return specs;
}

Result<Model> assemble_llama(const ModelConfig& config, const TensorTable& tensors,
                             std::shared_ptr<WeightStorage> storage, std::string source) {
  TUNE_RETURN_IF_ERROR(validate_config(config));
  const ModelConfig& c = config;
  Model model;
  model.config = config;
  model.source = std::move(source);
  model.storage = std::move(storage);
  TUNE_ASSIGN_OR_RETURN(model.token_embedding, matrix(tensors, "token_embd.weight", c.vocab_size, c.dim));
  for (int l = 0; l < c.n_layers; ++l) {
    const std::string prefix = fmt::format("blk.{}.", l);
    LayerWeights layer;
    TUNE_ASSIGN_OR_RETURN(layer.attn_norm, norm_vector(tensors, prefix + "attn_norm.weight", c.dim));
    TUNE_ASSIGN_OR_RETURN(layer.wq, matrix(tensors, prefix + "attn_q.weight", c.dim, c.dim));
    TUNE_ASSIGN_OR_RETURN(layer.wk, matrix(tensors, prefix + "attn_k.weight", c.kv_dim(), c.dim));
    TUNE_ASSIGN_OR_RETURN(layer.wv, matrix(tensors, prefix + "attn_v.weight", c.kv_dim(), c.dim));
    TUNE_ASSIGN_OR_RETURN(layer.wo, matrix(tensors, prefix + "attn_output.weight", c.dim, c.dim));
    TUNE_ASSIGN_OR_RETURN(layer.ffn_norm, norm_vector(tensors, prefix + "ffn_norm.weight", c.dim));
    TUNE_ASSIGN_OR_RETURN(layer.w_gate, matrix(tensors, prefix + "ffn_gate.weight", c.hidden_dim, c.dim));
    TUNE_ASSIGN_OR_RETURN(layer.w_up, matrix(tensors, prefix + "ffn_up.weight", c.hidden_dim, c.dim));
    TUNE_ASSIGN_OR_RETURN(layer.w_down, matrix(tensors, prefix + "ffn_down.weight", c.dim, c.hidden_dim));
    model.layers.push_back(std::move(layer));
  }
  TUNE_ASSIGN_OR_RETURN(model.final_norm, norm_vector(tensors, "output_norm.weight", c.dim));
  if (tensors.count("output.weight")) {
    TUNE_ASSIGN_OR_RETURN(model.classifier, matrix(tensors, "output.weight", c.vocab_size, c.dim));
  } else {
    model.classifier = model.token_embedding;
  }
  model.type = model.layers.front().wq.type;
  return model;
}

}  // namespace tune::bench
