#pragma once
// How a node derives the weights of its children: from the children's own
// `weight` fields (fixed), equally, from an AHP comparison matrix, or from the
// pool's data (entropy, CRITIC, coefficient of variation, PCA), or as a
// combination of two of these. docs/weighting.md states every formula.

#include <optional>
#include <vector>

namespace parkscore {

enum class weighting_method {
  fixed,      // the children's `weight` fields (weights, points or multipliers), normalised
  equal,      // 1/k for each of the k children
  ahp,        // principal eigenvector (or row geometric mean) of a pairwise comparison matrix
  entropy,    // 熵权法: w ∝ 1 - e_j
  critic,     // w ∝ s_j Σ_k (1 - r_jk)
  variation,  // coefficient of variation: w ∝ s_j / mean_j
  pca,        // OECD handbook (2008) §6.1: factor analysis with varimax rotation
  combined,   // linear or multiplicative combination of two weightings
};

/// What entropy weighting does with zeros and negative values (docs/conventions.md).
enum class entropy_policy {
  shift_min,            // a column with min <= 0 is shifted by |min| + shift; other columns as they are
  require_nonnegative,  // 0 ln 0 = 0; a negative value is a method_error naming the column
  shift_all,            // SPSSAU: if any value <= 0, every column is shifted by |overall min| + shift
  zero_column,          // pymcdm <= 1.3.1: a column holding a 0 gets entropy 0; negatives are an error
};

/// Standard deviation with divisor n - 1 (sample: R's sd, pymcdm's ddof=1) or n (population: numpy's default).
enum class sd_divisor { sample, population };

enum class ahp_method { eigenvector, geometric_mean };

/// Random-index tables for n = 3..10 (n <= 2 has CR = 0).
enum class ri_table {
  saaty,        // 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49
  alternative,  // 0.52, 0.89, 1.12, 1.26, 1.36, 1.41, 1.46, 1.49
};

enum class critic_correlation { signed_r, absolute_r };   // Σ(1 - r) or Σ(1 - |r|)

enum class combination { linear, multiplicative };

struct ahp_options {
  ahp_method method = ahp_method::eigenvector;
  ri_table ri = ri_table::saaty;
  double max_cr = 0.10;              // CR >= max_cr is an error ...
  bool allow_inconsistent = false;   // ... unless allowed (then only recorded)
  double reciprocal_tolerance = 0.01;  // |a_ij a_ji - 1| allowed (0.33 for 1/3 passes)

  friend bool operator==(const ahp_options&, const ahp_options&) = default;
};

struct entropy_options {
  entropy_policy policy = entropy_policy::shift_min;
  double shift = 0.01;   // the δ of shift_min: z - min + δ

  friend bool operator==(const entropy_options&, const entropy_options&) = default;
};

struct variation_options {
  sd_divisor sd = sd_divisor::sample;

  friend bool operator==(const variation_options&, const variation_options&) = default;
};

struct critic_options {
  critic_correlation correlation = critic_correlation::signed_r;

  friend bool operator==(const critic_options&, const critic_options&) = default;
};

/// Factor retention for PCA weights: eigenvalue > min_eigenvalue (Kaiser), then,
/// if set, further factors in order until the cumulative share reaches min_cumulative.
struct pca_options {
  double min_eigenvalue = 1.0;
  std::optional<double> min_cumulative;   // e.g. 0.6
  bool kaiser_normalise = true;           // varimax on row-normalised loadings
  int max_iterations = 1000;
  double tolerance = 1e-12;   // varimax: largest planar rotation angle (radians) to stop

  friend bool operator==(const pca_options&, const pca_options&) = default;
};

/// One node's weighting of its children. Only the members of `method` are read.
struct weighting_spec {
  weighting_method method = weighting_method::fixed;
  std::vector<std::vector<double>> matrix;   // ahp: k x k, rows and columns in children order
  ahp_options ahp;
  entropy_options entropy;
  critic_options critic;
  variation_options variation;
  pca_options pca;
  // combined: parts[0] is the subjective weighting, parts[1] the objective one
  combination combine = combination::linear;
  double alpha = 0.5;   // linear: w = α w_subjective + (1 - α) w_objective
  std::vector<weighting_spec> parts;

  /// True if the weights depend on the data (entropy, CRITIC, variation, PCA, or a combination using one).
  bool uses_data() const;

  friend bool operator==(const weighting_spec&, const weighting_spec&) = default;
};

}  // namespace parkscore
