#pragma once
// Benefit-of-the-doubt (BoD) composite scores: each unit gets the weights that
// show it in the best light, subject to no unit scoring above 1 with them (DEA
// with constant returns and one dummy input, multiplier form; Cherchye et al.
// 2007). Weight restrictions keep the chosen weights plausible. docs/methods.md
// ("Beyond weighted sums") states every formulation; the LPs are solved with COIN-OR Clp.

#include <Eigen/Core>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace parkscore {

enum class bod_variant {
  per_unit,        // one LP per unit: its own best weights
  common_weights,  // one weight vector for all units, maximising the sum of scores
  robust,          // order-m: the mean score against `peers` units drawn with replacement, `replicates` times
};

/// Absolute bounds on one indicator's weight w_j (the weights apply to the
/// normalised values, so their size depends on the normalisation's scale).
struct bod_weight_bound {
  std::size_t indicator = 0;   // column of the data matrix
  double lo = 0.0;
  double hi = std::numeric_limits<double>::infinity();
};

/// Bounds on one indicator's share of the evaluated unit's score:
/// lo <= w_j y_ij / sum_k w_k y_ik <= hi ("pie share", Wong & Beasley 1990).
struct bod_share_bound {
  std::size_t indicator = 0;
  double lo = 0.0;
  double hi = 1.0;
};

/// An assurance region for one pair: (w_a / w_b) / (n_a / n_b) within [lo, hi],
/// n the nominal weights.
struct bod_assurance_pair {
  std::size_t first = 0;
  std::size_t second = 0;
  double lo = 0.5;
  double hi = 2.0;
};

struct bod_restrictions {
  std::vector<bod_weight_bound> weights;
  std::vector<bod_share_bound> shares;
  /// > 0: for every pair, (w_j / w_k) / (n_j / n_k) within [1 / factor, factor]
  /// (factor >= 1; 1 forces the nominal weights up to a common scale).
  double assurance_factor = 0.0;
  std::vector<bod_assurance_pair> assurance_pairs;

  bool uses_nominal() const { return assurance_factor > 0.0 || !assurance_pairs.empty(); }
};

struct bod_options {
  bod_variant variant = bod_variant::per_unit;
  bod_restrictions restrictions;
  /// Nominal weights, one per indicator; needed only by assurance regions.
  Eigen::VectorXd nominal;
  // robust variant
  std::size_t peers = 20;        // m: units drawn (with replacement) per replicate
  std::size_t replicates = 100;  // B
  std::uint64_t seed = 1;
  /// A unit is a peer of the evaluated unit when its score under the optimal
  /// weights is at least 1 - peer_tolerance.
  double peer_tolerance = 1e-7;
};

struct bod_result {
  bod_variant variant = bod_variant::per_unit;
  Eigen::VectorXd scores;    // N; robust: the order-m mean
  Eigen::MatrixXd weights;   // N x M optimal weights (common: every row the same; robust: the full LP's)
  std::vector<std::vector<std::size_t>> peers;   // per unit: units with zero slack under its weights
  Eigen::VectorXd full_scores;   // robust only: the ordinary per-unit BoD score (<= the robust score)
  std::size_t lp_solves = 0;
};

/// BoD scores of the N x M matrix `y` of normalised indicator values (higher is
/// better, every value finite and >= 0). `unit_ids` and `indicator_ids` (either
/// may be empty) name the place in error messages. Throws data_error for a
/// negative or missing value, schema_error for a bad restriction, method_error
/// if the restrictions leave no feasible weights.
bod_result benefit_of_the_doubt(const Eigen::Ref<const Eigen::MatrixXd>& y, const bod_options& options = {},
                                const std::vector<std::string>& unit_ids = {},
                                const std::vector<std::string>& indicator_ids = {});

std::string to_string(bod_variant v);

}  // namespace parkscore
