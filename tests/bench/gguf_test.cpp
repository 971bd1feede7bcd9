// GGUF files: one made by hand, byte by byte, read correctly; a model written
// by the runner and read back decodes exactly as the one it was written from;
// broken files give one clear error and never a crash.
#include "bench/bench_test_util.h"
#include "bench/gguf.h"
#include "bench/model_file.h"
#include "bench/synthetic.h"
#include "bench/transformer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>

namespace tune::bench {
namespace {

using testing::Bytes;

// A hand-made llama GGUF: dim 32, hidden 64, 1 layer, 2 heads, 1 kv head,
// vocab 8, alignment 64. Every f32 value is its index within its tensor
// times 0.001 plus the tensor's number; attn_q is q8_0 and ffn_up f16.
struct HandMade {
  static constexpr int kDim = 32, kHidden = 64, kVocab = 8, kKv = 16;
  struct Tensor {
    std::string name;
    std::vector<uint64_t> dims;
    uint32_t type;
  };
  std::vector<Tensor> tensors = {
      {"token_embd.weight", {kDim, kVocab}, kGgmlF32},
      {"blk.0.attn_norm.weight", {kDim}, kGgmlF32},
      {"blk.0.attn_q.weight", {kDim, kDim}, kGgmlQ8_0},
      {"blk.0.attn_k.weight", {kDim, kKv}, kGgmlF32},
      {"blk.0.attn_v.weight", {kDim, kKv}, kGgmlF32},
      {"blk.0.attn_output.weight", {kDim, kDim}, kGgmlF32},
      {"blk.0.ffn_norm.weight", {kDim}, kGgmlF32},
      {"blk.0.ffn_gate.weight", {kDim, kHidden}, kGgmlF32},
      {"blk.0.ffn_up.weight", {kDim, kHidden}, kGgmlF16},
      {"blk.0.ffn_down.weight", {kHidden, kDim}, kGgmlF32},
      {"output_norm.weight", {kDim}, kGgmlF32},
  };
  uint32_t alignment = 64;
  std::string architecture = "llama";

  static size_t bytes_of(const Tensor& t) {
    if (t.dims.empty() || t.dims[0] > (uint64_t{1} << 30)) return size_t{1} << 40;
    uint64_t rows = t.dims.size() > 1 ? t.dims[1] : 1;
    if (t.type == kGgmlQ8_0) return t.dims[0] / 32 * 34 * rows;
    return t.dims[0] * rows * (t.type == kGgmlF16 ? 2 : 4);
  }

  std::vector<uint8_t> build() const {
    Bytes b;
    b.put<uint32_t>(kGgufMagic).put<uint32_t>(3).put<uint64_t>(tensors.size()).put<uint64_t>(10);
    b.str("general.architecture").put<uint32_t>(8).str(architecture);
    b.str("general.alignment").put<uint32_t>(4).put<uint32_t>(alignment);
    b.str("llama.embedding_length").put<uint32_t>(4).put<uint32_t>(kDim);
    b.str("llama.feed_forward_length").put<uint32_t>(5).put<int32_t>(kHidden);  // i32: any integer type is fine
    b.str("llama.block_count").put<uint32_t>(10).put<uint64_t>(1);
    b.str("llama.attention.head_count").put<uint32_t>(4).put<uint32_t>(2);
    b.str("llama.attention.head_count_kv").put<uint32_t>(4).put<uint32_t>(1);
    b.str("llama.context_length").put<uint32_t>(4).put<uint32_t>(16);
    b.str("llama.attention.layer_norm_rms_epsilon").put<uint32_t>(6).put<float>(1e-6f);
    // A string array, as tokenizers store their vocabulary: read and skipped.
    b.str("tokenizer.ggml.tokens").put<uint32_t>(9).put<uint32_t>(8).put<uint64_t>(kVocab);
    for (int i = 0; i < kVocab; ++i) b.str("t" + std::to_string(i));
    uint64_t offset = 0;
    for (const Tensor& t : tensors) {
      b.str(t.name).put<uint32_t>(static_cast<uint32_t>(t.dims.size()));
      for (uint64_t d : t.dims) b.put<uint64_t>(d);
      b.put<uint32_t>(t.type).put<uint64_t>(offset);
      offset += (bytes_of(t) + alignment - 1) / alignment * alignment;
    }
    b.pad_to(alignment);
    for (size_t n = 0; n < tensors.size(); ++n) {
      const Tensor& t = tensors[n];
      if (bytes_of(t) > (1u << 20)) continue;  // an absurd tensor gets no data: the reader stops before
      const size_t count = bytes_of(t) / (t.type == kGgmlF16 ? 2 : t.type == kGgmlF32 ? 4 : 34) *
                           (t.type == kGgmlQ8_0 ? 32 : 1);
      if (t.type == kGgmlQ8_0) {
        // Block i: scale 0.5, values (i + j) % 7 - 3.
        for (size_t block = 0; block < count / 32; ++block) {
          b.put<uint16_t>(0x3800);  // 0.5 in f16
          for (int j = 0; j < 32; ++j) b.put<int8_t>(static_cast<int8_t>((block + j) % 7) - 3);
        }
      } else {
        for (size_t i = 0; i < count; ++i) {
          const float value = static_cast<float>(n) + 0.001f * static_cast<float>(i);
          if (t.type == kGgmlF32) {
            b.put<float>(value);
          } else {
            b.put<uint16_t>(f32_to_f16(value));
          }
        }
      }
      b.pad_to(alignment);
    }
    return b.data;
  }
};

Result<Model> load(const std::vector<uint8_t>& bytes) {
  return load_model_bytes(memory_storage(bytes), "test.gguf");
}

float at(const Matrix& m, int row, int col) {
  std::vector<float> values(static_cast<size_t>(m.cols));
  dequantize_row(m.type, m.row(row), values.size(), values.data());
  return values[static_cast<size_t>(col)];
}

TEST(GgufReader, ReadsAHandMadeFile) {
  auto model = load(HandMade().build());
  ASSERT_TRUE(model) << model.error().message;
  const ModelConfig& c = model->config;
  EXPECT_EQ(c.dim, 32);
  EXPECT_EQ(c.hidden_dim, 64);
  EXPECT_EQ(c.n_layers, 1);
  EXPECT_EQ(c.n_heads, 2);
  EXPECT_EQ(c.n_kv_heads, 1);
  EXPECT_EQ(c.vocab_size, 8);  // from token_embd.weight: no llama.vocab_size in the file
  EXPECT_EQ(c.max_seq_len, 16);
  EXPECT_FLOAT_EQ(c.norm_eps, 1e-6f);
  EXPECT_FLOAT_EQ(c.rope_theta, 10000.0f);  // the default when absent

  // Row 3 of the embedding starts at index 3 * 32 of tensor 0.
  EXPECT_FLOAT_EQ(at(model->token_embedding, 3, 5), 0.001f * (3 * 32 + 5));
  EXPECT_FLOAT_EQ(model->layers[0].attn_norm[7], 1.0f + 0.007f);
  // attn_q is q8_0: row 1 is block 1, value j = 2 is 0.5 * ((1 + 2) % 7 - 3).
  EXPECT_EQ(model->layers[0].wq.type, WeightType::kQ8_0);
  EXPECT_FLOAT_EQ(at(model->layers[0].wq, 1, 2), 0.0f);
  EXPECT_FLOAT_EQ(at(model->layers[0].wq, 1, 6), 0.5f * ((1 + 6) % 7 - 3));
  EXPECT_EQ(model->layers[0].wk.rows, 16);
  EXPECT_FLOAT_EQ(at(model->layers[0].wk, 2, 1), 3.0f + 0.001f * (2 * 32 + 1));
  // ffn_up is f16: the value as rounded to half precision.
  EXPECT_EQ(model->layers[0].w_up.type, WeightType::kF16);
  EXPECT_FLOAT_EQ(at(model->layers[0].w_up, 10, 3), f16_to_f32(f32_to_f16(8.0f + 0.001f * (10 * 32 + 3))));
  EXPECT_FLOAT_EQ(at(model->layers[0].w_down, 31, 63), 9.0f + 0.001f * (31 * 64 + 63));
  EXPECT_FLOAT_EQ(model->final_norm[0], 10.0f);
  // No output.weight: the classifier is the embedding table.
  EXPECT_EQ(model->classifier.data, model->token_embedding.data);
}

TEST(GgufReader, HonoursTheAlignmentItDeclares) {
  HandMade made;
  made.alignment = 256;
  auto model = load(made.build());
  ASSERT_TRUE(model) << model.error().message;
  EXPECT_FLOAT_EQ(at(model->layers[0].wo, 0, 1), 5.001f);
}

class GgufRoundTrip : public ::testing::TestWithParam<WeightType> {};

TEST_P(GgufRoundTrip, AWrittenModelReadBackDecodesTheSameTokens) {
  testing::TempDir dir;
  const ModelConfig config = *synthetic_config("tiny");
  const Model original = build_synthetic(config, GetParam(), 3, "synthetic:tiny");
  const std::string path = dir.file("tiny.gguf");
  ASSERT_TRUE(write_synthetic_gguf(config, GetParam(), 3, "synthetic:tiny", path));

  const std::vector<int> prompt = {5, 9, 200, 31, 7};
  ThreadPool pool({2, false});
  Transformer from_memory(original, pool, 64);
  const auto want = generate_greedy(from_memory, prompt, 16);
  for (WeightMemory memory : {WeightMemory::kMmap, WeightMemory::kMmapPopulate, WeightMemory::kCopy, WeightMemory::kThp}) {
    SCOPED_TRACE(std::string(weight_memory_name(memory)));
    auto loaded = load_model_file(path, {memory, false});
    ASSERT_TRUE(loaded) << loaded.error().message;
    EXPECT_EQ(loaded->config.dim, config.dim);
    EXPECT_EQ(loaded->config.n_kv_heads, config.n_kv_heads);
    EXPECT_EQ(loaded->type, GetParam());
    Transformer from_file(*loaded, pool, 64);
    EXPECT_EQ(generate_greedy(from_file, prompt, 16), want);
  }
}

INSTANTIATE_TEST_SUITE_P(WeightTypes, GgufRoundTrip,
                         ::testing::Values(WeightType::kF32, WeightType::kF16, WeightType::kQ8_0),
                         [](const auto& test) { return std::string(weight_type_name(test.param)); });

// Broken files: each must give an error whose text says what is wrong.
void expect_error(const std::vector<uint8_t>& bytes, const std::string& words) {
  auto model = load(bytes);
  ASSERT_FALSE(model) << "loaded a broken file";
  EXPECT_NE(model.error().message.find(words), std::string::npos) << model.error().message;
  EXPECT_EQ(model.error().message.find('\n'), std::string::npos) << "errors are one line";
}

TEST(GgufReader, RefusesAWrongMagic) {
  auto bytes = HandMade().build();
  bytes[0] = 'X';
  // Without the magic it is taken for a llama2.c checkpoint, whose header then does not fit.
  expect_error(bytes, "not a GGUF file");
  auto file = parse_gguf(bytes.data(), bytes.size());
  ASSERT_FALSE(file);
  EXPECT_NE(file.error().message.find("magic"), std::string::npos);
}

TEST(GgufReader, EveryTruncationGivesAnErrorNotACrash) {
  const auto whole = HandMade().build();
  // Every cut inside the header and tensor infos, then a few inside the data.
  std::vector<size_t> cuts;
  for (size_t n = 0; n < 1200 && n < whole.size(); ++n) cuts.push_back(n);
  for (size_t n = 1200; n < whole.size(); n += 997) cuts.push_back(n);
  cuts.push_back(whole.size() - 1);
  for (size_t cut : cuts) {
    std::vector<uint8_t> bytes(whole.begin(), whole.begin() + static_cast<long>(cut));
    auto model = load(bytes);
    ASSERT_FALSE(model) << "a file cut at byte " << cut << " loaded";
  }
  auto cut = load(std::vector<uint8_t>(whole.begin(), whole.begin() + 100));
  ASSERT_FALSE(cut);
  EXPECT_NE(cut.error().message.find("truncated"), std::string::npos) << cut.error().message;
}

TEST(GgufReader, RefusesATensorOutsideTheFile) {
  auto whole = HandMade().build();
  whole.resize(whole.size() - 4096);  // the last tensors' data is gone, the infos remain
  expect_error(whole, "outside the file");
}

TEST(GgufReader, RefusesAbsurdDimensions) {
  HandMade made;
  made.tensors[1].dims = {uint64_t{1} << 50};
  expect_error(made.build(), "absurd dimension");
  HandMade zero;
  zero.tensors[1].dims = {0};
  expect_error(zero.build(), "absurd dimension");
  HandMade many;
  many.tensors[1].dims = {2, 2, 2, 2, 2};
  expect_error(many.build(), "5 dimensions");
}

TEST(GgufReader, RefusesAnUnsupportedTensorType) {
  HandMade made;
  made.tensors[7].type = 10;  // q2_K
  expect_error(made.build(), "blk.0.ffn_gate.weight has type q2_K");
  expect_error(made.build(), "it reads f32, f16, bf16, q8_0, q4_0, q4_1, q5_0, q4_k, q5_k, q6_k");
}

TEST(GgufReader, RefusesBlockTypesWhoseRowsAreNotWholeBlocks) {
  HandMade made;
  made.tensors[7].type = 12;  // q4_K, but rows of 32 values
  expect_error(made.build(), "blk.0.ffn_gate.weight is q4_k but its rows of 32 values are not whole 256-value blocks");
}

TEST(GgufReader, RefusesAnotherArchitecture) {
  HandMade made;
  made.architecture = "gpt2";
  expect_error(made.build(), "architecture 'gpt2' is not supported");
}

TEST(GgufReader, RefusesAbsurdModelSizesInTheMetadata) {
  auto bytes = HandMade().build();
  // llama.embedding_length's value (u32) follows its key and type.
  const std::string key = "llama.embedding_length";
  auto at_key = std::search(bytes.begin(), bytes.end(), key.begin(), key.end());
  ASSERT_NE(at_key, bytes.end());
  const size_t value = static_cast<size_t>(at_key - bytes.begin()) + key.size() + 4;
  const uint32_t huge = 1u << 30;
  std::memcpy(&bytes[value], &huge, 4);
  expect_error(bytes, "embedding width");
}

TEST(GgufReader, RefusesAShapeThatDoesNotMatchTheConfig) {
  HandMade made;
  made.tensors[3].dims = {32, 32};  // attn_k as if there were 2 kv heads
  expect_error(made.build(), "tensor blk.0.attn_k.weight has shape [32, 32], expected [32, 16]");
}

TEST(GgufReader, RefusesAnAbsurdStringLength) {
  Bytes b;
  b.put<uint32_t>(kGgufMagic).put<uint32_t>(3).put<uint64_t>(0).put<uint64_t>(1);
  b.put<uint64_t>(uint64_t{1} << 60);  // the first key's length
  expect_error(b.data, "more than any GGUF string");
}

TEST(GgufReader, RefusesAnArrayLongerThanTheFile) {
  Bytes b;
  b.put<uint32_t>(kGgufMagic).put<uint32_t>(3).put<uint64_t>(0).put<uint64_t>(1);
  b.str("x").put<uint32_t>(9).put<uint32_t>(4).put<uint64_t>(uint64_t{1} << 40);
  expect_error(b.data, "more than the file holds");
}

TEST(GgufReader, RefusesVersionOne) {
  auto bytes = HandMade().build();
  bytes[4] = 1;
  expect_error(bytes, "version 1 is not supported");
}

TEST(GgufReader, RefusesAMisalignedTensor) {
  auto bytes = HandMade().build();
  // The first tensor's offset (0) sits right after its type; make it 8.
  const std::string name = "token_embd.weight";
  auto at_name = std::search(bytes.begin(), bytes.end(), name.begin(), name.end());
  const size_t offset = static_cast<size_t>(at_name - bytes.begin()) + name.size() + 4 + 16 + 4;
  bytes[offset] = 8;
  expect_error(bytes, "not a multiple of the alignment");
}

TEST(GgufReader, RandomlyDamagedFilesGiveAnErrorOrAModelThatRuns) {
  // A written tiny model with random bytes changed (more often in the
  // header) and sometimes cut short: every one must either load and run, or
  // give a one-line error. The sanitizer builds make "never crash" strict.
  testing::TempDir dir;
  ASSERT_TRUE(write_synthetic_gguf(*synthetic_config("tiny"), WeightType::kQ8_0, 1, "tiny", dir.file("t.gguf")));
  std::ifstream in(dir.file("t.gguf"), std::ios::binary);
  const std::vector<uint8_t> good((std::istreambuf_iterator<char>(in)), {});
  std::mt19937 rng(20261125);
  ThreadPool pool({2, false});
  int loaded = 0;
  for (int round = 0; round < 300; ++round) {
    auto bytes = good;
    const size_t reach = round % 2 ? std::min<size_t>(bytes.size(), 2048) : bytes.size();
    for (int edit = 0, edits = 1 + static_cast<int>(rng() % 4); edit < edits; ++edit) {
      bytes[rng() % reach] = static_cast<uint8_t>(rng());
    }
    if (rng() % 5 == 0) bytes.resize(rng() % bytes.size());
    auto model = load(bytes);
    if (!model) {
      EXPECT_EQ(model.error().message.find('\n'), std::string::npos);
      continue;
    }
    ++loaded;
    Transformer transformer(*model, pool, 8);
    const std::vector<int> prompt = {1, 2, 3};
    EXPECT_EQ(generate_greedy(transformer, prompt, 2).size(), 2u);
  }
  EXPECT_GT(loaded, 0);  // damage inside the weights leaves a loadable file
}

TEST(ModelFile, AMissingFileIsAClearError) {
  auto model = load_model_file("/nonexistent/model.gguf", {});
  ASSERT_FALSE(model);
  EXPECT_NE(model.error().message.find("/nonexistent/model.gguf: cannot open"), std::string::npos);
}

TEST(ModelFile, AnEmptyFileIsAClearError) {
  testing::TempDir dir;
  testing::write_bytes(dir.file("empty.gguf"), {});
  auto model = load_model_file(dir.file("empty.gguf"), {});
  ASSERT_FALSE(model);
  EXPECT_NE(model.error().message.find("empty"), std::string::npos);
}

}  // namespace
}  // namespace tune::bench
