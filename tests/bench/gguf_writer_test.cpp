// What the GGUF writer adds so that llama.cpp loads tune's files: the
// placeholder tokenizer's keys, and numeric arrays written with their own
// element type (llama.cpp reads scores as f32 and token types as i32).
#include "bench/bench_test_util.h"
#include "bench/gguf.h"
#include "bench/synthetic.h"

#include <gtest/gtest.h>

#include <fstream>

namespace tune::bench {
namespace {

std::vector<uint8_t> read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

const GgufValue& key(const GgufFile& file, const std::string& name) {
  static const GgufValue missing{std::string("<missing>")};
  auto it = file.metadata.find(name);
  return it == file.metadata.end() ? missing : it->second;
}

TEST(GgufWriter, ASyntheticModelCarriesAPlaceholderTokenizerOfVocabSizeTokens) {
  testing::TempDir dir;
  ModelConfig config = *synthetic_config("tiny");
  config.vocab_size = 40;  // small enough that the reader keeps the token strings
  ASSERT_TRUE(write_synthetic_gguf(config, WeightType::kF32, 1, "t", dir.file("t.gguf")));
  const auto bytes = read_all(dir.file("t.gguf"));
  auto file = parse_gguf(bytes.data(), bytes.size());
  ASSERT_TRUE(file) << file.error().message;

  EXPECT_EQ(std::get<std::string>(key(*file, "tokenizer.ggml.model")), "llama");
  const auto& tokens = std::get<GgufArray>(key(*file, "tokenizer.ggml.tokens"));
  EXPECT_EQ(tokens.element_type, kGgufArrayString);
  ASSERT_EQ(tokens.strings.size(), 40u);
  EXPECT_EQ(tokens.strings[0], "<unk>");
  EXPECT_EQ(tokens.strings[1], "<s>");
  EXPECT_EQ(tokens.strings[2], "</s>");
  EXPECT_EQ(tokens.strings[3], "<0x00>");
  EXPECT_EQ(tokens.strings[3 + 0x0A], "<0x0A>");  // llama.cpp's newline token
  const auto& scores = std::get<GgufArray>(key(*file, "tokenizer.ggml.scores"));
  EXPECT_EQ(scores.element_type, kGgufArrayF32);
  EXPECT_EQ(scores.length, 40u);
  const auto& types = std::get<GgufArray>(key(*file, "tokenizer.ggml.token_type"));
  EXPECT_EQ(types.element_type, kGgufArrayI32);
  EXPECT_EQ(types.length, 40u);
  EXPECT_EQ(std::get<uint64_t>(key(*file, "tokenizer.ggml.bos_token_id")), 1u);
  EXPECT_EQ(std::get<uint64_t>(key(*file, "tokenizer.ggml.eos_token_id")), 2u);
  EXPECT_EQ(std::get<bool>(key(*file, "tokenizer.ggml.add_bos_token")), false);
}

TEST(GgufWriter, TheTokenizerGrowsWithTheVocabulary) {
  testing::TempDir dir;
  const ModelConfig config = *synthetic_config("tiny");
  ASSERT_TRUE(write_synthetic_gguf(config, WeightType::kQ8_0, 1, "t", dir.file("t.gguf")));
  const auto bytes = read_all(dir.file("t.gguf"));
  auto file = parse_gguf(bytes.data(), bytes.size());
  ASSERT_TRUE(file) << file.error().message;
  for (const char* name : {"tokenizer.ggml.tokens", "tokenizer.ggml.scores", "tokenizer.ggml.token_type"}) {
    EXPECT_EQ(std::get<GgufArray>(key(*file, name)).length, static_cast<uint64_t>(config.vocab_size)) << name;
  }
}

TEST(GgufWriter, NumericArraysKeepTheirElementType) {
  testing::TempDir dir;
  GgufWriteSpec spec;
  spec.metadata = {{"f", GgufValue{GgufArray{kGgufArrayF32, 2, {}, {1.5, -2.0}}}},
                   {"i", GgufValue{GgufArray{kGgufArrayI32, 1, {}, {-7}}}}};
  spec.fill = [](size_t, uint8_t*, size_t) {};
  ASSERT_TRUE(write_gguf(spec, dir.file("a.gguf")));
  const auto bytes = read_all(dir.file("a.gguf"));
  testing::Bytes want;
  want.put<uint32_t>(kGgufMagic).put<uint32_t>(3).put<uint64_t>(0).put<uint64_t>(2);
  want.str("f").put<uint32_t>(9).put<uint32_t>(kGgufArrayF32).put<uint64_t>(2).put<float>(1.5f).put<float>(-2.0f);
  want.str("i").put<uint32_t>(9).put<uint32_t>(kGgufArrayI32).put<uint64_t>(1).put<int32_t>(-7);
  ASSERT_GE(bytes.size(), want.data.size());
  EXPECT_EQ(std::vector<uint8_t>(bytes.begin(), bytes.begin() + static_cast<long>(want.data.size())), want.data);
}

}  // namespace
}  // namespace tune::bench
