// Writing GGUF version 3: the header and tensor infos are built in memory,
// then each tensor is produced and written in turn, so a model larger than
// memory can be written.
#include "bench/gguf.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

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
      put<uint32_t>(8);  // arrays are written as string arrays only
      put<uint64_t>(a->strings.size());
      for (const auto& item : a->strings) put_string(item);
    }
  }
  void pad_to(uint64_t alignment) {
    while (text_.size() % alignment != 0) text_.push_back('\0');
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

uint32_t ggml_type(WeightType type) {
  switch (type) {
    case WeightType::kF32: return kGgmlF32;
    case WeightType::kF16: return kGgmlF16;
    case WeightType::kQ8_0: return kGgmlQ8_0;
  }
  return kGgmlF32;
}

struct FileCloser {
  void operator()(std::FILE* file) const {
    if (file) std::fclose(file);
  }
};

}  // namespace

std::vector<std::pair<std::string, GgufValue>> llama_metadata(const ModelConfig& c, const std::string& name) {
  const auto u = [](int value) { return GgufValue{static_cast<uint64_t>(value)}; };
  return {
      {"general.architecture", GgufValue{std::string("llama")}},
      {"general.name", GgufValue{name}},
      {"general.alignment", u(static_cast<int>(kGgufDefaultAlignment))},
      {"llama.context_length", u(c.max_seq_len)},
      {"llama.embedding_length", u(c.dim)},
      {"llama.block_count", u(c.n_layers)},
      {"llama.feed_forward_length", u(c.hidden_dim)},
      {"llama.attention.head_count", u(c.n_heads)},
      {"llama.attention.head_count_kv", u(c.n_kv_heads)},
      {"llama.rope.dimension_count", u(c.head_dim())},
      {"llama.attention.layer_norm_rms_epsilon", GgufValue{static_cast<double>(c.norm_eps)}},
      {"llama.rope.freq_base", GgufValue{static_cast<double>(c.rope_theta)}},
      {"llama.vocab_size", u(c.vocab_size)},
  };
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
