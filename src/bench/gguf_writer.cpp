// Writing GGUF version 3: the header and tensor infos are built in memory,
// then each tensor is produced and written in turn, so a model larger than
// memory can be written.
#include "bench/gguf.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string_view>

#include <unistd.h>

namespace tune::bench {
namespace {

class HeaderBuffer {
 public:
  template <class T>
  void put(T value) {
    const auto* bytes = reinterpret_cast<const char*>(&value);
    text_.append(bytes, sizeof(T));
  }
  void put_string(const std::string& value) {
    put<uint64_t>(value.size());
    text_ += value;
  }
  void put_value(const GgufValue& value) {
    if (const auto* u = std::get_if<uint64_t>(&value)) {
      if (*u <= UINT32_MAX) {
        put<uint32_t>(4);  // u32, as llama.cpp writes its integer hyperparameters
        put<uint32_t>(static_cast<uint32_t>(*u));
      } else {
        put<uint32_t>(10);
        put<uint64_t>(*u);
      }
    } else if (const auto* i = std::get_if<int64_t>(&value)) {
      put<uint32_t>(11);
      put<int64_t>(*i);
    } else if (const auto* d = std::get_if<double>(&value)) {
      put<uint32_t>(6);  // f32
      put<float>(static_cast<float>(*d));
    } else if (const auto* b = std::get_if<bool>(&value)) {
      put<uint32_t>(7);
      put<uint8_t>(*b ? 1 : 0);
    } else if (const auto* s = std::get_if<std::string>(&value)) {
      put<uint32_t>(8);
      put_string(*s);
    } else if (const auto* a = std::get_if<GgufArray>(&value)) {
      put<uint32_t>(9);
      if (a->element_type == kGgufArrayF32 || a->element_type == kGgufArrayI32) {
        put<uint32_t>(a->element_type);
        put<uint64_t>(a->numbers.size());
        for (double number : a->numbers) {
          if (a->element_type == kGgufArrayF32) {
            put<float>(static_cast<float>(number));
          } else {
            put<int32_t>(static_cast<int32_t>(number));
          }
        }
      } else {  // any other element type is written as strings
        put<uint32_t>(kGgufArrayString);
        put<uint64_t>(a->strings.size());
        for (const auto& item : a->strings) put_string(item);
      }
    }
  }
  void pad_to(uint64_t alignment) {
    while (text_.size() % alignment != 0) text_.push_back('\0');
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

// GGML's type number of a weight type (gguf.h's table, shared with the reader).
uint32_t ggml_type(WeightType type) {
  for (const GgmlTypeNumber& known : kGgmlTypeNumbers) {
    if (known.type == type) return known.number;
  }
  std::abort();  // a weight type without a GGML number: a bug here
}

// GGUF's token types (llama.cpp's llama_token_type).
enum class TokenType : int { kNormal = 1, kUnknown = 2, kControl = 3, kByte = 6 };

// A SentencePiece-style placeholder vocabulary of `size` tokens: <unk>, <s>,
// </s>, then the 256 byte tokens <0x00>..<0xFF> (llama.cpp looks up <0x0A>
// for its newline token), then "t<id>" for the rest. Only its size matters
// to a benchmark: prompts are token ids, and nothing is detokenized.
std::vector<std::pair<std::string, GgufValue>> placeholder_tokenizer(int size) {
  GgufArray tokens{kGgufArrayString, 0, {}, {}};
  GgufArray scores{kGgufArrayF32, 0, {}, {}};
  GgufArray types{kGgufArrayI32, 0, {}, {}};
  for (int id = 0; id < size; ++id) {
    std::string text;
    TokenType type = TokenType::kNormal;
    if (id == kPlaceholderUnk) {
      text = "<unk>";
      type = TokenType::kUnknown;
    } else if (id == kPlaceholderBos || id == kPlaceholderEos) {
      text = id == kPlaceholderBos ? "<s>" : "</s>";
      type = TokenType::kControl;
    } else if (const int byte = id - (kPlaceholderEos + 1); byte < 256) {
      text = fmt::format("<0x{:02X}>", byte);
      type = TokenType::kByte;
    } else {
      text = fmt::format("t{}", id);
    }
    tokens.strings.push_back(std::move(text));
    scores.numbers.push_back(type == TokenType::kNormal ? -static_cast<double>(id) : 0.0);
    types.numbers.push_back(static_cast<double>(type));
  }
  tokens.length = scores.length = types.length = static_cast<uint64_t>(size);
  std::vector<std::pair<std::string, GgufValue>> keys = {
      {"tokenizer.ggml.model", GgufValue{std::string("llama")}},
      {"tokenizer.ggml.tokens", GgufValue{std::move(tokens)}},
      {"tokenizer.ggml.scores", GgufValue{std::move(scores)}},
      {"tokenizer.ggml.token_type", GgufValue{std::move(types)}},
  };
  const auto id_key = [&](const char* key, int id) {
    if (id < size) keys.emplace_back(key, GgufValue{static_cast<uint64_t>(id)});
  };
  id_key("tokenizer.ggml.unknown_token_id", kPlaceholderUnk);
  id_key("tokenizer.ggml.bos_token_id", kPlaceholderBos);
  id_key("tokenizer.ggml.eos_token_id", kPlaceholderEos);
  // A prompt is given as ids: nothing may be added in front of it.
  keys.emplace_back("tokenizer.ggml.add_bos_token", GgufValue{false});
  return keys;
}

struct FileCloser {
  void operator()(std::FILE* file) const {
    if (file) std::fclose(file);
  }
};

}  // namespace

std::vector<std::pair<std::string, GgufValue>> llama_metadata(const ModelConfig& c, const std::string& name) {
  const auto u = [](int value) { return GgufValue{static_cast<uint64_t>(value)}; };
  // llama.cpp reads each hyperparameter under the architecture's own prefix.
  const std::string_view arch = architecture_name(c.architecture);
  const auto key = [&](const char* suffix) { return fmt::format("{}.{}", arch, suffix); };
  std::vector<std::pair<std::string, GgufValue>> keys = {
      {"general.architecture", GgufValue{std::string(arch)}},
      {"general.name", GgufValue{name}},
      {"general.alignment", u(static_cast<int>(kGgufDefaultAlignment))},
      {key("context_length"), u(c.max_seq_len)},
      {key("embedding_length"), u(c.dim)},
      {key("block_count"), u(c.n_layers)},
      {key("feed_forward_length"), u(c.hidden_dim)},
      {key("attention.head_count"), u(c.n_heads)},
      {key("attention.head_count_kv"), u(c.n_kv_heads)},
      {key("rope.dimension_count"), u(c.head_dim())},
      {key("attention.layer_norm_rms_epsilon"), GgufValue{static_cast<double>(c.norm_eps)}},
      {key("rope.freq_base"), GgufValue{static_cast<double>(c.rope_theta)}},
      {key("vocab_size"), u(c.vocab_size)},
  };
  if (c.rope_linear_factor > 0) {
    keys.emplace_back(key("rope.scaling.type"), GgufValue{std::string("linear")});
    keys.emplace_back(key("rope.scaling.factor"), GgufValue{static_cast<double>(c.rope_linear_factor)});
  }
  if (c.sliding_window > 0) keys.emplace_back(key("attention.sliding_window"), u(c.sliding_window));
  if (c.attention_softcap > 0) {
    keys.emplace_back(key("attn_logit_softcapping"), GgufValue{static_cast<double>(c.attention_softcap)});
  }
  if (c.final_softcap > 0) {
    keys.emplace_back(key("final_logit_softcapping"), GgufValue{static_cast<double>(c.final_softcap)});
  }
  if (c.head_size > 0) {  // heads not dim / n_heads wide
    keys.emplace_back(key("attention.key_length"), u(c.head_size));
    keys.emplace_back(key("attention.value_length"), u(c.head_size));
  }
  for (auto& pair : placeholder_tokenizer(c.vocab_size)) keys.push_back(std::move(pair));
  return keys;
}

Status write_gguf(const GgufWriteSpec& spec, const std::string& path) {
  uint64_t alignment = kGgufDefaultAlignment;
  for (const auto& [key, value] : spec.metadata) {
    if (key == "general.alignment") alignment = std::get<uint64_t>(value);
  }
  HeaderBuffer header;
  header.put<uint32_t>(kGgufMagic);
  header.put<uint32_t>(3);
  header.put<uint64_t>(spec.tensors.size());
  header.put<uint64_t>(spec.metadata.size());
  for (const auto& [key, value] : spec.metadata) {
    header.put_string(key);
    header.put_value(value);
  }
  std::vector<uint64_t> sizes;
  uint64_t offset = 0;
  for (const auto& tensor : spec.tensors) {
    uint64_t rows = 1;
    for (size_t d = 1; d < tensor.dims.size(); ++d) rows *= tensor.dims[d];
    const uint64_t bytes = row_bytes(tensor.type, tensor.dims[0]) * rows;
    header.put_string(tensor.name);
    header.put<uint32_t>(static_cast<uint32_t>(tensor.dims.size()));
    for (uint64_t dim : tensor.dims) header.put<uint64_t>(dim);
    header.put<uint32_t>(ggml_type(tensor.type));
    header.put<uint64_t>(offset);
    sizes.push_back(bytes);
    offset += (bytes + alignment - 1) / alignment * alignment;
  }
  header.pad_to(alignment);

  const std::string temporary = path + ".partial." + std::to_string(::getpid());
  std::unique_ptr<std::FILE, FileCloser> out(std::fopen(temporary.c_str(), "wb"));
  if (!out) return make_error("{}: cannot create: {}", temporary, std::strerror(errno));
  bool ok = std::fwrite(header.text().data(), 1, header.text().size(), out.get()) == header.text().size();
  std::vector<uint8_t> buffer;
  const std::vector<char> zeros(alignment, '\0');
  for (size_t i = 0; ok && i < spec.tensors.size(); ++i) {
    buffer.assign(sizes[i], 0);
    spec.fill(i, buffer.data(), buffer.size());
    ok = std::fwrite(buffer.data(), 1, buffer.size(), out.get()) == buffer.size();
    const size_t padding = static_cast<size_t>((alignment - sizes[i] % alignment) % alignment);
    if (ok && padding) ok = std::fwrite(zeros.data(), 1, padding, out.get()) == padding;
  }
  ok = ok && std::fflush(out.get()) == 0 && ::fsync(::fileno(out.get())) == 0;
  const int saved = errno;
  out.reset();
  if (!ok) {
    std::remove(temporary.c_str());
    return make_error("{}: write failed: {}", path, std::strerror(saved));
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int rename_error = errno;
    std::remove(temporary.c_str());
    return make_error("{}: cannot rename into place: {}", path, std::strerror(rename_error));
  }
  return {};
}

}  // namespace tune::bench
