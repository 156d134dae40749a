#include "analysis/score_kernel.hpp"

namespace parkscore::detail {

namespace portable {
// S = Z W (Z: n_pad x m, W: m x r, S: n_pad x r, all column-major, n_pad a multiple of 16):
// 4 replicates x 16 units of accumulators across the m loop. The AVX2 build has its own
// blocking (score_kernel_avx2.cpp).
void weighted_sums_portable(const double* z, std::size_t n_pad, std::size_t m, const double* w, std::size_t r,
                            double* s) {
  std::size_t c = 0;
  for (; c + 4 <= r; c += 4) {
    const double* w0 = w + c * m;
    for (std::size_t i0 = 0; i0 < n_pad; i0 += 16) {
      double a0[16] = {}, a1[16] = {}, a2[16] = {}, a3[16] = {};
      for (std::size_t j = 0; j < m; ++j) {
        const double* zc = z + j * n_pad + i0;
        const double x0 = w0[j], x1 = w0[m + j], x2 = w0[2 * m + j], x3 = w0[3 * m + j];
        for (std::size_t i = 0; i < 16; ++i) {
          a0[i] += x0 * zc[i];
          a1[i] += x1 * zc[i];
          a2[i] += x2 * zc[i];
          a3[i] += x3 * zc[i];
        }
      }
      for (std::size_t i = 0; i < 16; ++i) {
        s[c * n_pad + i0 + i] = a0[i];
        s[(c + 1) * n_pad + i0 + i] = a1[i];
        s[(c + 2) * n_pad + i0 + i] = a2[i];
        s[(c + 3) * n_pad + i0 + i] = a3[i];
      }
    }
  }
  for (; c < r; ++c) {
    for (std::size_t i0 = 0; i0 < n_pad; i0 += 16) {
      double a0[16] = {};
      for (std::size_t j = 0; j < m; ++j) {
        const double* zc = z + j * n_pad + i0;
        const double x0 = w[c * m + j];
        for (std::size_t i = 0; i < 16; ++i) a0[i] += x0 * zc[i];
      }
      for (std::size_t i = 0; i < 16; ++i) s[c * n_pad + i0 + i] = a0[i];
    }
  }
}

#define PARKSCORE_COUNT_FLOAT_NAME count_smaller_float_portable
#define PARKSCORE_COUNT_SHORT_NAME count_smaller_short_portable
#include "analysis/rank_kernel.inc"
#undef PARKSCORE_COUNT_FLOAT_NAME
#undef PARKSCORE_COUNT_SHORT_NAME
}  // namespace portable

#if defined(PARKSCORE_KERNEL_AVX2)
// Defined in score_kernel_avx2.cpp, compiled with -mavx2 -mfma.
void weighted_sums_avx2(const double* z, std::size_t n_pad, std::size_t m, const double* w, std::size_t r, double* s);
std::uint64_t count_smaller_float_avx2(const float* f, std::size_t n, int* smaller);
std::uint64_t count_smaller_short_avx2(const short* q, std::size_t n, int* smaller);
#endif

namespace {
using kernel = void (*)(const double*, std::size_t, std::size_t, const double*, std::size_t, double*);
using float_counter = std::uint64_t (*)(const float*, std::size_t, int*);
using short_counter = std::uint64_t (*)(const short*, std::size_t, int*);
struct choice {
  kernel fn;
  float_counter count_float;
  short_counter count_short;
  const char* name;
};
choice pick() {
#if defined(PARKSCORE_KERNEL_AVX2)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    return {weighted_sums_avx2, count_smaller_float_avx2, count_smaller_short_avx2, "avx2+fma"};
#endif
  return {portable::weighted_sums_portable, portable::count_smaller_float_portable, portable::count_smaller_short_portable,
          "portable"};
}
const choice& chosen() {
  static const choice c = pick();
  return c;
}
}  // namespace

void weighted_sums(const double* z, std::size_t n_pad, std::size_t m, const double* w, std::size_t r, double* s) {
  chosen().fn(z, n_pad, m, w, r, s);
}
std::uint64_t count_smaller_float(const float* f, std::size_t n, int* smaller) {
  return chosen().count_float(f, n, smaller);
}
std::uint64_t count_smaller_short(const short* q, std::size_t n, int* smaller) {
  return chosen().count_short(q, n, smaller);
}
const char* weighted_sums_isa() { return chosen().name; }

}  // namespace parkscore::detail
