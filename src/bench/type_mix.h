// llama.cpp's "_M" file types (Q4_K_M, Q5_K_M), as synthetic models write
// them: one K-quant for most matrices and q6_K for those llama.cpp's
// quantizer gives more bits, so a benchmark or a comparison with llama.cpp
// runs the mix people download, not one type throughout.
#pragma once

#include "bench/weight_type.h"

#include <optional>
#include <string>
#include <string_view>

namespace tune::bench {

enum class TypeMix { kUniform, kMedium };

struct SyntheticTypes {
  WeightType base = WeightType::kQ8_0;
  TypeMix mix = TypeMix::kUniform;
};

// "q4_k_m" and "q5_k_m" (any case), or one weight type's name.
std::optional<SyntheticTypes> parse_synthetic_types(std::string_view name);
// "q4_k_m", or the base type's name.
std::string synthetic_types_name(const SyntheticTypes& types);
// The type of matrix `tensor` (a GGUF name, "blk.3.attn_v.weight") in a
// model of n_layers: with the medium mix, q6_K for the classifier (the
// embedding table when it is tied) and for attn_v and ffn_down in the layers
// llama.cpp's use_more_bits picks (the first and last eighth, and every
// third one between); the base type elsewhere.
WeightType matrix_type(const SyntheticTypes& types, const std::string& tensor, int n_layers, bool tied);

}  // namespace tune::bench
