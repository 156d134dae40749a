// The weighted-sum kernel built for AVX2+FMA; only called after a CPU check
// (score_kernel.cpp). Plain loops, no inline library code, so nothing compiled
// for AVX2 here can be picked by the linker for another translation unit.
#include <cstddef>

namespace parkscore::detail {
#define PARKSCORE_KERNEL_NAME weighted_sums_avx2
#include "analysis/score_kernel.inc"
#undef PARKSCORE_KERNEL_NAME
}  // namespace parkscore::detail
