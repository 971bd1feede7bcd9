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
    for (int rows : {1, 5, 13, 16}) for (int cols : {32, 64, 96}) for (int tokens : {1, 2, 3, 5, 9}) {
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
  std::vector<float> a(70), b(70), y(70, 1), y2(70, 1); for (auto& v : a) v = u(rng); for (auto& v : b) v = u(rng);
  double d1 = neon_kernels().dot(a.data(), b.data(), 70), d2 = scalar_kernels().dot(a.data(), b.data(), 70);
  if (std::fabs(d1 - d2) > 1e-4) { ++failures; printf("dot %g vs %g\n", d1, d2); }
  neon_kernels().axpy(0.5f, a.data(), y.data(), 70); scalar_kernels().axpy(0.5f, a.data(), y2.data(), 70);
  for (int i = 0; i < 70; ++i) if (std::fabs(y[i] - y2[i]) > 1e-6) ++failures;
  std::vector<uint8_t> bytes(1000, 0); bytes[999] = 3; bytes[0] = 2;
  if (neon_kernels().read_stream(bytes.data(), bytes.size()) == 0) ++failures;
  float sink = 0; if (neon_kernels().fma_burst(100, &sink) <= 0) ++failures;
  printf("%d checks, %d failures\n", checks, failures);
  return failures != 0;
}
