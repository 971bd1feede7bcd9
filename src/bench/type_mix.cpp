#include "bench/type_mix.h"

#include "util/text.h"

#include <cstdlib>

namespace tune::bench {
namespace {

// llama.cpp's use_more_bits(i_layer, n_layers), from its quantizer
// (src/llama-quant.cpp): the layers whose attn_v and ffn_down get q6_K.
bool more_bits(int layer, int n_layers) {
  return layer < n_layers / 8 || layer >= 7 * n_layers / 8 || (layer - n_layers / 8) % 3 == 2;
}

// N of "blk.N.", or -1.
int layer_of(const std::string& tensor) {
  if (!starts_with(tensor, "blk.")) return -1;
  const size_t dot = tensor.find('.', 4);
  if (dot == std::string::npos || dot == 4) return -1;
  return std::atoi(tensor.substr(4, dot - 4).c_str());
}

}  // namespace

std::optional<SyntheticTypes> parse_synthetic_types(std::string_view name) {
  const std::string lower = ascii_lower(std::string(name));
  if (lower == "q4_k_m") return SyntheticTypes{WeightType::kQ4_K, TypeMix::kMedium};
  if (lower == "q5_k_m") return SyntheticTypes{WeightType::kQ5_K, TypeMix::kMedium};
  auto type = parse_weight_type(name);
  if (!type) return std::nullopt;
  return SyntheticTypes{*type, TypeMix::kUniform};
}

std::string synthetic_types_name(const SyntheticTypes& types) {
  std::string name(weight_type_name(types.base));
  return types.mix == TypeMix::kMedium ? name + "_m" : name;
}

WeightType matrix_type(const SyntheticTypes& types, const std::string& tensor, int n_layers, bool tied) {
  if (types.mix == TypeMix::kUniform) return types.base;
  if (tensor == "output.weight" || (tied && tensor == "token_embd.weight")) return WeightType::kQ6_K;
  const int layer = layer_of(tensor);
  if (layer >= 0 && (ends_with(tensor, ".attn_v.weight") || ends_with(tensor, ".ffn_down.weight")) &&
      more_bits(layer, n_layers)) {
    return WeightType::kQ6_K;
  }
  return types.base;
}

}  // namespace tune::bench
