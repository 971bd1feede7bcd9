// What sets each architecture apart from Llama (architecture.h): the
// synthetic names that ask for one, the tensors its files hold, the refusal
// of one the runner does not compute, and its forward pass against a plain
// double-precision one written here from the architectures' definitions.
#include "bench/architecture.h"
#include "bench/gguf.h"
#include "bench/model_file.h"
#include "bench/synthetic.h"
#include "bench/transformer.h"
#include "bench/weight_storage.h"
#include "bench_test_util.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace tune::bench {
namespace {

TEST(SyntheticName, NamesAnArchitectureAndATiedClassifier) {
  const ModelConfig plain = *synthetic_config("tiny");
  EXPECT_EQ(plain.architecture, Architecture::kLlama);
  EXPECT_FALSE(plain.tied_embeddings);
  const ModelConfig qwen = *synthetic_config("tiny-qwen2-tied");
  EXPECT_EQ(qwen.architecture, Architecture::kQwen2);
  EXPECT_TRUE(qwen.tied_embeddings);
  EXPECT_EQ(qwen.dim, plain.dim);
  const ModelConfig qwen3 = *synthetic_config("tiny-qwen3");
  EXPECT_EQ(qwen3.architecture, Architecture::kQwen3);
  EXPECT_EQ(qwen3.q_dim(), 2 * qwen3.dim);  // wide heads, as Qwen3 0.6B's
  EXPECT_TRUE(synthetic_config("tiny-tied")->tied_embeddings);
}

TEST(SyntheticName, RefusesAnUnknownWordNamingTheSupportedOnes) {
  for (const char* name : {"tiny-gpt2", "tiny-tied-qwen2", "tiny-qwen2-qwen3", "tiny-"}) {
    SCOPED_TRACE(name);
    const auto config = synthetic_config(name);
    ASSERT_FALSE(config);
    EXPECT_NE(config.error().message.find("llama, qwen2, qwen3"), std::string::npos) << config.error().message;
  }
  EXPECT_FALSE(synthetic_config("huge-qwen2"));
}

TEST(GgufArchitecture, AnUnsupportedOneIsRefusedInOneLineNamingIt) {
  GgufFile file;
  file.metadata["general.architecture"] = std::string("gpt2");
  const auto model = llama_from_gguf(file, memory_storage({}), "x.gguf");
  ASSERT_FALSE(model);
  const std::string& message = model.error().message;
  EXPECT_NE(message.find("'gpt2'"), std::string::npos) << message;
  EXPECT_NE(message.find("llama, qwen2, qwen3"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

// Rope scaling other than linear (YaRN: the long-context Qwen2.5 files)
// would be computed wrong: refused, naming the key.
TEST(GgufArchitecture, RopeScalingOtherThanLinearIsRefused) {
  GgufFile file;
  for (const auto& [key, value] : llama_metadata(*synthetic_config("tiny-qwen2"), "t")) file.metadata[key] = value;
  file.metadata["qwen2.rope.scaling.type"] = std::string("yarn");
  const auto model = llama_from_gguf(file, memory_storage({}), "x.gguf");
  ASSERT_FALSE(model);
  EXPECT_NE(model.error().message.find("qwen2.rope.scaling.type is yarn"), std::string::npos) << model.error().message;
}

std::set<std::string> tensor_names(const ModelConfig& config) {
  std::set<std::string> names;
  for (const auto& spec : llama_tensors(config, config.tied_embeddings)) names.insert(spec.name);
  return names;
}

TEST(ArchitectureTensors, EachArchitectureHasItsOwnExtras) {
  const auto llama = tensor_names(*synthetic_config("tiny"));
  const auto qwen2 = tensor_names(*synthetic_config("tiny-qwen2-tied"));
  const auto qwen3 = tensor_names(*synthetic_config("tiny-qwen3"));
  EXPECT_TRUE(llama.count("output.weight"));
  EXPECT_FALSE(llama.count("blk.0.attn_q.bias"));
  EXPECT_FALSE(qwen2.count("output.weight"));
  for (const char* name : {"blk.1.attn_q.bias", "blk.1.attn_k.bias", "blk.1.attn_v.bias"}) {
    EXPECT_TRUE(qwen2.count(name)) << name;
  }
  EXPECT_FALSE(qwen2.count("blk.0.attn_q_norm.weight"));
  for (const char* name : {"blk.1.attn_q_norm.weight", "blk.1.attn_k_norm.weight"}) {
    EXPECT_TRUE(qwen3.count(name)) << name;
  }
  EXPECT_FALSE(qwen3.count("blk.0.attn_q.bias"));
}

// Written and read back: the architecture, its extra vectors and a tied
// classifier (the embedding table's own bytes) survive the file.
TEST(ArchitectureFile, RoundTripsThroughGguf) {
  testing::TempDir dir;
  for (const char* name :
       {"tiny-qwen2-tied", "tiny-qwen3", "tiny-tied", "tiny-gemma3", "tiny-ropefreqs", "tiny-qwen2-ropelinear"}) {
    SCOPED_TRACE(name);
    const ModelConfig config = *synthetic_config(name);
    const Model original = build_synthetic(config, WeightType::kF32, 5, name);
    const std::string path = dir.file(std::string(name) + ".gguf");
    ASSERT_TRUE(write_synthetic_gguf(config, WeightType::kF32, 5, name, path));
    const auto loaded = load_model_file(path, LoadOptions{});
    ASSERT_TRUE(loaded) << loaded.error().message;
    EXPECT_EQ(loaded->config.architecture, config.architecture);
    EXPECT_EQ(loaded->config.tied_embeddings, config.tied_embeddings);
    EXPECT_EQ(loaded->config.head_dim(), config.head_dim());
    EXPECT_EQ(loaded->config.sliding_window, config.sliding_window);
    EXPECT_EQ(loaded->config.rope_theta_sliding, config.rope_theta_sliding);
    EXPECT_EQ(loaded->config.rope_linear_factor, config.rope_linear_factor);
    EXPECT_EQ(loaded->rope_freq_factors, original.rope_freq_factors);
    EXPECT_EQ(loaded->classifier.data == loaded->token_embedding.data, config.tied_embeddings);
    for (size_t l = 0; l < original.layers.size(); ++l) {
      EXPECT_EQ(loaded->layers[l].q_bias, original.layers[l].q_bias);
      EXPECT_EQ(loaded->layers[l].v_bias, original.layers[l].v_bias);
      EXPECT_EQ(loaded->layers[l].k_norm, original.layers[l].k_norm);
      EXPECT_EQ(loaded->layers[l].post_ffn_norm, original.layers[l].post_ffn_norm);
    }
  }
}

// The forward pass of one architecture in doubles, token by token, from
// the definitions: biases added to Q, K and V; each head of Q and K
// RMS-normalized before rope; rope over adjacent pairs or the two halves;
// Gemma's scaled embeddings, GELU, post-norms, soft caps and sliding layers.
class ArchitectureReference {
 public:
  explicit ArchitectureReference(const Model& model) : model_(model), c_(model.config) {}

  std::vector<double> logits_after(const std::vector<int>& tokens) {
    std::vector<double> logits;
    for (size_t p = 0; p < tokens.size(); ++p) logits = step(tokens[p], static_cast<int>(p));
    return logits;
  }

 private:
  using Vector = std::vector<double>;

  static Vector row(const Matrix& m, int r) {
    std::vector<float> values(static_cast<size_t>(m.cols));
    dequantize_row(m.type, m.row(r), values.size(), values.data());
    return Vector(values.begin(), values.end());
  }
  static Vector times(const Matrix& m, const Vector& x) {
    Vector out(static_cast<size_t>(m.rows));
    for (int r = 0; r < m.rows; ++r) {
      const Vector w = row(m, r);
      for (size_t i = 0; i < x.size(); ++i) out[r] += w[i] * x[i];
    }
    return out;
  }
  Vector rmsnorm(const double* x, size_t n, const std::vector<float>& weight) const {
    double sum = 0;
    for (size_t i = 0; i < n; ++i) sum += x[i] * x[i];
    const double scale = 1 / std::sqrt(sum / static_cast<double>(n) + c_.norm_eps);
    Vector out(n);
    for (size_t i = 0; i < n; ++i) out[i] = x[i] * scale * weight[i];
    return out;
  }
  // Bias, per-head norm and rope of Q or K at `position`.
  void shape(Vector& x, int heads, const std::vector<float>& bias, const std::vector<float>& norm, int position,
             double theta, double linear) const {
    const ArchitectureTraits& arch = traits(c_.architecture);
    const int d = c_.head_dim();
    for (size_t i = 0; i < bias.size(); ++i) x[i] += bias[i];
    for (int h = 0; h < heads; ++h) {
      double* head = x.data() + static_cast<size_t>(h) * d;
      if (arch.qk_norm) {
        const Vector normed = rmsnorm(head, static_cast<size_t>(d), norm);
        std::copy(normed.begin(), normed.end(), head);
      }
      for (int i = 0; i < d / 2; ++i) {
        const auto& factors = model_.rope_freq_factors;
        const double divisor = factors.empty() ? 1.0 : factors[static_cast<size_t>(i)];
        const double angle = position * std::pow(theta, -2.0 * i / d) / divisor / linear;
        double& a = arch.rope == RopeStyle::kHalves ? head[i] : head[2 * i];
        double& b = arch.rope == RopeStyle::kHalves ? head[i + d / 2] : head[2 * i + 1];
        const double a0 = a, b0 = b;
        a = a0 * std::cos(angle) - b0 * std::sin(angle);
        b = a0 * std::sin(angle) + b0 * std::cos(angle);
      }
    }
  }

  Vector step(int token, int position) {
    const int d = c_.head_dim();
    const bool gemma = traits(c_.architecture).gemma_block;
    Vector x = row(model_.token_embedding, token);
    for (double& value : x) value *= gemma ? std::sqrt(static_cast<double>(c_.dim)) : 1.0;
    const auto cap = [](double value, double limit) { return limit > 0 ? limit * std::tanh(value / limit) : value; };
    keys_.resize(model_.layers.size());
    values_.resize(model_.layers.size());
    for (size_t l = 0; l < model_.layers.size(); ++l) {
      const LayerWeights& layer = model_.layers[l];
      const Vector h = rmsnorm(x.data(), x.size(), layer.attn_norm);
      Vector q = times(layer.wq, h), k = times(layer.wk, h), v = times(layer.wv, h);
      for (size_t i = 0; i < layer.v_bias.size(); ++i) v[i] += layer.v_bias[i];
      const bool slides = c_.slides(static_cast<int>(l));
      const bool own_rope = slides && c_.rope_theta_sliding > 0;  // Gemma 3's sliding layers: own base, unscaled
      const double theta = own_rope ? c_.rope_theta_sliding : c_.rope_theta;
      const double linear = !own_rope && c_.rope_linear_factor > 0 ? c_.rope_linear_factor : 1.0;
      shape(q, c_.n_heads, layer.q_bias, layer.q_norm, position, theta, linear);
      shape(k, c_.n_kv_heads, layer.k_bias, layer.k_norm, position, theta, linear);
      // A sliding layer sees its own position and the window - 1 before it.
      const size_t first = slides ? static_cast<size_t>(std::max(0, position - c_.sliding_window + 1)) : 0;
      const double scale = c_.attention_scale > 0 ? c_.attention_scale : 1 / std::sqrt(static_cast<double>(d));
      keys_[l].push_back(k);
      values_[l].push_back(v);
      Vector attended(static_cast<size_t>(c_.q_dim()));
      for (int head = 0; head < c_.n_heads; ++head) {
        const int kv = head / (c_.n_heads / c_.n_kv_heads);
        Vector scores;
        double largest = -1e300;
        for (size_t p = first; p < keys_[l].size(); ++p) {
          double dot = 0;
          for (int i = 0; i < d; ++i) dot += q[head * d + i] * keys_[l][p][kv * d + i];
          scores.push_back(cap(dot * scale, c_.attention_softcap));
          largest = std::max(largest, scores.back());
        }
        double total = 0;
        for (double& s : scores) total += (s = std::exp(s - largest));
        for (size_t p = 0; p < scores.size(); ++p) {
          for (int i = 0; i < d; ++i) attended[head * d + i] += scores[p] / total * values_[l][first + p][kv * d + i];
        }
      }
      Vector out = times(layer.wo, attended);
      if (gemma) out = rmsnorm(out.data(), out.size(), layer.post_attention_norm);
      for (size_t i = 0; i < x.size(); ++i) x[i] += out[i];
      const Vector f = rmsnorm(x.data(), x.size(), layer.ffn_norm);
      Vector gate = times(layer.w_gate, f);
      const Vector up = times(layer.w_up, f);
      for (size_t i = 0; i < gate.size(); ++i) {
        const double g = gate[i];
        const double gelu = 0.5 * g * (1 + std::tanh(std::sqrt(2 / M_PI) * (g + 0.044715 * g * g * g)));
        const double activated = gemma ? gelu : g / (1 + std::exp(-g));
        gate[i] = activated * up[i];
      }
      Vector down = times(layer.w_down, gate);
      if (gemma) down = rmsnorm(down.data(), down.size(), layer.post_ffn_norm);
      for (size_t i = 0; i < x.size(); ++i) x[i] += down[i];
    }
    Vector logits = times(model_.classifier, rmsnorm(x.data(), x.size(), model_.final_norm));
    for (double& logit : logits) logit = cap(logit, c_.final_softcap);
    return logits;
  }

  const Model& model_;
  const ModelConfig& c_;
  std::vector<std::vector<Vector>> keys_, values_;  // layer, position, kv_dim
};

class ArchitectureForward : public ::testing::TestWithParam<const char*> {};

TEST_P(ArchitectureForward, LogitsMatchTheDoubleReference) {
  const Model model = build_synthetic(*synthetic_config(GetParam()), WeightType::kF32, 9, GetParam());
  // Longer than tiny Gemma's 8-position window.
  const std::vector<int> prompt = {1, 17, 42, 99, 5, 260, 3, 128, 77, 11, 200, 45, 6};
  const auto want = ArchitectureReference(model).logits_after(prompt);
  ThreadPool pool({2, false});
  Transformer transformer(model, pool, 32);
  const auto& got = transformer.forward(prompt, 0);
  double rms = 0, worst = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    rms += want[i] * want[i];
    worst = std::max(worst, std::fabs(got[i] - want[i]));
  }
  rms = std::sqrt(rms / static_cast<double>(want.size()));
  // f32 weights: only float rounding differs (as in transformer_test).
  EXPECT_LT(worst / rms, 2e-5) << "largest difference " << worst << ", logits' RMS " << rms;

  // The same prompt a token at a time: the decoding path's attention.
  Transformer stepwise(model, pool, 32);
  const std::vector<float>* last = nullptr;
  for (size_t p = 0; p < prompt.size(); ++p) {
    last = &stepwise.forward(std::span<const int>(&prompt[p], 1), static_cast<int>(p));
  }
  worst = 0;
  for (size_t i = 0; i < want.size(); ++i) worst = std::max(worst, std::fabs((*last)[i] - want[i]));
  EXPECT_LT(worst / rms, 2e-5) << "token by token: largest difference " << worst << ", logits' RMS " << rms;
}

INSTANTIATE_TEST_SUITE_P(Synthetic, ArchitectureForward,
                         ::testing::Values("tiny", "tiny-tied", "tiny-qwen2", "tiny-qwen3", "tiny-qwen3-tied",
                                           "tiny-gemma2", "tiny-gemma3", "tiny-ropefreqs",
                                           "tiny-gemma3-ropelinear"),
                         [](const auto& case_info) {
                           std::string name = case_info.param;
                           for (char& c : name) c = c == '-' ? '_' : c;
                           return name;
                         });

}  // namespace
}  // namespace tune::bench
