// llama2.c checkpoints: a hand-made file read with every array where
// llama2.c puts it, the same model as GGUF and as llama2.c decoding the
// same tokens, and broken files refused.
#include "bench/bench_test_util.h"
#include "bench/llama2c.h"
#include "bench/model_file.h"
#include "bench/synthetic.h"
#include "bench/transformer.h"

#include <gtest/gtest.h>

namespace tune::bench {
namespace {

using testing::Bytes;

ModelConfig small_config() {
  ModelConfig c;
  c.dim = 16;
  c.hidden_dim = 32;
  c.n_layers = 2;
  c.n_heads = 4;
  c.n_kv_heads = 2;
  c.vocab_size = 10;
  c.max_seq_len = 8;
  return c;
}

// Header, then every float numbered in file order: float i holds i * 0.5.
std::vector<uint8_t> numbered_checkpoint(const ModelConfig& c, bool tied) {
  Bytes b;
  b.put<int32_t>(c.dim).put<int32_t>(c.hidden_dim).put<int32_t>(c.n_layers).put<int32_t>(c.n_heads);
  b.put<int32_t>(c.n_kv_heads).put<int32_t>(tied ? c.vocab_size : -c.vocab_size).put<int32_t>(c.max_seq_len);
  const size_t floats = (llama2c_file_bytes(c, tied) - kLlama2cHeaderBytes) / 4;
  for (size_t i = 0; i < floats; ++i) b.put<float>(0.5f * static_cast<float>(i));
  return b.data;
}

float at(const Matrix& m, int row, int col) {
  std::vector<float> values(static_cast<size_t>(m.cols));
  dequantize_row(m.type, m.row(row), values.size(), values.data());
  return values[static_cast<size_t>(col)];
}

TEST(Llama2c, ReadsEveryArrayFromItsPlace) {
  const ModelConfig c = small_config();
  auto model = load_model_bytes(memory_storage(numbered_checkpoint(c, false)), "model.bin");
  ASSERT_TRUE(model) << model.error().message;
  EXPECT_EQ(model->config.dim, 16);
  EXPECT_EQ(model->config.n_kv_heads, 2);
  EXPECT_EQ(model->config.vocab_size, 10);
  // Offsets in floats, by llama2.c's order.
  const size_t embedding = 10 * 16, rms_att = 2 * 16, wq = 2 * 16 * 16, wk = 2 * 16 * 8, wv = wk, wo = wq;
  const size_t rms_ffn = 2 * 16, w1 = 2 * 32 * 16, w2 = w1, w3 = w1, rms_final = 16, rope = 8 * 4;
  auto value = [](size_t index) { return 0.5f * static_cast<float>(index); };
  EXPECT_FLOAT_EQ(at(model->token_embedding, 2, 3), value(2 * 16 + 3));
  EXPECT_FLOAT_EQ(model->layers[1].attn_norm[4], value(embedding + 16 + 4));
  size_t base = embedding + rms_att;
  EXPECT_FLOAT_EQ(at(model->layers[1].wq, 3, 5), value(base + 256 + 3 * 16 + 5));
  base += wq;
  EXPECT_FLOAT_EQ(at(model->layers[0].wk, 7, 15), value(base + 7 * 16 + 15));
  base += wk;
  EXPECT_FLOAT_EQ(at(model->layers[1].wv, 1, 0), value(base + 128 + 16));
  base += wv;
  EXPECT_FLOAT_EQ(at(model->layers[0].wo, 15, 15), value(base + 255));
  base += wo;
  EXPECT_FLOAT_EQ(model->layers[1].ffn_norm[0], value(base + 16));
  base += rms_ffn;
  EXPECT_FLOAT_EQ(at(model->layers[0].w_gate, 31, 1), value(base + 31 * 16 + 1));  // w1
  base += w1;
  EXPECT_FLOAT_EQ(at(model->layers[1].w_down, 2, 30), value(base + 512 + 2 * 32 + 30));  // w2
  base += w2;
  EXPECT_FLOAT_EQ(at(model->layers[0].w_up, 0, 9), value(base + 9));  // w3
  base += w3;
  EXPECT_FLOAT_EQ(model->final_norm[15], value(base + 15));
  base += rms_final + rope;
  EXPECT_FLOAT_EQ(at(model->classifier, 9, 15), value(base + 9 * 16 + 15));
}

TEST(Llama2c, APositiveVocabularySharesTheClassifier) {
  auto model = load_model_bytes(memory_storage(numbered_checkpoint(small_config(), true)), "model.bin");
  ASSERT_TRUE(model) << model.error().message;
  EXPECT_EQ(model->classifier.data, model->token_embedding.data);
}

// The same synthetic weights written as a llama2.c checkpoint and as GGUF.
std::vector<uint8_t> checkpoint_of(const Model& m) {
  const ModelConfig& c = m.config;
  Bytes b;
  b.put<int32_t>(c.dim).put<int32_t>(c.hidden_dim).put<int32_t>(c.n_layers).put<int32_t>(c.n_heads);
  b.put<int32_t>(c.n_kv_heads).put<int32_t>(-c.vocab_size).put<int32_t>(c.max_seq_len);
  auto matrix = [&](const Matrix& w) {
    std::vector<float> row(static_cast<size_t>(w.cols));
    for (int r = 0; r < w.rows; ++r) {
      dequantize_row(w.type, w.row(r), row.size(), row.data());
      for (float v : row) b.put<float>(v);
    }
  };
  auto vector = [&](const std::vector<float>& v) {
    for (float x : v) b.put<float>(x);
  };
  matrix(m.token_embedding);
  for (const auto& l : m.layers) vector(l.attn_norm);
  for (const auto& l : m.layers) matrix(l.wq);
  for (const auto& l : m.layers) matrix(l.wk);
  for (const auto& l : m.layers) matrix(l.wv);
  for (const auto& l : m.layers) matrix(l.wo);
  for (const auto& l : m.layers) vector(l.ffn_norm);
  for (const auto& l : m.layers) matrix(l.w_gate);
  for (const auto& l : m.layers) matrix(l.w_down);
  for (const auto& l : m.layers) matrix(l.w_up);
  vector(m.final_norm);
  for (int i = 0; i < c.max_seq_len * c.head_dim(); ++i) b.put<float>(0.0f);
  matrix(m.classifier);
  return b.data;
}

TEST(Llama2c, TheSameWeightsDecodeTheSameTokensAsTheInMemoryModel) {
  const Model original = build_synthetic(*synthetic_config("tiny"), WeightType::kF32, 11, "synthetic:tiny");
  testing::TempDir dir;
  testing::write_bytes(dir.file("tiny.bin"), checkpoint_of(original));
  auto loaded = load_model_file(dir.file("tiny.bin"), {});
  ASSERT_TRUE(loaded) << loaded.error().message;
  const std::vector<int> prompt = {3, 1, 4, 1, 5, 9, 2, 6};
  ThreadPool pool({2, false});
  Transformer a(original, pool, 32);
  Transformer b(*loaded, pool, 32);
  EXPECT_EQ(generate_greedy(a, prompt, 12), generate_greedy(b, prompt, 12));
}

void expect_error(const std::vector<uint8_t>& bytes, const std::string& words) {
  auto model = load_model_bytes(memory_storage(bytes), "model.bin");
  ASSERT_FALSE(model) << "loaded a broken checkpoint";
  EXPECT_NE(model.error().message.find(words), std::string::npos) << model.error().message;
}

TEST(Llama2c, RefusesATruncatedCheckpoint) {
  auto bytes = numbered_checkpoint(small_config(), false);
  bytes.resize(bytes.size() - 4);
  expect_error(bytes, "file is truncated");
  expect_error(std::vector<uint8_t>(bytes.begin(), bytes.begin() + 20), "header needs 28 bytes");
}

TEST(Llama2c, RefusesTrailingBytes) {
  auto bytes = numbered_checkpoint(small_config(), false);
  bytes.push_back(0);
  expect_error(bytes, "longer than its header says");
}

TEST(Llama2c, RefusesANonsenseHeader) {
  auto bytes = numbered_checkpoint(small_config(), false);
  const int32_t negative = -16;
  std::memcpy(bytes.data(), &negative, 4);
  expect_error(bytes, "not a llama2.c checkpoint");
  const int32_t uneven_heads = 3;  // 16 is not divisible by 3
  auto other = numbered_checkpoint(small_config(), false);
  std::memcpy(other.data() + 12, &uneven_heads, 4);
  expect_error(other, "does not divide");
}

TEST(Llama2c, RefusesAbsurdDimensionsWithoutAllocating) {
  Bytes b;
  b.put<int32_t>(1 << 30).put<int32_t>(1 << 30).put<int32_t>(1000).put<int32_t>(1);
  b.put<int32_t>(1).put<int32_t>(32000).put<int32_t>(1 << 20);
  expect_error(b.data, "out of range");
}

}  // namespace
}  // namespace tune::bench
