#include "bench/llama_layout.h"

#include <fmt/format.h>

#include <cmath>

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
  if (cols % block_values(ref->type) != 0) {
    return make_error("tensor {} is {} with rows of {} values, not a multiple of {}", name,
                      weight_type_name(ref->type), cols, block_values(ref->type));
  }
  return Matrix{ref->type, ref->data, rows, cols};
}

Result<std::vector<float>> norm_vector(const TensorTable& tensors, const std::string& name, int size) {
  const TensorRef* ref = nullptr;
  TUNE_ASSIGN_OR_RETURN(ref, find(tensors, name, {static_cast<uint64_t>(size)}));
  if (size % block_values(ref->type) != 0) {
    return make_error("tensor {} is {} with {} values, not a multiple of {}", name, weight_type_name(ref->type), size,
                      block_values(ref->type));
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
    specs.push_back({prefix + "attn_q.weight", {u(c.dim), u(c.q_dim())}, true});
    specs.push_back({prefix + "attn_k.weight", {u(c.dim), u(c.kv_dim())}, true});
    specs.push_back({prefix + "attn_v.weight", {u(c.dim), u(c.kv_dim())}, true});
    specs.push_back({prefix + "attn_output.weight", {u(c.q_dim()), u(c.dim)}, true});
    const ArchitectureTraits& arch = traits(c.architecture);
    if (arch.qkv_bias) {
      specs.push_back({prefix + "attn_q.bias", {u(c.q_dim())}, false});
      specs.push_back({prefix + "attn_k.bias", {u(c.kv_dim())}, false});
      specs.push_back({prefix + "attn_v.bias", {u(c.kv_dim())}, false});
    }
    if (arch.qk_norm) {
      specs.push_back({prefix + "attn_q_norm.weight", {u(c.head_dim())}, false});
      specs.push_back({prefix + "attn_k_norm.weight", {u(c.head_dim())}, false});
    }
    if (arch.gemma_block) specs.push_back({prefix + "post_attention_norm.weight", {u(c.dim)}, false});
    specs.push_back({prefix + "ffn_norm.weight", {u(c.dim)}, false});
    specs.push_back({prefix + "ffn_gate.weight", {u(c.dim), u(c.hidden_dim)}, true});
    specs.push_back({prefix + "ffn_up.weight", {u(c.dim), u(c.hidden_dim)}, true});
    specs.push_back({prefix + "ffn_down.weight", {u(c.hidden_dim), u(c.dim)}, true});
    if (arch.gemma_block) specs.push_back({prefix + "post_ffw_norm.weight", {u(c.dim)}, false});
  }
  specs.push_back({"output_norm.weight", {u(c.dim)}, false});
  if (c.rope_freq_factors) specs.push_back({"rope_freqs.weight", {u(c.head_dim() / 2)}, false});
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
    TUNE_ASSIGN_OR_RETURN(layer.wq, matrix(tensors, prefix + "attn_q.weight", c.q_dim(), c.dim));
    TUNE_ASSIGN_OR_RETURN(layer.wk, matrix(tensors, prefix + "attn_k.weight", c.kv_dim(), c.dim));
    TUNE_ASSIGN_OR_RETURN(layer.wv, matrix(tensors, prefix + "attn_v.weight", c.kv_dim(), c.dim));
    TUNE_ASSIGN_OR_RETURN(layer.wo, matrix(tensors, prefix + "attn_output.weight", c.dim, c.q_dim()));
    TUNE_ASSIGN_OR_RETURN(layer.ffn_norm, norm_vector(tensors, prefix + "ffn_norm.weight", c.dim));
    TUNE_ASSIGN_OR_RETURN(layer.w_gate, matrix(tensors, prefix + "ffn_gate.weight", c.hidden_dim, c.dim));
    TUNE_ASSIGN_OR_RETURN(layer.w_up, matrix(tensors, prefix + "ffn_up.weight", c.hidden_dim, c.dim));
    TUNE_ASSIGN_OR_RETURN(layer.w_down, matrix(tensors, prefix + "ffn_down.weight", c.dim, c.hidden_dim));
    const ArchitectureTraits& arch = traits(c.architecture);
    if (arch.qkv_bias) {
      TUNE_ASSIGN_OR_RETURN(layer.q_bias, norm_vector(tensors, prefix + "attn_q.bias", c.q_dim()));
      TUNE_ASSIGN_OR_RETURN(layer.k_bias, norm_vector(tensors, prefix + "attn_k.bias", c.kv_dim()));
      TUNE_ASSIGN_OR_RETURN(layer.v_bias, norm_vector(tensors, prefix + "attn_v.bias", c.kv_dim()));
    }
    if (arch.qk_norm) {
      TUNE_ASSIGN_OR_RETURN(layer.q_norm, norm_vector(tensors, prefix + "attn_q_norm.weight", c.head_dim()));
      TUNE_ASSIGN_OR_RETURN(layer.k_norm, norm_vector(tensors, prefix + "attn_k_norm.weight", c.head_dim()));
    }
    if (arch.gemma_block) {
      TUNE_ASSIGN_OR_RETURN(layer.post_attention_norm,
                            norm_vector(tensors, prefix + "post_attention_norm.weight", c.dim));
      TUNE_ASSIGN_OR_RETURN(layer.post_ffn_norm, norm_vector(tensors, prefix + "post_ffw_norm.weight", c.dim));
    }
    model.layers.push_back(std::move(layer));
  }
  TUNE_ASSIGN_OR_RETURN(model.final_norm, norm_vector(tensors, "output_norm.weight", c.dim));
  model.config.rope_freq_factors = tensors.count("rope_freqs.weight") > 0;
  if (model.config.rope_freq_factors) {
    TUNE_ASSIGN_OR_RETURN(model.rope_freq_factors, norm_vector(tensors, "rope_freqs.weight", c.head_dim() / 2));
    for (float factor : model.rope_freq_factors) {
      if (!(factor > 0.0f && std::isfinite(factor))) {
        return make_error("rope_freqs.weight holds {}, not a positive divisor", factor);
      }
    }
  }
  if (tensors.count("output.weight")) {
    TUNE_ASSIGN_OR_RETURN(model.classifier, matrix(tensors, "output.weight", c.vocab_size, c.dim));
    model.config.tied_embeddings = false;
  } else {
    model.classifier = model.token_embedding;
    model.config.tied_embeddings = true;
  }
  model.type = model.layers.front().wq.type;
  return model;
}

}  // namespace tune::bench
