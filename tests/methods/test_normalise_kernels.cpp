// The engine's column kernels against fitted_normaliser::apply(double), bit for bit: every
// method the kernels specialise (none, min-max, efficacy, z-score, vector) and the per-value
// fallback (goalposts, ratios, ranks), both directions, clipping, missing values, a zero range,
// values beyond the pool (units excluded from the fit), and for min-max: ranges whose
// significand is all ones, tiny and huge ranges and values, where a division done another way
// would show (docs/performance.md).

#include <algorithm>
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

#include "parkscore/methods/normalise.hpp"

using namespace parkscore;

namespace {

constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

// The same bits, or both missing: a NaN's sign bit means nothing, and a compiler may write
// -1.0 * v as a negation, which flips it (the instrumented build does for the vector method).
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0 || (std::isnan(a) && std::isnan(b)); }

// Count of positions where a kernel differs from apply(double) in any bit; the first kept.
struct differences {
  int count = 0;
  std::size_t first = 0;
  void note(std::size_t i) {
    if (count++ == 0) first = i;
  }
};

void check_kernels(const fitted_normaliser& f, const std::vector<double>& x) {
  const std::size_t n = x.size();
  std::vector<double> want(n), range(n), rows_out(n), sum(n, 0.25), weighted(n);
  for (std::size_t i = 0; i < n; ++i) want[i] = f.apply(x[i]);
  const bool missing = f.apply_range(x.data(), range.data(), n);
  CHECK(missing == std::any_of(want.begin(), want.end(), [](double v) { return std::isnan(v); }));
  std::vector<std::uint32_t> rows(n);
  for (std::size_t i = 0; i < n; ++i) rows[i] = static_cast<std::uint32_t>(i);
  f.apply_rows(x.data(), rows_out.data(), rows.data(), n);
  f.add_weighted_range(x.data(), sum.data(), 0.3, n);
  for (std::size_t i = 0; i < n; ++i) weighted[i] = 0.25 + 0.3 * want[i];
  differences r, w, s;
  for (std::size_t i = 0; i < n; ++i) {
    if (!same_bits(range[i], want[i])) r.note(i);
    if (!same_bits(rows_out[i], want[i])) w.note(i);
    if (!same_bits(sum[i], weighted[i])) s.note(i);
  }
  CAPTURE(r.first);
  CAPTURE(s.first);
  CHECK(r.count == 0);
  CHECK(w.count == 0);
  CHECK(s.count == 0);
}

}  // namespace

TEST_CASE("column kernels give apply()'s bits for every method, direction, clip and missing value") {
  std::mt19937_64 rng(4242);
  std::lognormal_distribution<double> spread(1.0, 1.2);
  std::bernoulli_distribution missing(0.03);
  for (normalisation_method m :
       {normalisation_method::none, normalisation_method::min_max, normalisation_method::efficacy,
        normalisation_method::z_score, normalisation_method::vector, normalisation_method::goalposts,
        normalisation_method::ratio_to_max, normalisation_method::rank})
    for (direction dir : {direction::higher_is_better, direction::lower_is_better})
      for (int variant = 0; variant < 3; ++variant) {
        CAPTURE(static_cast<int>(m));
        CAPTURE(static_cast<int>(dir));
        CAPTURE(variant);
        normalisation spec;
        spec.method = m;
        spec.lo = 10;
        spec.hi = 90;
        spec.gp_min = 0.5;
        spec.gp_max = 20;
        if (variant == 1) {   // clipped
          spec.clip_lo = 1.0;
          spec.clip_hi = 12.0;
        }
        std::vector<double> fit_values(1000), x(1037);
        for (double& v : fit_values) v = variant == 2 ? 7.5 : spread(rng);   // variant 2: zero range
        for (double& v : x) v = missing(rng) ? NaN : spread(rng) * 1.5;      // some beyond the pool
        const Eigen::Map<const Eigen::VectorXd> reference(fit_values.data(),
                                                          static_cast<Eigen::Index>(fit_values.size()));
        check_kernels(fit_normaliser(reference, spec, dir), x);
      }
}

TEST_CASE("min-max kernels give apply()'s bits on hard divisions: all-ones significands, tiny and huge ranges") {
  std::mt19937_64 rng(99);
  std::uniform_int_distribution<std::uint64_t> bits;
  const auto with_exponent = [&](int e, bool ones) {
    std::uint64_t u = bits(rng) & 0x000FFFFFFFFFFFFFull;
    if (ones) u |= 0x000FFFFFFFFFFF00ull;
    u |= static_cast<std::uint64_t>(1023 + e) << 52;
    double v;
    std::memcpy(&v, &u, sizeof v);
    return v;
  };
  for (int e : {-1000, -540, -60, -1, 0, 1, 30, 500, 1000})
    for (bool ones : {false, true}) {
      CAPTURE(e);
      CAPTURE(ones);
      for (direction dir : {direction::higher_is_better, direction::lower_is_better}) {
        fitted_normaliser f;
        f.spec.method = normalisation_method::min_max;
        f.dir = dir;
        f.min = 1.0;
        f.max = 1.0 + with_exponent(e, ones);   // the range, whose last bits decide the rounding
        if (!(f.max > f.min) || !std::isfinite(f.max)) f.max = std::nextafter(f.min, 2.0);
        f.count = 2;
        std::vector<double> x(4099);
        for (std::size_t i = 0; i < x.size(); ++i)
          x[i] = f.min + (f.max - f.min) * std::ldexp(static_cast<double>(bits(rng) >> 11), -53) *
                             (i % 97 == 0 ? 1e-300 : 1.0);   // some values a hair above the minimum
        x[0] = f.min;
        x[1] = f.max;
        check_kernels(f, x);
      }
    }
}
