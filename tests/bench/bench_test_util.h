// Helpers the runner's tests share: a temporary directory, a GGUF byte
// builder for hand-made (and deliberately broken) files, and awkward inputs.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

namespace tune::bench::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes);

// Whole 32-value blocks a q8 quantizer finds hardest: exact ties (the
// block's largest magnitude 127 makes the scale 1, so values land on
// k + 0.5), NaN, infinite values, a largest magnitude so small that
// 1 / scale overflows, all zeros; then random blocks of many magnitudes.
std::vector<float> awkward_q8_blocks();

// Little-endian bytes, appended field by field.
class Bytes {
 public:
  template <class T>
  Bytes& put(T value) {
    const auto* raw = reinterpret_cast<const uint8_t*>(&value);
    data.insert(data.end(), raw, raw + sizeof(T));
    return *this;
  }
  Bytes& str(const std::string& text) {
    put<uint64_t>(text.size());
    data.insert(data.end(), text.begin(), text.end());
    return *this;
  }
  Bytes& pad_to(size_t alignment) {
    while (data.size() % alignment != 0) data.push_back(0);
    return *this;
  }
  std::vector<uint8_t> data;
};

}  // namespace tune::bench::testing
