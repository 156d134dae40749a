#pragma once
// The loops every evaluation runs over whole columns (src-local): missing values, a pool's
// statistics, weighted sums. Each is compiled for AVX2 and the baseline (simd_clones.hpp) with
// the same bits on both.

#include <cstddef>
#include <cstdint>

namespace parkscore::detail {

/// Whether x[0..n) holds a NaN.
bool any_nan(const double* x, std::size_t n);

/// Minimum, maximum, sum and sum of squares of x[0..n) in one pass. The sums run in eight
/// interleaved partial sums (element i < n - n mod 8 into sum i mod 8), combined in a fixed
/// order, then the last n mod 8 elements: the same bits whatever the vector width. The sums are
/// NaN when a value is missing; min and max skip it.
struct column_summary {
  double min, max, sum, sum_squares;
};
column_summary summarise_column(const double* x, std::size_t n);

/// Minimum and maximum of the present values of x[0..n), and how many are present.
struct value_range {
  double min, max;
  std::size_t present;
};
value_range range_of(const double* x, std::size_t n);

/// Rank keys on a fixed-point scale for the ranking's sort: for each r < n (x[r] not NaN),
/// q = min((key - lo) * scale, q_max) truncated, with key = -x[r] if descending else x[r];
/// written as items[r] = q << 32 | r, which sort by (q, r). q_max < 2^32.
void quantise(const double* x, std::size_t n, bool descending, double lo, double scale, double q_max,
              std::uint64_t* items);

/// quantise for a pool of at most 2^small_place_bits complete rows with q_max = small_q_max:
/// keys[r] = q << small_place_bits | r, 32 bits, which sort by (q, r).
constexpr int small_place_bits = 9;
constexpr double small_q_max = 4194303.0;   // 2^22 - 1
void quantise_small(const double* x, std::size_t n, bool descending, double lo, double scale, std::uint32_t* keys);

/// cov[r] = value for r < n: a column of coverage where every score is present (8 a store).
void fill_coverage(int* cov, int value, std::size_t n);

/// Coverage (present indicators under a node): cov[r] = x[r] present ? 1 : 0 for r < n.
void count_present(const double* x, int* cov, std::size_t n);

/// cov[r] += child_cov[r] where both s[r] and child[r] are present, for r < n.
void add_coverage(const double* s, const double* child, const int* child_cov, int* cov, std::size_t n);

/// s[r] += w * v[r] for r < n.
void add_scaled(double* s, const double* v, double w, std::size_t n);

/// s[r] /= total for r < n; whether every s[r] was finite before (no missing term, no overflow).
bool divide_all_finite(double* s, std::size_t n, double total);

}  // namespace parkscore::detail
