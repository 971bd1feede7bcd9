// Reading GGUF: every count, length and offset is checked against the bytes
// that are there before it is used, so a truncated or hostile file gives an
// error naming the byte, never a read past the end.
#include "bench/gguf.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <set>

namespace tune::bench {
namespace {

constexpr uint64_t kMaxStringBytes = 1u << 24;
constexpr uint64_t kMaxCount = 1u << 24;  // metadata pairs, tensors
constexpr uint32_t kMaxDims = 4;
constexpr uint64_t kMaxElements = uint64_t{1} << 42;
constexpr int kMaxHeadWidth = 1 << 14;  // attention.key_length: keeps every product of widths in range
constexpr size_t kKeptStrings = 64;  // string arrays longer than this are skipped, not stored

enum GgufType : uint32_t {
  kU8 = 0, kI8 = 1, kU16 = 2, kI16 = 3, kU32 = 4, kI32 = 5, kF32 = 6, kBool = 7,
  kString = 8, kArray = 9, kU64 = 10, kI64 = 11, kF64 = 12,
};

// A position in the file with a sticky error: after the first failure every
// read returns zeros and the error names where it happened.
class Cursor {
 public:
  Cursor(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  bool failed() const { return !error_.empty(); }
  const std::string& error() const { return error_; }
  size_t position() const { return position_; }
  void fail(const std::string& message) {
    if (error_.empty()) error_ = message;
  }

  template <class T>
  T read(const char* what) {
    T value{};
    if (need(sizeof(T), what)) {
      std::memcpy(&value, data_ + position_, sizeof(T));
      position_ += sizeof(T);
    }
    return value;
  }

  std::string string(const char* what) {
    const uint64_t length = read<uint64_t>(what);
    if (failed()) return {};
    if (length > kMaxStringBytes) {
      fail(fmt::format("byte {}: {} is {} bytes long, more than any GGUF string", position_ - 8, what, length));
      return {};
    }
    if (!need(static_cast<size_t>(length), what)) return {};
    std::string text(reinterpret_cast<const char*>(data_ + position_), static_cast<size_t>(length));
    position_ += static_cast<size_t>(length);
    return text;
  }

  void skip(uint64_t bytes, const char* what) {
    if (need(bytes, what)) position_ += static_cast<size_t>(bytes);
  }

  uint64_t remaining() const { return size_ - position_; }

 private:
  bool need(uint64_t bytes, const char* what) {
    if (failed()) return false;
    if (bytes > size_ - position_) {
      fail(fmt::format("file is truncated: {} at byte {} needs {} bytes, {} left", what, position_, bytes,
                       size_ - position_));
      return false;
    }
    return true;
  }

  const uint8_t* data_;
  size_t size_;
  size_t position_ = 0;
  std::string error_;
};

// A name or key from the file, safe to put in a one-line message: control
// and non-ASCII bytes shown as '?', and long ones cut short.
std::string printable(std::string_view text) {
  constexpr size_t kLongest = 64;
  std::string out;
  for (char c : text.substr(0, kLongest)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (text.size() > kLongest) out += "...";
  return out;
}

size_t scalar_size(uint32_t type) {
  switch (type) {
    case kU8: case kI8: case kBool: return 1;
    case kU16: case kI16: return 2;
    case kU32: case kI32: case kF32: return 4;
    case kU64: case kI64: case kF64: return 8;
    default: return 0;
  }
}

GgufValue read_scalar(Cursor& in, uint32_t type) {
  switch (type) {
    case kU8: return uint64_t{in.read<uint8_t>("a value")};
    case kI8: return int64_t{in.read<int8_t>("a value")};
    case kU16: return uint64_t{in.read<uint16_t>("a value")};
    case kI16: return int64_t{in.read<int16_t>("a value")};
    case kU32: return uint64_t{in.read<uint32_t>("a value")};
    case kI32: return int64_t{in.read<int32_t>("a value")};
    case kF32: return double{in.read<float>("a value")};
    case kBool: return in.read<uint8_t>("a value") != 0;
    case kU64: return in.read<uint64_t>("a value");
    case kI64: return in.read<int64_t>("a value");
    case kF64: return in.read<double>("a value");
    default: return uint64_t{0};
  }
}

GgufValue read_value(Cursor& in, uint32_t type, const std::string& key) {
  if (type == kString) return in.string("a string value");
  if (type == kArray) {
    GgufArray array;
    const size_t at = in.position();
    array.element_type = in.read<uint32_t>("an array type");
    array.length = in.read<uint64_t>("an array length");
    if (in.failed()) return array;
    if (array.element_type == kArray) {
      in.fail(fmt::format("byte {}: metadata {} is an array of arrays, which this reader does not take", at,
                          printable(key)));
    } else if (array.element_type == kString) {
      if (array.length > in.remaining() / 8) {
        in.fail(fmt::format("byte {}: metadata {} claims {} strings, more than the file holds", at, printable(key),
                            array.length));
        return array;
      }
      for (uint64_t i = 0; i < array.length && !in.failed(); ++i) {
        std::string item = in.string("a string in an array");
        if (array.length <= kKeptStrings) array.strings.push_back(std::move(item));
      }
    } else if (size_t each = scalar_size(array.element_type); each > 0) {
      if (array.length > in.remaining() / each) {
        in.fail(fmt::format("byte {}: metadata {} claims {} values, more than the file holds", at, printable(key),
                            array.length));
        return array;
      }
      in.skip(array.length * each, "array values");
    } else {
      in.fail(fmt::format("byte {}: metadata {} is an array of unknown type {}", at, printable(key),
                          array.element_type));
    }
    return array;
  }
  if (scalar_size(type) == 0) {
    in.fail(fmt::format("byte {}: metadata {} has unknown value type {}", in.position() - 4, printable(key), type));
    return uint64_t{0};
  }
  return read_scalar(in, type);
}

std::string ggml_type_name(uint32_t type) {
  static const std::map<uint32_t, std::string> names = {
      {0, "f32"}, {1, "f16"}, {2, "q4_0"}, {3, "q4_1"}, {6, "q5_0"}, {7, "q5_1"}, {8, "q8_0"}, {9, "q8_1"},
      {10, "q2_K"}, {11, "q3_K"}, {12, "q4_K"}, {13, "q5_K"}, {14, "q6_K"}, {15, "q8_K"}, {30, "bf16"}};
  auto it = names.find(type);
  return it == names.end() ? "type " + std::to_string(type) : it->second;
}

std::optional<WeightType> weight_type_of(uint32_t ggml_type) {
  for (const GgmlTypeNumber& known : kGgmlTypeNumbers) {
    if (known.number == ggml_type) return known.type;
  }
  return std::nullopt;
}

}  // namespace

Result<GgufFile> parse_gguf(const uint8_t* data, size_t size) {
  Cursor in(data, size);
  GgufFile file;
  const uint32_t magic = in.read<uint32_t>("the magic");
  if (in.failed()) return Error{in.error()};
  if (magic != kGgufMagic) return make_error("not a GGUF file: the magic is {:08x}, not \"GGUF\"", magic);
  file.version = in.read<uint32_t>("the version");
  if (!in.failed() && (file.version < 2 || file.version > 3)) {
    return make_error("GGUF version {} is not supported (only 2 and 3)", file.version);
  }
  const uint64_t tensor_count = in.read<uint64_t>("the tensor count");
  const uint64_t metadata_count = in.read<uint64_t>("the metadata count");
  if (in.failed()) return Error{in.error()};
  if (tensor_count > kMaxCount) return make_error("byte 8: the file claims {} tensors", tensor_count);
  if (metadata_count > kMaxCount) return make_error("byte 16: the file claims {} metadata pairs", metadata_count);

  for (uint64_t i = 0; i < metadata_count && !in.failed(); ++i) {
    std::string key = in.string("a metadata key");
    const uint32_t type = in.read<uint32_t>("a metadata type");
    if (in.failed()) break;
    GgufValue value = read_value(in, type, key);
    file.metadata[std::move(key)] = std::move(value);
  }
  if (in.failed()) return Error{in.error()};

  if (auto it = file.metadata.find("general.alignment"); it != file.metadata.end()) {
    const uint64_t* alignment = std::get_if<uint64_t>(&it->second);
    if (!alignment || *alignment == 0 || *alignment > 65536 || (*alignment & (*alignment - 1)) != 0) {
      return make_error("general.alignment must be a power of two up to 65536");
    }
    file.alignment = static_cast<uint32_t>(*alignment);
  }

  std::set<std::string> names;
  for (uint64_t i = 0; i < tensor_count && !in.failed(); ++i) {
    GgufTensorInfo info;
    const size_t at = in.position();
    info.name = in.string("a tensor name");
    const uint32_t n_dims = in.read<uint32_t>("a tensor's dimension count");
    if (in.failed()) break;
    if (n_dims == 0 || n_dims > kMaxDims) {
      return make_error("byte {}: tensor {} has {} dimensions (1 to {} allowed)", at, printable(info.name), n_dims,
                        kMaxDims);
    }
    uint64_t elements = 1;
    for (uint32_t d = 0; d < n_dims; ++d) {
      const uint64_t dim = in.read<uint64_t>("a tensor dimension");
      if (in.failed()) break;
      if (dim == 0 || dim > kMaxElements || elements > kMaxElements / dim) {
        return make_error("byte {}: tensor {} has an absurd dimension {}", at, printable(info.name), dim);
      }
      elements *= dim;
      info.dims.push_back(dim);
    }
    info.ggml_type = in.read<uint32_t>("a tensor type");
    info.offset = in.read<uint64_t>("a tensor offset");
    if (in.failed()) break;
    if (!names.insert(info.name).second) {
      return make_error("byte {}: tensor {} appears twice", at, printable(info.name));
    }
    file.tensors.push_back(std::move(info));
  }
  if (in.failed()) return Error{in.error()};

  file.data_offset = (in.position() + file.alignment - 1) / file.alignment * file.alignment;
  for (const GgufTensorInfo& info : file.tensors) {
    const auto type = weight_type_of(info.ggml_type);
    if (!type) {
      return make_error("tensor {} has type {}, which this runner does not read (it reads {})",
                        printable(info.name), ggml_type_name(info.ggml_type), supported_weight_type_names());
    }
    const auto per_block = static_cast<uint64_t>(block_values(*type));
    if (info.dims[0] % per_block != 0) {
      return make_error("tensor {} is {} but its rows of {} values are not whole {}-value blocks",
                        printable(info.name), weight_type_name(*type), info.dims[0], per_block);
    }
    if (info.offset % file.alignment != 0) {
      return make_error("tensor {} starts at offset {}, not a multiple of the alignment {}", printable(info.name),
                        info.offset, file.alignment);
    }
    uint64_t rows = 1;
    for (size_t d = 1; d < info.dims.size(); ++d) rows *= info.dims[d];
    const uint64_t bytes = row_bytes(*type, info.dims[0]) * rows;
    const uint64_t start = file.data_offset + info.offset;
    if (file.data_offset > size || info.offset > size || start > size || bytes > size - start) {
      return make_error("tensor {} lies outside the file: bytes {}..{} of a {}-byte file", printable(info.name),
                        start, start + bytes, size);
    }
  }
  return file;
}

namespace {

Result<int> metadata_int(const GgufFile& file, const std::string& key, std::optional<int> fallback) {
  auto it = file.metadata.find(key);
  if (it == file.metadata.end()) {
    if (fallback) return *fallback;
    return make_error("metadata {} is missing", key);
  }
  int64_t value = 0;
  if (const auto* u = std::get_if<uint64_t>(&it->second)) {
    if (*u > static_cast<uint64_t>(INT32_MAX)) return make_error("metadata {} is {}, out of range", key, *u);
    value = static_cast<int64_t>(*u);
  } else if (const auto* s = std::get_if<int64_t>(&it->second)) {
    value = *s;
  } else {
    return make_error("metadata {} is not an integer", key);
  }
  if (value < INT32_MIN || value > INT32_MAX) return make_error("metadata {} is {}, out of range", key, value);
  return static_cast<int>(value);
}

Result<float> metadata_float(const GgufFile& file, const std::string& key, float fallback) {
  auto it = file.metadata.find(key);
  if (it == file.metadata.end()) return fallback;
  if (const auto* d = std::get_if<double>(&it->second)) return static_cast<float>(*d);
  return make_error("metadata {} is not a number", key);
}

// Gemma's attention, as llama.cpp sets it up (llama-model.cpp): which
// layers slide (one in two for Gemma 2, five in six for Gemma 3), Gemma 2's
// soft-capping (50 and 30 when the file does not say), Gemma 3's rope base
// 10000 for its sliding layers, and the scores of the 27B models scaled by
// their dim / n_heads rather than their head width.
Status read_gemma_attention(const GgufFile& file, const std::string& arch, ModelConfig& c) {
  const bool gemma2 = c.architecture == Architecture::kGemma2;
  if (!gemma2 && c.architecture != Architecture::kGemma3) return {};
  const auto key = [&](const char* suffix) { return fmt::format("{}.{}", arch, suffix); };
  const std::optional<int> window_default = gemma2 ? std::optional<int>(4096) : std::nullopt;
  TUNE_ASSIGN_OR_RETURN(c.sliding_window, metadata_int(file, key("attention.sliding_window"), window_default));
  if (c.sliding_window <= 0) return make_error("{} is {}", key("attention.sliding_window"), c.sliding_window);
  c.sliding_pattern = gemma2 ? 2 : 6;
  if (gemma2) {
    TUNE_ASSIGN_OR_RETURN(c.attention_softcap, metadata_float(file, key("attn_logit_softcapping"), 50.0f));
    TUNE_ASSIGN_OR_RETURN(c.final_softcap, metadata_float(file, key("final_logit_softcapping"), 30.0f));
    if (c.attention_softcap <= 0 || c.final_softcap <= 0) return make_error("{}: soft-capping must be positive", arch);
  } else {
    c.rope_theta_sliding = 10000.0f;
  }
  if (c.n_layers == (gemma2 ? 46 : 62)) c.attention_scale = 1.0f / std::sqrt(static_cast<float>(c.dim / c.n_heads));
  return {};
}

}  // namespace

Result<Model> llama_from_gguf(const GgufFile& file, std::shared_ptr<WeightStorage> storage, std::string source) {
  auto arch = file.metadata.find("general.architecture");
  if (arch == file.metadata.end()) return make_error("metadata general.architecture is missing");
  const auto* name = std::get_if<std::string>(&arch->second);
  if (!name) return make_error("metadata general.architecture is not a string");
  const auto architecture = parse_architecture(*name);
  if (!architecture) {
    return make_error("architecture '{}' is not supported (supported: {})", printable(*name),
                      supported_architecture_names());
  }
  // Every hyperparameter key starts with the architecture's name: llama.*, qwen2.*...
  const auto key = [&](const char* suffix) { return fmt::format("{}.{}", *name, suffix); };

  ModelConfig c;
  c.architecture = *architecture;
  TUNE_ASSIGN_OR_RETURN(c.dim, metadata_int(file, key("embedding_length"), std::nullopt));
  TUNE_ASSIGN_OR_RETURN(c.hidden_dim, metadata_int(file, key("feed_forward_length"), std::nullopt));
  TUNE_ASSIGN_OR_RETURN(c.n_layers, metadata_int(file, key("block_count"), std::nullopt));
  TUNE_ASSIGN_OR_RETURN(c.n_heads, metadata_int(file, key("attention.head_count"), std::nullopt));
  TUNE_ASSIGN_OR_RETURN(c.n_kv_heads, metadata_int(file, key("attention.head_count_kv"), c.n_heads));
  TUNE_ASSIGN_OR_RETURN(c.max_seq_len, metadata_int(file, key("context_length"), 2048));
  TUNE_ASSIGN_OR_RETURN(c.norm_eps, metadata_float(file, key("attention.layer_norm_rms_epsilon"), 1e-5f));
  TUNE_ASSIGN_OR_RETURN(c.rope_theta, metadata_float(file, key("rope.freq_base"), 10000.0f));

  TensorTable tensors;
  for (const GgufTensorInfo& info : file.tensors) {
    TensorRef ref;
    ref.type = *weight_type_of(info.ggml_type);  // parse_gguf let only known types through
    ref.dims = info.dims;
    ref.data = storage->data() + file.data_offset + info.offset;
    tensors.emplace(info.name, std::move(ref));
  }
  int vocab_fallback = 0;
  if (auto it = tensors.find("token_embd.weight"); it != tensors.end() && it->second.dims.size() == 2 &&
                                                   it->second.dims[1] <= static_cast<uint64_t>(INT32_MAX)) {
    vocab_fallback = static_cast<int>(it->second.dims[1]);
  }
  TUNE_ASSIGN_OR_RETURN(c.vocab_size, metadata_int(file, key("vocab_size"), vocab_fallback));
  TUNE_RETURN_IF_ERROR(validate_config(c));
  // Heads may be wider or narrower than dim / n_heads (Qwen3 0.6B, Gemma);
  // keys and values of one width are all the runner computes.
  int key_width = 0, value_width = 0;
  TUNE_ASSIGN_OR_RETURN(key_width, metadata_int(file, key("attention.key_length"), c.head_dim()));
  TUNE_ASSIGN_OR_RETURN(value_width, metadata_int(file, key("attention.value_length"), key_width));
  if (value_width != key_width) {
    return make_error("{} is {} but {} is {}: only heads whose keys and values have one width are supported",
                      key("attention.key_length"), key_width, key("attention.value_length"), value_width);
  }
  if (key_width <= 0 || key_width > kMaxHeadWidth || key_width % 2 != 0) {
    return make_error("{} is {}: heads of an even width from 2 to {} are supported", key("attention.key_length"),
                      key_width, kMaxHeadWidth);
  }
  if (key_width != c.head_dim()) c.head_size = key_width;
  TUNE_RETURN_IF_ERROR(validate_config(c));
  TUNE_RETURN_IF_ERROR(read_gemma_attention(file, *name, c));
  if (auto scaling = file.metadata.find(key("rope.scaling.type")); scaling != file.metadata.end()) {
    const auto* type = std::get_if<std::string>(&scaling->second);
    if (type && *type == "linear") {
      TUNE_ASSIGN_OR_RETURN(c.rope_linear_factor, metadata_float(file, key("rope.scaling.factor"), 1.0f));
      if (!(c.rope_linear_factor > 0.0f && std::isfinite(c.rope_linear_factor))) {
        return make_error("{} is {}, not a positive factor", key("rope.scaling.factor"), c.rope_linear_factor);
      }
    } else if (!type || *type != "none") {
      return make_error("{} is {}: only linear rope scaling (or none) is supported", key("rope.scaling.type"),
                        type ? printable(*type) : std::string("not a string"));
    }
  }
  int rope_dims = 0;
  TUNE_ASSIGN_OR_RETURN(rope_dims, metadata_int(file, key("rope.dimension_count"), c.head_dim()));
  if (rope_dims != c.head_dim()) {
    return make_error("{} is {}, but only rotary embeddings over the whole head ({}) are supported",
                      key("rope.dimension_count"), rope_dims, c.head_dim());
  }
  return assemble_llama(c, tensors, std::move(storage), std::move(source));
}

}  // namespace tune::bench
