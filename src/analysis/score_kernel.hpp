#pragma once
// The weights-only fast path's kernels: S = Z W (score_kernel.cpp, score_kernel_avx2.cpp) and
// counting ranks (rank_kernel.inc).

#include <cstddef>
#include <cstdint>
#include <vector>

#include <Eigen/Core>

namespace parkscore::detail {

inline constexpr std::size_t kernel_rows = 16;   // n_pad must be a multiple of this
inline constexpr std::size_t panel_rows = 8;     // Z is stored in panels of this many units

/// Z (n x m, padded with zero rows to n_pad) in panels: the m values of units i0 .. i0 + 7 for
/// each j in turn, so a kernel reads a panel front to back (column-major Z made it jump n_pad
/// values at every j: a new page per term at 10^4 units). panels[(i / 8) * m * 8 + j * 8 + i % 8]
/// = z(i, j).
std::vector<double> to_panels(const Eigen::MatrixXd& z, std::size_t n_pad);

/// S = Z W (W: m x r, S: n_pad x r, column-major; Z in panels). Picks the AVX2+FMA build when
/// the CPU has it (decided once), else the portable one. Every S element is the sum over j in
/// order with one fused multiply-add per term in either build, so the bits do not depend on
/// the blocking.
void weighted_sums(const double* z, std::size_t n_pad, std::size_t m, const double* w, std::size_t r, double* s);
/// smaller[i] = #{j < n : f[j] < f[i]} for i < n (f padded to a multiple of 32); returns the sum of
/// the counts, n (n - 1) / 2 exactly when no two float keys are equal (then the counts are exact for
/// the double keys they were rounded from).
std::uint64_t count_smaller_float(const float* f, std::size_t n, int* smaller);
/// The same on keys quantised to 16 bits (n <= 256, q padded to a multiple of 32).
std::uint64_t count_smaller_short(const short* q, std::size_t n, int* smaller);
/// Which build the kernels above use ("avx2+fma" or "portable").
const char* weighted_sums_isa();

}  // namespace parkscore::detail
