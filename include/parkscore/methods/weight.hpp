#pragma once
// Weights of a node's children and the record of how they were derived.
// Simple and subjective methods (fixed, points, equal, multiplier) and the
// combination of two weightings live here; AHP in ahp.hpp, the data-driven
// methods in weight_data.hpp. Every function returns weights that sum to 1.

#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

#include "parkscore/model/weighting_spec.hpp"

namespace parkscore {

struct ahp_diagnostics {
  ahp_method method = ahp_method::eigenvector;
  ri_table table = ri_table::saaty;
  double lambda_max = 0.0;
  double ci = 0.0;          // (λmax - n) / (n - 1); 0 for n <= 2
  double ri = 0.0;          // random index used; 0 for n <= 2
  double cr = 0.0;          // CI / RI; 0 for n <= 2
  bool consistent = true;   // cr < max_cr
  /// The comparisons (i, j), i < j, ordered by |ln(a_ij w_j / w_i)|, largest first.
  std::vector<std::pair<int, int>> least_consistent;
};

struct entropy_diagnostics {
  entropy_policy policy = entropy_policy::shift_min;
  Eigen::VectorXd shift;        // per column: what was added (0 if nothing)
  Eigen::VectorXd entropy;      // e_j in [0, 1]
  Eigen::VectorXd divergence;   // g_j = 1 - e_j
};

struct critic_diagnostics {
  critic_correlation correlation = critic_correlation::signed_r;
  Eigen::VectorXd sd;           // sample standard deviation s_j
  Eigen::MatrixXd r;            // Pearson correlations (0 with a constant column)
  Eigen::VectorXd conflict;     // Σ_k (1 - r_jk) or Σ_k (1 - |r_jk|)
  Eigen::VectorXd information;  // C_j = s_j · conflict_j
};

struct variation_diagnostics {
  Eigen::VectorXd mean;
  Eigen::VectorXd sd;
  Eigen::VectorXd cv;           // s_j / mean_j
};

struct pca_diagnostics {
  Eigen::VectorXd eigenvalues;        // of the correlation matrix, descending
  Eigen::VectorXd explained;          // eigenvalue / k (share of total variance), descending
  int retained = 0;                   // number of factors kept
  Eigen::MatrixXd loadings;           // k x retained, unrotated (eigenvector · sqrt(eigenvalue))
  Eigen::MatrixXd rotated;            // k x retained, after varimax (= loadings if retained == 1)
  Eigen::VectorXd factor_variance;    // Σ_j rotated_jf² per factor
  Eigen::MatrixXd squared_scaled;     // rotated_jf² / Σ_j rotated_jf² (each column sums to 1)
  std::vector<int> factor_of;         // per indicator: the factor it is assigned to
  int varimax_iterations = 0;
};

/// The weights of one node's children and how they were obtained.
struct weight_result {
  Eigen::VectorXd weights;            // sum to 1, children order
  weighting_method method = weighting_method::fixed;
  std::string pool;                   // "all", "grouping=label"; empty when computed outside an evaluation
  std::size_t rows_used = 0;          // data rows (complete cases) the weights rest on; 0 if no data
  std::size_t rows_incomplete = 0;    // rows left out because a child was missing
  std::vector<int> constant_columns;  // columns with a single value: weight 0 (entropy, CRITIC, variation)
  std::optional<ahp_diagnostics> ahp;
  std::optional<entropy_diagnostics> entropy;
  std::optional<critic_diagnostics> critic;
  std::optional<variation_diagnostics> variation;
  std::optional<pca_diagnostics> pca;
  std::vector<weight_result> parts;   // combined: the two weightings combined
  std::string note;                   // one line for the evaluation record
};

/// Weights proportional to `values` (weights, points or multipliers), all >= 0 with a positive sum.
weight_result fixed_weights(const Eigen::Ref<const Eigen::VectorXd>& values);
/// 1/k each.
weight_result equal_weights(Eigen::Index k);
/// The 赋权 pattern: absolute weights share · m_j / Σ m of a category worth `share` of the index.
/// (Within siblings this is fixed_weights(multipliers).)
Eigen::VectorXd multiplier_weights(double share, const Eigen::Ref<const Eigen::VectorXd>& multipliers);

/// Linear α w_s + (1 - α) w_o (α in [0, 1]) or multiplicative w_s w_o / Σ w_s w_o.
weight_result combine_weights(const weight_result& subjective, const weight_result& objective,
                              combination how, double alpha = 0.5);

/// What a node's weighting yields. `data` is N x k (children scores of the pool's
/// reference units, NaN = missing), `declared` the children's weight fields,
/// `columns` the children ids for messages. Subjective methods ignore `data`.
weight_result derive_weights(const weighting_spec& spec, const Eigen::Ref<const Eigen::MatrixXd>& data,
                             const Eigen::Ref<const Eigen::VectorXd>& declared,
                             const std::vector<std::string>& columns = {});

std::string to_string(weighting_method m);

}  // namespace parkscore
