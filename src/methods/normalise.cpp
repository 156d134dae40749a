#include "parkscore/methods/normalise.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "parkscore/error.hpp"
#include "parkscore/methods/stats.hpp"
#include "engine/simd_clones.hpp"
#include "methods/refit.hpp"
#include "model/missing_value.hpp"

namespace parkscore {

namespace {

bool is_rank_based(normalisation_method m) {
  return m == normalisation_method::rank || m == normalisation_method::percentile_rank ||
         m == normalisation_method::borda || m == normalisation_method::rank_tier;
}

// Methods benchmarked on a pool statistic: fitted from the values (a median or quantile needs them sorted).
bool uses_pool_statistic(normalisation_method m) {
  return m == normalisation_method::ratio_to_pool || m == normalisation_method::change_from_pool ||
         m == normalisation_method::value_tier;
}

bool is_pool_relative(normalisation_method m) {
  switch (m) {
    case normalisation_method::none:
    case normalisation_method::goalposts:
    case normalisation_method::ratio_to_benchmark:
    case normalisation_method::efficacy_anchored:
      return false;
    default:
      return true;
  }
}

// The value a pool-relative method gives every unit when the pool has no spread.
double zero_range_value(zero_range_rule rule, double low, double high) {
  switch (rule) {
    case zero_range_rule::upper: return high;
    case zero_range_rule::lower: return low;
    case zero_range_rule::nan: return nan;
    case zero_range_rule::midpoint: break;
  }
  return 0.5 * (low + high);
}

double capped(double ratio, const std::optional<double>& cap) {
  return cap ? std::min(ratio, *cap) : ratio;
}

}  // namespace

double clip_value(double x, const normalisation& spec) {
  if (std::isnan(x)) return x;
  if (spec.clip_lo && x < *spec.clip_lo) return *spec.clip_lo;
  if (spec.clip_hi && x > *spec.clip_hi) return *spec.clip_hi;
  return x;
}

std::string domain_problem(double x, const normalisation& spec, direction dir) {
  if (std::isnan(x)) return {};
  x = clip_value(x, spec);
  if (!std::isfinite(x)) return fmt::format("value {} is not finite", x);
  switch (spec.method) {
    case normalisation_method::none:
      // Scored as is, the value meets weights and points (up to 1e100 each) unscaled.
      if (std::abs(x) > 1e200)
        return fmt::format("value {} is beyond ±1e200, the range for values scored as they are (method none)", x);
      break;
    case normalisation_method::goalposts:
      if (spec.log && !(x > 0)) return fmt::format("log of a non-positive value {}", x);
      break;
    case normalisation_method::ratio_to_pool:
      if (x < 0) return fmt::format("ratio scoring of a negative value {}", x);
      if (dir == direction::lower_is_better && x == 0 && !spec.cap)
        return "pool statistic / 0 for a lower-is-better indicator without a cap";
      break;
    case normalisation_method::ratio_to_max:
    case normalisation_method::ratio_to_benchmark:
      if (x < 0) return fmt::format("ratio scoring of a negative value {}", x);
      if (dir == direction::lower_is_better && x == 0 &&
          spec.method == normalisation_method::ratio_to_benchmark && !spec.cap)
        return "benchmark / 0 for a lower-is-better indicator without a cap";
      break;
    default:
      break;
  }
  // Methods that need no pool statistics: the score itself must be a double.
  const bool has_parameters = (spec.method != normalisation_method::goalposts || (spec.gp_min && spec.gp_max)) &&
                              (spec.method != normalisation_method::ratio_to_benchmark || spec.benchmark) &&
                              (spec.method != normalisation_method::efficacy_anchored || (spec.x_s && spec.x_h));
  if (!is_pool_relative(spec.method) && has_parameters) {
    fitted_normaliser f;
    f.spec = spec;
    f.dir = dir;
    const double score = f.apply(x);
    if (!std::isfinite(score)) return fmt::format("value {} gives the score {}, beyond the range of a double", x, score);
  }
  return {};
}

bool needs_sorted_values(normalisation_method m) { return is_rank_based(m) || uses_pool_statistic(m); }

namespace {

// The pool statistics taken on x / S, S a power of 2 near the largest magnitude, when the
// plain ones over- or underflow (docs/methods.md: numeric range).
void fit_scaled(fitted_normaliser& f, const std::vector<double>& v, const normalisation& spec) {
  const double magnitude = std::max({std::abs(f.min), std::abs(f.max), spec.target ? std::abs(*spec.target) : 0.0});
  f.scale = std::ldexp(1.0, std::ilogb(magnitude));   // |x| / scale < 2
  double sum = 0.0;
  for (double x : v) sum += x / f.scale;
  const double mean_scaled = sum / static_cast<double>(v.size());
  double squares = 0.0, deviations = 0.0;
  for (double x : v) {
    squares += (x / f.scale) * (x / f.scale);
    deviations += (x / f.scale - mean_scaled) * (x / f.scale - mean_scaled);
  }
  f.mean = std::clamp(mean_scaled * f.scale, f.min, f.max);   // rounding must not leave [min, max]
  const double divisor = static_cast<double>(spec.sd == sd_divisor::population ? v.size() : v.size() - 1);
  f.sd_scaled = v.size() > 1 ? std::sqrt(deviations / divisor) : 0.0;
  f.norm_scaled = std::sqrt(squares);
  f.sd = f.sd_scaled * f.scale;       // recorded; may be inf when the true sd exceeds a double
  f.norm = f.norm_scaled * f.scale;
}

void set_zero_range(fitted_normaliser& f, direction dir) {
  switch (f.spec.method) {
    case normalisation_method::min_max:
    case normalisation_method::efficacy:
    case normalisation_method::percentile_rank:
      f.zero_range = f.max == f.min;
      break;
    case normalisation_method::z_score:
      f.zero_range = !(f.sd_scaled > 0);
      break;
    case normalisation_method::vector:
      f.zero_range = !(f.norm_scaled > 0);
      break;
    case normalisation_method::ratio_to_max:
      f.zero_range = dir == direction::higher_is_better ? !(f.max > 0) : !(f.min > 0) && f.max == 0;
      break;
    case normalisation_method::ratio_to_pool:
    case normalisation_method::change_from_pool:
      f.zero_range = f.stat == 0;   // the ratio to a statistic of 0 is undefined
      break;
    default:
      break;
  }
}

// The pool statistic a benchmarked method divides by: over the clipped reference values.
double pool_statistic_of(const fitted_normaliser& f, const std::vector<double>& present, const normalisation& spec) {
  const Eigen::Map<const Eigen::VectorXd> v(present.data(), static_cast<Eigen::Index>(present.size()));
  switch (spec.statistic) {
    case pool_statistic::mean: return f.mean;
    case pool_statistic::min: return f.min;
    case pool_statistic::max: return f.max;
    case pool_statistic::median: return nan_quantile(v, 0.5);
    case pool_statistic::quantile: return nan_quantile(v, spec.quantile);
  }
  return nan;
}

// fit_from_stats without the range check: the plain statistics, scaled later if needed.
bool fit_plain(const column_stats& stats, direction dir, fitted_normaliser& f);
bool fit_plain(const column_stats& stats, const normalisation& spec, direction dir, fitted_normaliser& f) {
  f.spec = spec;
  return fit_plain(stats, dir, f);
}

}  // namespace

std::optional<fitted_normaliser> fit_from_stats(const column_stats& stats, const normalisation& spec, direction dir) {
  fitted_normaliser f;
  if (!fit_from_stats(stats, spec, dir, f)) return std::nullopt;
  return f;
}

bool fit_from_stats(const column_stats& stats, const normalisation& spec, direction dir, fitted_normaliser& into) {
  into.spec = spec;
  return detail::refit_from_stats(stats, dir, into);
}

bool detail::refit_from_stats(const column_stats& stats, direction dir, fitted_normaliser& into) {
  if (!fit_plain(stats, dir, into)) return false;
  set_zero_range(into, dir);
  return true;
}

namespace {

// Every member of `f` but the spec, already in place, is set, so that a normaliser fitted
// before (a reused result's) keeps only its memory: a member added to fitted_normaliser must
// be reset here too.
bool fit_plain(const column_stats& stats, direction dir, fitted_normaliser& f) {
  const normalisation& spec = f.spec;
  f.dir = dir;
  f.count = stats.count;
  f.clipped = stats.clipped;
  f.min = f.max = f.mean = f.sd = f.norm = 0.0;
  f.zero_range = false;
  f.sorted.clear();
  f.distinct_before.clear();
  f.stat = nan;
  f.scale = 1.0;
  f.sd_scaled = f.norm_scaled = 0.0;
  if (stats.count == 0) {
    if (is_pool_relative(spec.method))
      throw method_error(fmt::format("'{}' normalisation needs at least one value in the pool",
                                     to_string(spec.method)));
    return true;
  }
  f.min = stats.min;
  f.max = stats.max;
  f.mean = stats.sum / static_cast<double>(stats.count);
  const double divisor = static_cast<double>(spec.sd == sd_divisor::population ? stats.count : stats.count - 1);
  f.sd = stats.count < 2 ? 0.0 : std::sqrt(stats.centred_squares / divisor);
  f.norm = std::sqrt(stats.sum_squares);
  f.sd_scaled = f.sd;
  f.norm_scaled = f.norm;
  // Values near ±1.8e308 overflow max - min, the sum, the squares; values near 1e-160
  // underflow the squares. Then the statistics must be taken on x / scale, from the values.
  const double magnitude = std::max({std::abs(f.min), std::abs(f.max), spec.target ? std::abs(*spec.target) : 0.0});
  // z_score multiplies target_sd by x - mean before dividing by sd: that product must be a double too.
  const bool overflow =
      !std::isfinite(f.max - f.min) || !std::isfinite(f.mean) || !std::isfinite(stats.sum_squares) ||
      (!std::isnan(stats.centred_squares) && !std::isfinite(f.sd)) ||
      (spec.method == normalisation_method::z_score && !std::isfinite(spec.target_sd * (f.max - f.min))) ||
      (spec.target && (!std::isfinite(*spec.target - f.min) || !std::isfinite(f.max - *spec.target)));
  const bool underflow = magnitude > 0 && (stats.sum_squares < std::numeric_limits<double>::min() ||
                                           (f.sd == 0 && f.max != f.min));
  return !overflow && !underflow;
}

}  // namespace

fitted_normaliser fit_normaliser(const Eigen::Ref<const Eigen::VectorXd>& reference,
                                 const normalisation& spec, direction dir) {
  column_stats stats;
  std::vector<double> present;
  present.reserve(static_cast<std::size_t>(reference.size()));
  for (Eigen::Index i = 0; i < reference.size(); ++i) {
    const double v = clip_value(reference[i], spec);
    stats.add(reference[i], v);
    if (!std::isnan(v)) present.push_back(v);
  }
  // Second pass about the mean: the sample variance without cancellation.
  if (stats.count > 0) {
    const double mean = stats.sum / static_cast<double>(stats.count);
    stats.centred_squares = 0.0;
    for (double v : present) stats.centred_squares += (v - mean) * (v - mean);
  }
  fitted_normaliser f;
  if (!fit_plain(stats, spec, dir, f)) {   // the statistics over- or underflow: take them on x / scale
    f.min = stats.min;
    f.max = stats.max;
    fit_scaled(f, present, spec);
  }
  if (uses_pool_statistic(spec.method) && !present.empty()) f.stat = pool_statistic_of(f, present, spec);
  set_zero_range(f, dir);
  if (is_rank_based(spec.method) && !present.empty()) {
    f.sorted = std::move(present);
    if (dir == direction::lower_is_better)
      for (double& x : f.sorted) x = -x;
    std::sort(f.sorted.begin(), f.sorted.end());
    if (spec.ties == rank_ties::dense) {
      f.distinct_before.resize(f.sorted.size());
      std::uint32_t distinct = 0;
      for (std::size_t i = 0; i < f.sorted.size(); ++i) {
        if (i > 0 && f.sorted[i] != f.sorted[i - 1]) ++distinct;
        f.distinct_before[i] = distinct;   // distinct values strictly below sorted[i]
      }
    }
  }
  return f;
}

double fitted_normaliser::apply(double x) const {
  if (std::isnan(x)) return nan;
  x = clip_value(x, spec);
  const bool higher = dir == direction::higher_is_better;
  const double sign = higher ? 1.0 : -1.0;
  const normalisation& s = spec;
  // Divisions by `scale` (a power of 2, 1 unless a statistic overflowed) are exact.
  const double S = scale;
  switch (s.method) {
    case normalisation_method::none:
      return sign * x;
    case normalisation_method::min_max: {
      if (zero_range) return zero_range_value(s.zero_range, s.lo, s.hi);
      const double t = higher ? (x / S - min / S) / (max / S - min / S) : (max / S - x / S) / (max / S - min / S);
      return s.lo + (s.hi - s.lo) * t;
    }
    case normalisation_method::z_score:
      if (zero_range) return s.target_mean;
      return s.target_mean + s.target_sd * sign * (x / S - mean / S) / sd_scaled;
    case normalisation_method::rank_tier: {
      // Competition rank among the reference values (ties share the better rank).
      const auto better = static_cast<double>(sorted.end() - std::upper_bound(sorted.begin(), sorted.end(), sign * x));
      const double share = (better + 1.0) / static_cast<double>(count);
      for (const rank_tier& t : s.tiers)
        if (share <= t.top + 1e-12) return t.score;
      return s.tiers.back().score;
    }
    case normalisation_method::rank:
    case normalisation_method::percentile_rank:
    case normalisation_method::borda: {
      const double o = sign * x;
      const auto first = std::lower_bound(sorted.begin(), sorted.end(), o);
      const auto last = std::upper_bound(first, sorted.end(), o);
      const auto less = static_cast<double>(first - sorted.begin());
      // A unit outside the reference set ranks as if inserted among them.
      const auto equal = std::max<double>(1.0, static_cast<double>(last - first));
      if (s.method == normalisation_method::borda) return less;
      const bool percentile = s.method == normalisation_method::percentile_rank;
      double r = 0.0;
      switch (s.ties.value_or(percentile ? rank_ties::min : rank_ties::average)) {
        case rank_ties::average: r = less + (equal + 1.0) / 2.0; break;
        case rank_ties::min: r = less + 1.0; break;
        case rank_ties::max: r = less + equal; break;
        case rank_ties::dense:
          r = 1.0 + (first == sorted.end() ? (sorted.empty() ? 0.0 : distinct_before.back() + 1.0)
                                           : static_cast<double>(distinct_before[static_cast<std::size_t>(first - sorted.begin())]));
          break;
      }
      if (!percentile) return r;
      const auto n = static_cast<double>(count);
      switch (s.percentile) {
        case percentile_formula::r_over_n: return 100.0 * r / n;
        case percentile_formula::hazen: return 100.0 * (r - 0.5) / n;
        case percentile_formula::percent_rank: break;
      }
      if (zero_range || count < 2) return zero_range_value(s.zero_range, 0.0, 100.0);
      return 100.0 * (r - 1.0) / (n - 1.0);
    }
    case normalisation_method::ratio_to_pool: {
      if (zero_range) return zero_range_value(s.zero_range, 0.0, s.hi);
      const double r = higher ? x / stat : (x == 0 ? *s.cap : stat / x);
      return s.hi * capped(r, s.cap);
    }
    case normalisation_method::change_from_pool: {
      if (zero_range) return zero_range_value(s.zero_range, 0.0, s.hi);
      return s.hi * (higher ? x - stat : stat - x) / std::abs(stat);
    }
    case normalisation_method::value_tier: {
      // A value on a bound takes the better band: the upper one if higher is better.
      std::size_t band = 0;
      for (double t : s.thresholds) {
        const double bound = s.relative ? t * stat : t;
        if (higher ? x >= bound : x > bound) ++band;
      }
      return s.band_scores[band];
    }
    case normalisation_method::goalposts: {
      double v = x, a = *s.gp_min, b = *s.gp_max;
      if (s.log) {
        v = std::log(x);
        a = std::log(a);
        b = std::log(b);
      }
      double t = higher ? (v - a) / (b - a) : (b - v) / (b - a);
      if (s.clamp) t = std::clamp(t, 0.0, 1.0);
      return s.lo + (s.hi - s.lo) * t;
    }
    case normalisation_method::distance_to_target: {
      const double target = *s.target;
      const double span = higher ? target / S - min / S : max / S - target / S;
      double t = span > 0 ? (higher ? (x / S - min / S) : (max / S - x / S)) / span : 1.0;
      if (s.clamp) t = std::clamp(t, 0.0, 1.0);
      return s.hi * t;
    }
    case normalisation_method::ratio_to_max: {
      if (zero_range) return zero_range_value(s.zero_range, 0.0, s.hi);
      const double r = higher ? x / max : (x == 0 ? 1.0 : min / x);
      return s.hi * capped(r, s.cap);
    }
    case normalisation_method::ratio_to_benchmark: {
      const double b = *s.benchmark;
      const double r = higher ? x / b : (x == 0 ? *s.cap : b / x);
      return s.hi * capped(r, s.cap);
    }
    case normalisation_method::efficacy: {
      if (zero_range) return zero_range_value(s.zero_range, s.d0, s.d0 + s.c);
      const double t = higher ? (x / S - min / S) / (max / S - min / S) : (max / S - x / S) / (max / S - min / S);
      return s.d0 + s.c * t;
    }
    case normalisation_method::efficacy_anchored: {
      const double score = s.d0 + s.c * (x - *s.x_s) / (*s.x_h - *s.x_s);
      return s.clamp ? std::clamp(score, 0.0, s.d0 + s.c) : score;
    }
    case normalisation_method::vector:
      if (zero_range) return 0.0;
      return sign * (x / S) / norm_scaled;
  }
  return nan;
}

Eigen::VectorXd fitted_normaliser::apply(const Eigen::Ref<const Eigen::VectorXd>& x) const {
  Eigen::VectorXd out(x.size());
  for (Eigen::Index i = 0; i < x.size(); ++i) out[i] = apply(x[i]);
  return out;
}

namespace {

// store(i, body(clipped x[i])) for the rows i = at(0..n), NaN staying NaN. Clipping is written
// as clip_value does it, so each kernel gives the same bits as fitted_normaliser::apply(double).
// `store` writes the value (out[i - offset] = v), or adds it weighted to a sum.
template <class Rows, class Body, class Store>
[[gnu::always_inline]] inline void for_rows(const double* x, Rows at, std::size_t n, const normalisation& s, Body body,
                                            Store store) {
  // Without a branch, so that the loop vectorises: a missing value stays NaN through the
  // clip (comparisons with NaN are false) and through every body (arithmetic on NaN).
  if (!s.clip_lo && !s.clip_hi) {   // the usual case: no clip to take (a clip to ±inf is the identity)
    for (std::size_t r = 0; r < n; ++r) store(at(r), body(x[at(r)]));
    return;
  }
  const double lo = s.clip_lo.value_or(-std::numeric_limits<double>::infinity());
  const double hi = s.clip_hi.value_or(std::numeric_limits<double>::infinity());
  for (std::size_t r = 0; r < n; ++r) {
    const std::size_t i = at(r);
    double v = x[i];
    v = v < lo ? lo : (v > hi ? hi : v);
    store(i, body(v));
  }
}

template <class Rows, class Store>
[[gnu::always_inline]] inline void apply_loop(const fitted_normaliser& f, const double* x, Rows at, std::size_t n,
                                              Store store) {
  const normalisation& s = f.spec;
  const bool higher = f.dir == direction::higher_is_better;
  // Locals, so that the loops need not reload them after each store.
  const double min = f.min, max = f.max, lo = s.lo, hi = s.hi, d0 = s.d0, c = s.c;
  if (f.scale != 1.0) {   // the overflow-safe form: per value, as apply(double) has it
    for (std::size_t r = 0; r < n; ++r) store(at(r), f.apply(x[at(r)]));
    return;
  }
  if (f.zero_range && (s.method == normalisation_method::min_max || s.method == normalisation_method::z_score ||
                       s.method == normalisation_method::efficacy || s.method == normalisation_method::vector)) {
    const double constant = f.apply(f.min);  // the defined constant of the method
    for_rows(x, at, n, s, [&](double v) { return std::isnan(v) ? v : constant; }, store);
    return;
  }
  switch (s.method) {
    case normalisation_method::none:
      if (higher)
        for_rows(x, at, n, s, [](double v) { return v; }, store);
      else
        for_rows(x, at, n, s, [](double v) { return std::isnan(v) ? v : -v; }, store);   // NaN keeps its sign
      return;
    case normalisation_method::min_max:
      if (higher)
        for_rows(x, at, n, s, [&](double v) { return lo + (hi - lo) * ((v - min) / (max - min)); }, store);
      else
        for_rows(x, at, n, s, [&](double v) { return lo + (hi - lo) * ((max - v) / (max - min)); }, store);
      return;
    case normalisation_method::efficacy:
      if (higher)
        for_rows(x, at, n, s, [&](double v) { return d0 + c * ((v - min) / (max - min)); }, store);
      else
        for_rows(x, at, n, s, [&](double v) { return d0 + c * ((max - v) / (max - min)); }, store);
      return;
    case normalisation_method::z_score: {
      const double sign = higher ? 1.0 : -1.0, mean = f.mean, sd = f.sd_scaled, target_mean = s.target_mean,
                   target_sd = s.target_sd;
      for_rows(x, at, n, s, [&](double v) { return target_mean + target_sd * sign * (v - mean) / sd; }, store);
      return;
    }
    case normalisation_method::vector: {
      const double sign = higher ? 1.0 : -1.0, norm = f.norm_scaled;
      for_rows(x, at, n, s, [&](double v) { return sign * v / norm; }, store);
      return;
    }
    default:
      for (std::size_t r = 0; r < n; ++r) store(at(r), f.apply(x[at(r)]));
  }
}

}  // namespace

PARKSCORE_SIMD_CLONES bool fitted_normaliser::apply_range(const double* x, double* out, std::size_t n) const {
  // OR-ed without a branch, in 64-bit lanes like the values', so that the loops still vectorise
  // (a comparison's mask OR-ed into a register).
  std::uint64_t missing = 0;
  apply_loop(*this, x, [](std::size_t r) { return r; }, n, [out, &missing](std::size_t i, double v) {
    out[i] = v;
    missing |= v != v ? ~std::uint64_t{0} : 0;
  });
  return missing != 0;
}

PARKSCORE_SIMD_CLONES void fitted_normaliser::add_weighted_range(const double* x, double* sum, double weight,
                                                                 std::size_t n) const {
  apply_loop(*this, x, [](std::size_t r) { return r; }, n,
             [sum, weight](std::size_t i, double v) { sum[i] += weight * v; });
}

void fitted_normaliser::apply_rows(const double* x, double* out, const std::uint32_t* rows, std::size_t n,
                                   std::size_t out_offset) const {
  apply_loop(*this, x, [rows](std::size_t r) { return static_cast<std::size_t>(rows[r]); }, n,
             [out, out_offset](std::size_t i, double v) { out[i - out_offset] = v; });
}

Eigen::VectorXd normalise(const Eigen::Ref<const Eigen::VectorXd>& x, const normalisation& spec,
                          direction dir) {
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const std::string problem = domain_problem(x[i], spec, dir);
    if (!problem.empty()) throw data_error(fmt::format("position {}: {}", i, problem));
  }
  return fit_normaliser(x, spec, dir).apply(x);
}

bool can_emit_nonpositive(const normalisation& spec, direction /*dir*/) {
  switch (spec.method) {
    case normalisation_method::rank:
      return false;
    case normalisation_method::min_max:
      return spec.lo <= 0;
    case normalisation_method::goalposts:
      return !spec.clamp || spec.lo <= 0;
    case normalisation_method::efficacy:
      return spec.d0 <= 0;
    case normalisation_method::rank_tier:
      return std::any_of(spec.tiers.begin(), spec.tiers.end(), [](const rank_tier& t) { return t.score <= 0; });
    default:
      return true;
  }
}

}  // namespace parkscore
