#pragma once
// The analytic hierarchy process: weights from a pairwise comparison matrix on
// Saaty's 1-9 scale, with the consistency check (λmax, CI, CR).

#include <Eigen/Core>
#include <string>
#include <vector>

#include "parkscore/methods/weight.hpp"

namespace parkscore {

/// The random index for an n x n matrix (0 for n <= 2). Throws method_error for n > 10.
double random_index(int n, ri_table table = ri_table::saaty);

/// Checks that `a` is square, positive, finite and reciprocal within the tolerance
/// (diagonal 1). Throws method_error naming the first offending entry (i, j) and its value.
void validate_comparison_matrix(const Eigen::Ref<const Eigen::MatrixXd>& a, double reciprocal_tolerance = 0.01);

/// AHP weights. The upper triangle is authoritative: the lower is replaced by its
/// exact reciprocals. Throws method_error if CR >= max_cr unless allow_inconsistent;
/// the message names the least consistent comparisons. `names` label rows in messages.
weight_result ahp_weights(const Eigen::Ref<const Eigen::MatrixXd>& a, const ahp_options& options = {},
                          const std::vector<std::string>& names = {});

/// The perfectly consistent matrix a_ij = w_i / w_j of a positive weight vector.
Eigen::MatrixXd consistent_matrix(const Eigen::Ref<const Eigen::VectorXd>& w);

}  // namespace parkscore
