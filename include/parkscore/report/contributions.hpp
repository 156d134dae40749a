#pragma once
// How much each node contributes to a unit's index score, so that the parts add
// up exactly to the number shown. docs/explain.md states the rule:
//   arithmetic index: contributions of the indicators + rescaling terms + bonus/deduction
//                     = the index score shown (mean or points scale);
//   geometric index:  contributions + rescaling terms = ln(the index's mean-scale score),
//                     with the points factor and the bonus/deduction reported apart.
// Harmonic, other power means and TOPSIS are not additive in any such terms:
// the table then says so and holds NaN.

#include <Eigen/Core>
#include <string>

#include "parkscore/engine/result.hpp"

namespace parkscore {

enum class contribution_scale {
  score,         // contributions add up to the index score shown
  log_score,     // contributions add up to ln(index mean-scale score)
  not_additive,  // some aggregation in the tree cannot be split (reason given)
};

struct contribution_table {
  std::string grouping;
  contribution_scale scale = contribution_scale::score;
  std::string reason;          // why not additive; empty otherwise
  /// N x K (framework::nodes() order): each node's contribution to the index.
  /// An aggregate node's value is the sum over its subtree's indicators; the
  /// index column holds the total being explained. NaN where the node is missing.
  Eigen::MatrixXd node;
  Eigen::VectorXd rescaling;    // per unit: the sum of the rescaling terms (a node's score after - before rescaling)
  Eigen::VectorXd adjustment;   // per unit: bonus + deduction (score scale: part of the sum; log: apart)
  double points_factor = 1.0;   // total_points / 100 on the points scale, else 1
  /// N x K: each node's score on the mean scale (points scaling and bonus/deduction undone).
  Eigen::MatrixXd mean_score;
  /// N x K: d(contribution) / d(mean-scale score) where the node's chain of parents
  /// is all arithmetic (score scale), so that contribution = factor x mean score; NaN otherwise.
  Eigen::MatrixXd factor;
  /// Per unit, what the contributions add up to (index column; equals the shown score for `score`).
  double total(std::size_t unit) const { return node(static_cast<Eigen::Index>(unit), 0); }
};

/// Contributions of every node for every unit of one pooling ("" = all units).
contribution_table contributions(const result& r, const std::string& grouping = "");

namespace detail {
/// The weight unit `u` gave node k's children (children order), as evaluate used them:
/// the pool's derived weights for a data-driven weighting, else the unit's weight set.
Eigen::VectorXd child_weights(const result& r, const pool_result& pool, std::size_t u, int k);
/// Each node's mean-scale score for unit u (points scale and bonus/deduction undone).
Eigen::VectorXd mean_scale_scores(const result& r, const pool_result& pool, std::size_t u);
}  // namespace detail

}  // namespace parkscore
