// The decoder families the runner computes, and what sets each apart from
// Llama. Everything else (RMSNorm, SwiGLU, grouped-query attention, the
// GGUF tensor names) they share.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tune::bench {

enum class Architecture { kLlama, kQwen2, kQwen3, kGemma2, kGemma3 };

// How rotary embeddings pair the values of a head: adjacent pairs
// (x[2i], x[2i+1]), llama.cpp's LLAMA_ROPE_TYPE_NORM; or the two halves
// (x[i], x[i + head_dim/2]), its LLAMA_ROPE_TYPE_NEOX, as the Hugging Face
// checkpoints of Qwen compute it (llama.cpp's converter permutes Llama's Q
// and K rows into adjacent pairs, but not Qwen's).
enum class RopeStyle { kAdjacentPairs, kHalves };

struct ArchitectureTraits {
  std::string_view name;  // general.architecture, and the prefix of its metadata keys
  RopeStyle rope = RopeStyle::kAdjacentPairs;
  bool qkv_bias = false;  // attn_q.bias, attn_k.bias, attn_v.bias added after the products (Qwen2)
  bool qk_norm = false;   // attn_q_norm, attn_k_norm: RMSNorm of each head of Q and K before rope (Qwen3, Gemma 3)
  // Gemma: the embedding rows times sqrt(dim); a GELU (tanh approximation)
  // gate instead of SiLU; the attention and feed-forward outputs each
  // RMS-normalized (post_attention_norm, post_ffw_norm) before they are added.
  bool gemma_block = false;
};

const ArchitectureTraits& traits(Architecture architecture);
std::string_view architecture_name(Architecture architecture);
std::optional<Architecture> parse_architecture(std::string_view name);
// "llama, qwen2, qwen3, gemma2, gemma3": for messages.
std::string supported_architecture_names();

}  // namespace tune::bench
