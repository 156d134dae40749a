#pragma once
// Non-compensatory aggregation (OECD/JRC Handbook 2008, the Condorcet
// approach; Munda & Nardo 2009): the weighted outranking matrix and the
// Condorcet-Kemeny ranking that agrees with it the most. A unit's strong
// indicator cannot buy back a weak one: only who beats whom counts, not by how
// much. docs/methods.md ("Beyond weighted sums") states the formulas, the exact algorithm and
// the heuristic with its bound.

#include <Eigen/Core>
#include <cstddef>
#include <string>
#include <vector>

namespace parkscore {

struct outranking_options {
  /// |y_ji - y_ki| <= tie_tolerance counts as a tie (half the weight to each).
  double tie_tolerance = 0.0;
};

/// e(j, k) = sum_i w_i [y_ji > y_ki] + 1/2 sum_i w_i [y_ji = y_ki], the weights
/// normalised to sum 1, so e(j, k) + e(k, j) = 1; the diagonal is 0. `y` is
/// N x M (higher is better, all values present), `weights` M values >= 0 with
/// a positive sum. Names (optional) serve error messages.
Eigen::MatrixXd outranking_matrix(const Eigen::Ref<const Eigen::MatrixXd>& y,
                                  const Eigen::Ref<const Eigen::VectorXd>& weights,
                                  const outranking_options& options = {},
                                  const std::vector<std::string>& unit_ids = {},
                                  const std::vector<std::string>& indicator_ids = {});

enum class kemeny_solver {
  automatic,  // exact up to exact_limit units, heuristic beyond
  exact,      // dynamic programming over subsets: O(2^n n) time, 2^n doubles of memory
  heuristic,  // Borda/Copeland start + insertion local search, with an upper bound
};

struct kemeny_options {
  kemeny_solver solver = kemeny_solver::automatic;
  std::size_t exact_limit = 20;   // automatic: exact up to this many units; exact refuses more than 26
  std::size_t max_passes = 1000;  // heuristic: local-search passes over all insertion moves
};

struct kemeny_result {
  std::vector<std::size_t> order;   // unit indices, best first
  Eigen::VectorXd rank;             // per unit: 1 = best
  double score = 0.0;               // sum over j ranked above k of e(j, k)
  double upper_bound = 0.0;         // exact: = score; heuristic: sum over pairs of max(e(j,k), e(k,j))
  double gap = 0.0;                 // upper_bound - score (>= 0); 0 proves the ranking optimal
  bool exact = false;               // solved by dynamic programming (or the bound was attained)
  std::size_t passes = 0;           // heuristic: local-search passes made
};

/// The ranking maximising agreement with the outranking matrix `e` (n x n).
/// Ties between equally good rankings go to the one found first (deterministic).
kemeny_result kemeny_ranking(const Eigen::Ref<const Eigen::MatrixXd>& e, const kemeny_options& options = {});

/// Sum over j ranked above k of e(j, k) for an order (best first).
double kemeny_score(const Eigen::Ref<const Eigen::MatrixXd>& e, const std::vector<std::size_t>& order);

std::string to_string(kemeny_solver s);

}  // namespace parkscore
