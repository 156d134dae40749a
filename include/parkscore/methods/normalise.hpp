#pragma once
// Normalisation of one indicator column over a pool, in two steps: fit the
// pool statistics on the reference units, then apply them to any unit (units
// left out of the statistics, such as vetoed zones, are still scored).
// Every output is oriented so that higher is better.

#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <limits>
#include <string>
#include <vector>

#include "parkscore/model/framework.hpp"

namespace parkscore {

/// The statistics a normaliser was fitted with; recorded in the result.
struct fitted_normaliser {
  normalisation spec;
  direction dir = direction::higher_is_better;
  std::size_t count = 0;   // non-missing reference values
  double min = 0.0;        // of the raw values
  double max = 0.0;
  double mean = 0.0;
  double sd = 0.0;         // sample standard deviation (n - 1); the engine fits it for z_score only (else NaN)
  double norm = 0.0;       // Euclidean norm (vector method)
  bool zero_range = false; // the defined constant case applied
  std::size_t clipped = 0; // reference values moved to the clip bounds
  std::vector<double> sorted;  // oriented reference values, rank methods only
  std::vector<std::uint32_t> distinct_before;  // dense ranks: distinct values among sorted[0, i)
  double stat = std::numeric_limits<double>::quiet_NaN();  // the pool statistic (ratio_to_pool, ...)
  // Overflow-safe form (docs/reliability.md). `scale` is 1 unless max - min, the
  // mean, the variance or the norm over- or underflow a double; it is then a
  // power of 2 near the largest |value| and apply() works on x / scale, which is
  // exact, so with scale == 1 the formulas give the same bits as without it.
  double scale = 1.0;
  double sd_scaled = 0.0;    // sd of the values / scale (== sd when scale == 1)
  double norm_scaled = 0.0;  // Euclidean norm of the values / scale (== norm when scale == 1)

  double apply(double x) const;
  Eigen::VectorXd apply(const Eigen::Ref<const Eigen::VectorXd>& x) const;
  /// Column kernels with the same bits as apply(double): out[i] = apply(x[i]) for i < n;
  /// or out[i - out_offset] = apply(x[i]) for i = rows[0..n) (a block of a longer column).
  /// Returns whether some out[i] is NaN (a missing value), found as the values are written.
  bool apply_range(const double* x, double* out, std::size_t n) const;
  /// sum[i] += weight * apply(x[i]) for i < n: the same bits as apply_range into a column
  /// and then adding it, weighted, to the sum (the engine's fused normalise-and-aggregate).
  void add_weighted_range(const double* x, double* sum, double weight, std::size_t n) const;
  void apply_rows(const double* x, double* out, const std::uint32_t* rows, std::size_t n,
                  std::size_t out_offset = 0) const;
};

/// One pass over a pool's (clipped) values: what every normaliser that needs no
/// sorted values is fitted from. `centred_squares`, the sum of squared deviations
/// from the mean, takes a second pass and is needed by z_score only.
struct column_stats {
  std::size_t count = 0;     // present values
  std::size_t clipped = 0;   // values moved to the clip bounds
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  double sum = 0.0;
  double sum_squares = 0.0;
  double centred_squares = std::numeric_limits<double>::quiet_NaN();

  /// Adds one value: `raw` as read, `value` after clipping (NaN is skipped).
  void add(double raw, double value) {
    if (value != value) return;   // NaN
    clipped += value != raw ? 1 : 0;
    ++count;
    min = value < min ? value : min;
    max = value > max ? value : max;
    sum += value;
    sum_squares += value * value;
  }
};

/// Rank-based methods need the sorted reference values: fit them with fit_normaliser.
bool needs_sorted_values(normalisation_method m);

/// The normaliser of a method that needs no sorted values, from its pool's statistics
/// (the constants fit_normaliser gives; sd is NaN unless centred_squares is set). Empty when
/// the statistics over- or underflow: then fit from the values with fit_normaliser, which
/// takes them on x / scale. Throws method_error if the pool has no value for a pool-relative method.
std::optional<fitted_normaliser> fit_from_stats(const column_stats& stats, const normalisation& spec, direction dir);
/// The same into `into`, whose memory is reused (every member is set); false where the
/// optional above is empty (`into` is then partly written).
bool fit_from_stats(const column_stats& stats, const normalisation& spec, direction dir, fitted_normaliser& into);

/// Fits the normaliser on the reference values (NaN ignored). Throws
/// method_error if there are no reference values for a pool-relative method.
fitted_normaliser fit_normaliser(const Eigen::Ref<const Eigen::VectorXd>& reference,
                                 const normalisation& spec, direction dir);

/// Why `x` is outside the method's domain (e.g. "log of a non-positive
/// value"), or an empty string if it is fine. Callers add unit and indicator.
std::string domain_problem(double x, const normalisation& spec, direction dir);

/// `x` moved into the spec's clip bounds (unchanged if it has none; NaN stays NaN).
double clip_value(double x, const normalisation& spec);

/// Convenience: fit on `x` and apply to `x`.
Eigen::VectorXd normalise(const Eigen::Ref<const Eigen::VectorXd>& x, const normalisation& spec,
                          direction dir);

/// True if the method can return a value <= 0 for some input (rules out
/// geometric and harmonic means above it).
bool can_emit_nonpositive(const normalisation& spec, direction dir);

}  // namespace parkscore
