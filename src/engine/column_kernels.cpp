#include "engine/column_kernels.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "engine/simd_clones.hpp"

namespace parkscore::detail {

PARKSCORE_SIMD_CLONES void count_present(const double* x, int* cov, std::size_t n) {
  for (std::size_t r = 0; r < n; ++r) cov[r] = x[r] == x[r];
}

PARKSCORE_SIMD_CLONES void fill_coverage(int* cov, int value, std::size_t n) {
  for (std::size_t r = 0; r < n; ++r) cov[r] = value;
}

PARKSCORE_SIMD_CLONES void add_coverage(const double* s, const double* child, const int* child_cov, int* cov,
                                        std::size_t n) {
  for (std::size_t r = 0; r < n; ++r) cov[r] += (s[r] == s[r]) & (child[r] == child[r]) ? child_cov[r] : 0;
}

namespace {

// Four doubles as one value: a ymm register in the AVX2 version, two xmm in the baseline,
// the same arithmetic lane by lane in both.
typedef double lanes __attribute__((vector_size(32)));

// By reference: a vector passed by value would change the calling convention between versions.
double lowest(const lanes& v) { return std::min(std::min(v[0], v[1]), std::min(v[2], v[3])); }
double highest(const lanes& v) { return std::max(std::max(v[0], v[1]), std::max(v[2], v[3])); }
double total(const lanes& v) { return (v[0] + v[1]) + (v[2] + v[3]); }

}  // namespace

// A branch-free test per block of four lanes (a loop that stops at the first NaN does not
// vectorise; one that ORs comparisons into an int converts each mask), stopping after the
// first block of 1 024 values that has one.
PARKSCORE_SIMD_CLONES bool any_nan(const double* x, std::size_t n) {
  typedef long long masks __attribute__((vector_size(32)));
  constexpr std::size_t block = 1024;
  const std::size_t body = n - n % 4;
  for (std::size_t begin = 0; begin < body; begin += block) {
    const std::size_t end = std::min(body, begin + block);
    masks found = {};
    for (std::size_t i = begin; i < end; i += 4) {
      lanes v;
      std::memcpy(&v, x + i, sizeof v);
      found |= v != v;
    }
    if ((found[0] | found[1] | found[2] | found[3]) != 0) return true;
  }
  for (std::size_t i = body; i < n; ++i)
    if (x[i] != x[i]) return true;
  return false;
}

PARKSCORE_SIMD_CLONES column_summary summarise_column(const double* x, std::size_t n) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  // Eight partial results (element i into partial i mod 8, two registers so that the adds of
  // one do not wait for the other's), then combined in a fixed order.
  lanes lo[2] = {{inf, inf, inf, inf}, {inf, inf, inf, inf}};
  lanes hi[2] = {-lo[0], -lo[0]};
  lanes sum[2] = {}, squares[2] = {};
  const std::size_t body = n - n % 8;
  for (std::size_t i = 0; i < body; i += 8)
    for (std::size_t k = 0; k < 2; ++k) {
      lanes v;
      std::memcpy(&v, x + i + 4 * k, sizeof v);
      lo[k] = v < lo[k] ? v : lo[k];   // NaN compares false: skipped
      hi[k] = v > hi[k] ? v : hi[k];
      sum[k] += v;
      squares[k] += v * v;
    }
  double low = std::min(lowest(lo[0]), lowest(lo[1])), high = std::max(highest(hi[0]), highest(hi[1]));
  double s = total(sum[0]) + total(sum[1]), ss = total(squares[0]) + total(squares[1]);
  for (std::size_t i = body; i < n; ++i) {
    const double v = x[i];
    low = v < low ? v : low;
    high = v > high ? v : high;
    s += v;
    ss += v * v;
  }
  return {low, high, s, ss};
}

PARKSCORE_SIMD_CLONES value_range range_of(const double* x, std::size_t n) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  // Four registers of partial extremes, so that each compare need not wait for the one
  // before (a single chain is bound by the compare's latency); extremes do not depend on
  // the order they are taken in. NaN compares false: skipped, and not counted as present.
  lanes lo[4], hi[4], missing[4] = {};
  for (std::size_t k = 0; k < 4; ++k) {
    lo[k] = lanes{inf, inf, inf, inf};
    hi[k] = -lo[k];
  }
  const std::size_t body = n - n % 16;
  for (std::size_t i = 0; i < body; i += 16)
    for (std::size_t k = 0; k < 4; ++k) {
      lanes v;
      std::memcpy(&v, x + i + 4 * k, sizeof v);
      lo[k] = v < lo[k] ? v : lo[k];
      hi[k] = v > hi[k] ? v : hi[k];
      missing[k] += v != v ? lanes{1, 1, 1, 1} : lanes{};
    }
  double low = std::min(std::min(lowest(lo[0]), lowest(lo[1])), std::min(lowest(lo[2]), lowest(lo[3])));
  double high = std::max(std::max(highest(hi[0]), highest(hi[1])), std::max(highest(hi[2]), highest(hi[3])));
  std::size_t absent = static_cast<std::size_t>(total(missing[0]) + total(missing[1]) + total(missing[2]) +
                                                total(missing[3]));   // exact: whole numbers below 2^53
  for (std::size_t i = body; i < n; ++i) {
    const double v = x[i];
    low = v < low ? v : low;
    high = v > high ? v : high;
    absent += v != v ? 1 : 0;
  }
  return {low, high, n - absent};
}

PARKSCORE_SIMD_CLONES void quantise(const double* x, std::size_t n, bool descending, double lo, double scale,
                                    double q_max, std::uint64_t* items) {
  const double sign = descending ? -1.0 : 1.0;   // -v exactly, as the key's negation
  if (q_max < 2147483648.0) {   // below 2^31: one conversion to a signed integer
    for (std::size_t r = 0; r < n; ++r) {
      const double q = std::min((sign * x[r] - lo) * scale, q_max);
      items[r] = std::uint64_t{static_cast<std::uint32_t>(static_cast<std::int32_t>(q))} << 32 | r;
    }
    return;
  }
  for (std::size_t r = 0; r < n; ++r) {
    const double q = std::min((sign * x[r] - lo) * scale, q_max);   // in [0, 2^32)
    // floor(q) through conversions that vectorise without AVX-512 (to 32-bit signed integers):
    // half = floor(q / 2) < 2^31, and q - 2 * half, exact, in [0, 2) gives the last bit.
    const auto half = static_cast<std::int32_t>(q * 0.5);
    const double rest = q - 2.0 * static_cast<double>(half);
    const std::uint32_t q_floor =
        2u * static_cast<std::uint32_t>(half) + static_cast<std::uint32_t>(static_cast<std::int32_t>(rest));
    items[r] = std::uint64_t{q_floor} << 32 | r;
  }
}

PARKSCORE_SIMD_CLONES void quantise_small(const double* x, std::size_t n, bool descending, double lo, double scale,
                                          std::uint32_t* keys) {
  const double sign = descending ? -1.0 : 1.0;
  constexpr double q_max = small_q_max;
  for (std::size_t r = 0; r < n; ++r) {
    const double q = std::min((sign * x[r] - lo) * scale, q_max);
    keys[r] = static_cast<std::uint32_t>(static_cast<std::int32_t>(q)) << small_place_bits | static_cast<std::uint32_t>(r);
  }
}

PARKSCORE_SIMD_CLONES void add_scaled(double* s, const double* v, double w, std::size_t n) {
  for (std::size_t r = 0; r < n; ++r) s[r] += w * v[r];
}

PARKSCORE_SIMD_CLONES bool divide_all_finite(double* s, std::size_t n, double total) {
  int finite = 1;
  for (std::size_t r = 0; r < n; ++r) {
    finite &= std::isfinite(s[r]) ? 1 : 0;
    s[r] /= total;
  }
  return finite != 0;
}

}  // namespace parkscore::detail
