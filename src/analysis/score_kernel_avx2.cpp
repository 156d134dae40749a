// The weighted-sum and counting-rank kernels built for AVX2+FMA; only called after a CPU check
// (score_kernel.cpp). Plain loops, no inline library code, so nothing compiled for AVX2 here can
// be picked by the linker for another translation unit.
//
// S = Z W with explicit four-lane vectors: 8 units x 6 replicates of accumulators (12 of the 16
// ymm registers, with two loads of Z and one broadcast weight) stay in registers across the m
// loop — twice the speed of the portable kernel's 16 x 4 blocking, which spills here. Every
// element is still the sum over j in order with one fused multiply-add per term, as in the
// portable kernel built with -mfma, so the scores are the same bits.
#include <cstddef>
#include <cstdint>

namespace parkscore::detail {

namespace {
typedef double v4d __attribute__((vector_size(32)));

// Panels [first, last) of Z (8 units each) times R replicates' weights.
template <int R>
void replicate_block(const double* z, std::size_t n_pad, std::size_t m, std::size_t first, std::size_t last,
                     const double* w, double* s) {
  for (std::size_t p = first; p < last; ++p) {
    const double* panel = z + p * m * 8;
    v4d lo[R] = {}, hi[R] = {};
    for (std::size_t j = 0; j < m; ++j) {
      v4d z0, z1;
      __builtin_memcpy(&z0, panel + j * 8, sizeof z0);
      __builtin_memcpy(&z1, panel + j * 8 + 4, sizeof z1);
      for (int q = 0; q < R; ++q) {
        const double x = w[static_cast<std::size_t>(q) * m + j];
        const v4d b = {x, x, x, x};
        lo[q] += b * z0;
        hi[q] += b * z1;
      }
    }
    for (int q = 0; q < R; ++q) {
      __builtin_memcpy(s + static_cast<std::size_t>(q) * n_pad + p * 8, &lo[q], sizeof lo[q]);
      __builtin_memcpy(s + static_cast<std::size_t>(q) * n_pad + p * 8 + 4, &hi[q], sizeof hi[q]);
    }
  }
}
}  // namespace

// n_pad is a multiple of kernel_rows (16), hence of 8. Panels are taken in tiles of about
// 256 kB, each multiplied by every replicate's weights before the next is read, so Z comes
// from memory once per call rather than once per six replicates.
void weighted_sums_avx2(const double* z, std::size_t n_pad, std::size_t m, const double* w, std::size_t r, double* s) {
  const std::size_t panels = n_pad / 8;
  const std::size_t per_tile = (std::size_t{1} << 15) / (8 * (m > 0 ? m : 1));   // panels of 256 kB
  const std::size_t tile = per_tile > 0 ? per_tile : 1;
  for (std::size_t first = 0; first < panels; first += tile) {
    const std::size_t last = first + tile < panels ? first + tile : panels;
    std::size_t c = 0;
    for (; c + 6 <= r; c += 6) replicate_block<6>(z, n_pad, m, first, last, w + c * m, s + c * n_pad);
    for (; c < r; ++c) replicate_block<1>(z, n_pad, m, first, last, w + c * m, s + c * n_pad);
  }
}

#define PARKSCORE_COUNT_FLOAT_NAME count_smaller_float_avx2
#define PARKSCORE_COUNT_SHORT_NAME count_smaller_short_avx2
#include "analysis/rank_kernel.inc"
#undef PARKSCORE_COUNT_FLOAT_NAME
#undef PARKSCORE_COUNT_SHORT_NAME

}  // namespace parkscore::detail
