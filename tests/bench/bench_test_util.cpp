#include "bench/bench_test_util.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <random>
#include <stdexcept>

namespace tune::bench::testing {

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "tune-bench-test-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes) {
  std::FILE* out = std::fopen(path.c_str(), "wb");
  if (!out) throw std::runtime_error("cannot write " + path);
  if (!bytes.empty()) std::fwrite(bytes.data(), 1, bytes.size(), out);
  std::fclose(out);
}

std::vector<float> awkward_q8_blocks() {
  const float inf = std::numeric_limits<float>::infinity();
  std::vector<float> values = {127.0f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f, 126.5f, -126.5f, 3.49999f, -0.0f};
  values.resize(32, 7.25f);
  std::vector<float> special = {1.0f, std::nanf(""), -3.0f, inf, 0.25f, -inf};
  special.resize(32, -0.75f);
  values.insert(values.end(), special.begin(), special.end());
  std::vector<float> tiny = {1e-38f, -1e-38f, 0.0f, 5e-39f, std::numeric_limits<float>::denorm_min()};
  tiny.resize(32, -2e-39f);
  values.insert(values.end(), tiny.begin(), tiny.end());
  values.resize(values.size() + 32, 0.0f);
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> value(-4.0f, 4.0f);
  for (int i = 0; i < 32 * 40; ++i) values.push_back(value(rng) * static_cast<float>(1 << (i / 32 % 12)));
  return values;
}

}  // namespace tune::bench::testing
