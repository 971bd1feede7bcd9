// The NEON kernels against the scalar set, built for arm64 and run under
// qemu-user by neon_cross_check.sh (skipped where those tools are missing).
#include "bench/kernels.h"
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>
using namespace tune::bench;
int main() {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(-1, 1);
  int failures = 0, checks = 0;
  for (WeightType type : {WeightType::kF32, WeightType::kF16, WeightType::kQ8_0}) {
    for (int rows : {1, 5, 13, 16}) for (int cols : {32, 64, 96, 2592}) for (int tokens : {1, 2, 3, 5, 9}) {
      std::vector<float> row(cols);
      std::vector<uint8_t> w(row_bytes(type, cols) * rows);
      for (int r = 0; r < rows; ++r) { for (auto& v : row) v = u(rng); quantize_row(type, row.data(), cols, w.data() + r * row_bytes(type, cols)); }
      std::vector<float> x((size_t)cols * tokens); for (auto& v : x) v = u(rng);
      std::vector<int8_t> q(x.size()); std::vector<float> s(x.size() / 32);
      for (int t = 0; t < tokens; ++t) quantize_activations_q8(&x[t * cols], cols, &q[t * cols], &s[t * (cols / 32)]);
      Activations a{x.data(), q.data(), s.data(), tokens, cols};
      Matrix m{type, w.data(), rows, cols};
      std::vector<float> y1((size_t)rows * tokens), y2((size_t)rows * tokens);
      neon_kernels().matmul(m, 0, rows, a, y1.data(), rows);
      scalar_kernels().matmul(m, 0, rows, a, y2.data(), rows);
      for (size_t i = 0; i < y1.size(); ++i) { ++checks; if (std::fabs(y1[i] - y2[i]) > 1e-4f * cols) { ++failures; if (failures < 5) printf("mismatch %s r%d c%d t%d: %g vs %g\n", weight_type_name(type).data(), rows, cols, tokens, y1[i], y2[i]); } }
    }
  }
  // Attention: 9 positions of width 70, 80 floats apart.
  std::vector<float> q(70), cache(9 * 80), s1(9), s2(9), o1(70), o2(70);
  for (auto& v : q) v = u(rng);
  for (auto& v : cache) v = u(rng);
  neon_kernels().attention_scores(q.data(), cache.data(), 80, 9, 70, 0.5f, s1.data());
  scalar_kernels().attention_scores(q.data(), cache.data(), 80, 9, 70, 0.5f, s2.data());
  for (int i = 0; i < 9; ++i) if (std::fabs(s1[i] - s2[i]) > 1e-4) { ++failures; printf("score %d: %g vs %g\n", i, s1[i], s2[i]); }
  neon_kernels().attention_sum(s2.data(), cache.data(), 80, 9, 70, o1.data());
  scalar_kernels().attention_sum(s2.data(), cache.data(), 80, 9, 70, o2.data());
  for (int i = 0; i < 70; ++i) if (std::fabs(o1[i] - o2[i]) > 1e-4) { ++failures; printf("sum %d: %g vs %g\n", i, o1[i], o2[i]); }
  // The same over an f16 cache.
  std::vector<uint16_t> half(cache.size());
  for (size_t i = 0; i < cache.size(); ++i) half[i] = f32_to_f16(cache[i]);
  neon_kernels().attention_scores_f16(q.data(), half.data(), 80, 9, 70, 0.5f, s1.data());
  scalar_kernels().attention_scores_f16(q.data(), half.data(), 80, 9, 70, 0.5f, s2.data());
  for (int i = 0; i < 9; ++i) if (std::fabs(s1[i] - s2[i]) > 1e-4) { ++failures; printf("f16 score %d: %g vs %g\n", i, s1[i], s2[i]); }
  neon_kernels().attention_sum_f16(s2.data(), half.data(), 80, 9, 70, o1.data());
  scalar_kernels().attention_sum_f16(s2.data(), half.data(), 80, 9, 70, o2.data());
  for (int i = 0; i < 70; ++i) if (std::fabs(o1[i] - o2[i]) > 1e-4) { ++failures; printf("f16 sum %d: %g vs %g\n", i, o1[i], o2[i]); }
  std::vector<uint16_t> n16(70), s16(70);
  neon_kernels().to_f16(q.data(), 70, n16.data());
  scalar_kernels().to_f16(q.data(), 70, s16.data());
  for (int i = 0; i < 70; ++i) if (n16[i] != s16[i]) { ++failures; printf("to_f16 %d: %x vs %x\n", i, n16[i], s16[i]); }
  std::vector<float> powers_in, powers(0);
  for (float x = -87.0f; x <= 88.0f; x += 0.0371f) powers_in.push_back(x);
  powers_in.push_back(std::nanf(""));
  powers.resize(powers_in.size());
  neon_kernels().exponentials(powers_in.data(), powers_in.size(), powers.data());
  for (size_t i = 0; i + 1 < powers.size(); ++i) {
    ++checks;
    const double want = std::exp(static_cast<double>(powers_in[i]));
    if (std::fabs(powers[i] / want - 1.0) > 3e-7) { ++failures; if (failures < 5) printf("exp %g: %g vs %g\n", powers_in[i], powers[i], want); }
  }
  if (!std::isnan(powers.back())) { ++failures; printf("exp NaN: %g\n", powers.back()); }
  std::vector<uint8_t> bytes(1000, 0); bytes[999] = 3; bytes[0] = 2;
  if (neon_kernels().read_stream(bytes.data(), bytes.size()) == 0) ++failures;
  float sink = 0; if (neon_kernels().fma_burst(100, &sink) <= 0) ++failures;
  printf("%d checks, %d failures\n", checks, failures);
  return failures != 0;
}
