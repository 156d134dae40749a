#include "analysis/score_kernel.hpp"
#include "engine/fresh_memory.hpp"

#include <algorithm>

namespace parkscore::detail {

namespace portable {
// S = Z W (Z in panels of 8 units, W: m x r, S: n_pad x r column-major): 4 replicates x 8 units
// of accumulators across the m loop, over tiles of panels as the AVX2 build (whose blocking
// is its own: score_kernel_avx2.cpp).
template <std::size_t R>
void panel_block(const double* z, std::size_t n_pad, std::size_t m, std::size_t first, std::size_t last,
                 const double* w, double* s) {
  for (std::size_t p = first; p < last; ++p) {
    const double* panel = z + p * m * 8;
    double a[R][8] = {};
    for (std::size_t j = 0; j < m; ++j) {
      const double* zc = panel + j * 8;
      for (std::size_t q = 0; q < R; ++q) {
        const double x = w[q * m + j];
        for (std::size_t i = 0; i < 8; ++i) a[q][i] += x * zc[i];
      }
    }
    for (std::size_t q = 0; q < R; ++q)
      for (std::size_t i = 0; i < 8; ++i) s[q * n_pad + p * 8 + i] = a[q][i];
  }
}

void weighted_sums_portable(const double* z, std::size_t n_pad, std::size_t m, const double* w, std::size_t r,
                            double* s) {
  const std::size_t panels = n_pad / 8;
  const std::size_t tile = std::max<std::size_t>(1, (std::size_t{1} << 15) / (8 * std::max<std::size_t>(m, 1)));
  for (std::size_t first = 0; first < panels; first += tile) {
    const std::size_t last = std::min(panels, first + tile);
    std::size_t c = 0;
    for (; c + 4 <= r; c += 4) panel_block<4>(z, n_pad, m, first, last, w + c * m, s + c * n_pad);
    for (; c < r; ++c) panel_block<1>(z, n_pad, m, first, last, w + c * m, s + c * n_pad);
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

std::vector<double> to_panels(const Eigen::MatrixXd& z, std::size_t n_pad) {
  const auto n = static_cast<std::size_t>(z.rows()), m = static_cast<std::size_t>(z.cols());
  std::vector<double> panels;
  reserve_fresh(panels, n_pad * m);
  panels.resize(n_pad * m);   // padding rows stay 0
  for (std::size_t j = 0; j < m; ++j) {
    const double* column = z.col(static_cast<Eigen::Index>(j)).data();
    for (std::size_t i = 0; i < n; ++i)
      panels[(i / panel_rows) * m * panel_rows + j * panel_rows + i % panel_rows] = column[i];
  }
  return panels;
}

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
