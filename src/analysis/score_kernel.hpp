#pragma once
// S = Z W for the weights-only fast path; see score_kernel.inc.

#include <cstddef>

namespace parkscore::detail {

inline constexpr std::size_t kernel_rows = 16;   // n_pad must be a multiple of this

/// Picks the AVX2+FMA build when the CPU has it (decided once), else the portable one.
void weighted_sums(const double* z, std::size_t n_pad, std::size_t m, const double* w, std::size_t r, double* s);
/// Which build weighted_sums uses ("avx2+fma" or "portable").
const char* weighted_sums_isa();

}  // namespace parkscore::detail
