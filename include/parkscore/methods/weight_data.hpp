#pragma once
// Data-driven (objective) weights from an N x k matrix: rows are units, columns
// the children of one node (normalised, oriented higher-is-better scores).
// Missing values (NaN): computed on the complete rows only; rows_used and
// rows_incomplete record how many. Too few complete rows is a method_error.
// `columns` names the columns in messages (defaults to "column j").

#include <Eigen/Core>
#include <string>
#include <vector>

#include "parkscore/methods/weight.hpp"

namespace parkscore {

/// Entropy weights (熵权法); needs >= 2 complete rows.
weight_result entropy_weights(const Eigen::Ref<const Eigen::MatrixXd>& x, const entropy_options& options = {},
                              const std::vector<std::string>& columns = {});

/// CRITIC weights; needs >= 3 complete rows.
weight_result critic_weights(const Eigen::Ref<const Eigen::MatrixXd>& x, const critic_options& options = {},
                             const std::vector<std::string>& columns = {});

/// Coefficient-of-variation weights; needs >= 2 complete rows and column means > 0.
/// The sd divides by n - 1 unless options.sd says population (n).
weight_result variation_weights(const Eigen::Ref<const Eigen::MatrixXd>& x,
                                const std::vector<std::string>& columns = {}, const variation_options& options = {});

/// PCA / factor-analysis weights in the manner of the OECD/JRC handbook (2008) §6.1;
/// needs more complete rows than columns and no constant column.
weight_result pca_weights(const Eigen::Ref<const Eigen::MatrixXd>& x, const pca_options& options = {},
                          const std::vector<std::string>& columns = {});

/// Varimax rotation of a k x m loading matrix (Kaiser 1958), by sweeps of planar
/// rotations of factor pairs until every angle is below `tolerance` (radians); with
/// Kaiser normalisation the rows are scaled to unit length before and back after.
/// Returns the rotated loadings; `iterations` receives the number of sweeps.
Eigen::MatrixXd varimax(const Eigen::Ref<const Eigen::MatrixXd>& loadings, bool kaiser_normalise = true,
                        int max_iterations = 1000, double tolerance = 1e-10, int* iterations = nullptr);

}  // namespace parkscore
