#pragma once
// Normalisation of one indicator column over a pool, in two steps: fit the
// pool statistics on the reference units, then apply them to any unit (units
// left out of the statistics, such as vetoed zones, are still scored).
// Every output is oriented so that higher is better.

#include <Eigen/Core>
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
  double sd = 0.0;         // sample standard deviation (n - 1)
  double norm = 0.0;       // Euclidean norm (vector method)
  bool zero_range = false; // the defined constant case applied
  std::size_t clipped = 0; // reference values moved to the clip bounds
  std::vector<double> sorted;  // oriented reference values, rank methods only
  // Overflow-safe form (docs/reliability.md). `scale` is 1 unless max - min, the
  // mean, the variance or the norm over- or underflow a double; it is then a
  // power of 2 near the largest |value| and apply() works on x / scale, which is
  // exact, so with scale == 1 the formulas give the same bits as without it.
  double scale = 1.0;
  double sd_scaled = 0.0;    // sd of the values / scale (== sd when scale == 1)
  double norm_scaled = 0.0;  // Euclidean norm of the values / scale (== norm when scale == 1)

  double apply(double x) const;
  Eigen::VectorXd apply(const Eigen::Ref<const Eigen::VectorXd>& x) const;
};

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
