// Chooses a kernel set from the CPU's features, once.
#include "bench/kernels.h"

#include <cstdlib>
#include <string_view>

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace tune::bench {
namespace {

#if defined(__x86_64__)
bool has_f16c() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return false;
  return (ecx & (1u << 29)) != 0;
}

bool runs_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && has_f16c();
}

bool runs_avx512() {
  __builtin_cpu_init();
  return runs_avx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
}
#endif

std::vector<const Kernels*> detect() {
  std::vector<const Kernels*> sets;
#if defined(__x86_64__)
  if (runs_avx512()) sets.push_back(&avx512_kernels());
  if (runs_avx2()) sets.push_back(&avx2_kernels());
#endif
#if defined(__aarch64__)
  sets.push_back(&neon_kernels());  // NEON is part of the arm64 baseline
#endif
  sets.push_back(&scalar_kernels());
  return sets;
}

}  // namespace

std::vector<const Kernels*> available_kernels() {
  static const std::vector<const Kernels*> sets = detect();
  return sets;
}

const Kernels& kernels() {
  static const Kernels* chosen = [] {
    const auto sets = available_kernels();
    if (const char* wanted = std::getenv("TUNE_BENCH_KERNELS")) {
      for (const Kernels* set : sets) {
        if (std::string_view(set->name) == wanted) return set;
      }
    }
    return sets.front();
  }();
  return *chosen;
}

}  // namespace tune::bench
