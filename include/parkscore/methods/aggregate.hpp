#pragma once
// Aggregation of children scores into a parent score, one row per unit.
// Missing children (NaN) drop out and the weights are renormalised over those
// present; below `min_coverage` (share of weight present) the score is NaN.

#include <Eigen/Core>
#include <vector>

#include "parkscore/model/framework.hpp"

namespace parkscore {

/// The weighted mean of one unit's children. `values` and `weights` have the
/// same length; weights need not sum to 1. Returns NaN if coverage is too low.
/// Throws method_error for a non-positive value under a geometric or harmonic
/// mean (or a power mean with p <= 0), unless spec.zeros declares a convention.
double aggregate_one(const Eigen::Ref<const Eigen::VectorXd>& values,
                     const Eigen::Ref<const Eigen::VectorXd>& weights, const aggregation& spec);

/// Row-wise aggregation of an N x k matrix of children scores. TOPSIS takes its
/// ideal points over the rows flagged in `reference` (all rows if empty).
Eigen::VectorXd aggregate_rows(const Eigen::Ref<const Eigen::MatrixXd>& children,
                               const Eigen::Ref<const Eigen::VectorXd>& weights,
                               const aggregation& spec,
                               const std::vector<bool>& reference = {});

/// TOPSIS closeness D- / (D+ + D-) in [0, 1] with weighted children, ideal
/// best = column maximum and ideal worst = column minimum over the reference rows.
/// `squared`: distances of the matrix w_j s_j (weights enter squared, Hwang and Yoon);
/// `linear`: sqrt(sum_j w_j (s_j - s*_j)^2) (weights enter once).
Eigen::VectorXd topsis_closeness(const Eigen::Ref<const Eigen::MatrixXd>& children,
                                 const Eigen::Ref<const Eigen::VectorXd>& weights,
                                 const std::vector<bool>& reference = {},
                                 topsis_weighting weighting = topsis_weighting::squared);

/// Share of the total weight carried by the non-missing children of each row.
Eigen::VectorXd weight_coverage(const Eigen::Ref<const Eigen::MatrixXd>& children,
                                const Eigen::Ref<const Eigen::VectorXd>& weights);

/// Rescales scores over the reference rows (best_is_100: x / max * hi;
/// min_max: lo + (hi - lo)(x - min)/(max - min), midpoint if constant).
Eigen::VectorXd rescale_scores(const Eigen::Ref<const Eigen::VectorXd>& scores,
                               const rescaling& spec, const std::vector<bool>& reference = {});

}  // namespace parkscore
