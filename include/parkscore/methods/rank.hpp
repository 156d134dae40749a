#pragma once
// Ranking of scores. Missing scores (NaN) are unranked (NaN), never last.

#include <Eigen/Core>
#include <cstdint>
#include <string>
#include <vector>

#include "parkscore/model/framework.hpp"

namespace parkscore {

/// Ranks over the rows flagged in `eligible` (all rows if empty); other rows
/// get NaN. `ids` is needed only for tie_break::unit_id.
Eigen::VectorXd rank_scores(const Eigen::Ref<const Eigen::VectorXd>& scores, const ranking& rule,
                            const std::vector<bool>& eligible = {},
                            const std::vector<std::string>& ids = {});

}  // namespace parkscore

namespace parkscore::detail {

/// The engine's ranking kernel: ranks scores[rows[0..n)] (NaN unranked) into out[row];
/// other entries of `out` are left as they are, or with `clear_length`, out[0..clear_length)
/// is NaN wherever no rank is written (a pool of every row, every score present, writes them
/// all: nothing is cleared). `ids` only for tie_break::unit_id. `rows` must be strictly
/// increasing: rows 0..n-1 are then recognised by their ends and read directly. `threads`
/// (0 = the hardware's) share the sort of a large pool; the ranks do not depend on it.
void rank_rows(const double* scores, const std::uint32_t* rows, std::size_t n, const ranking& rule,
               const std::vector<std::string>* ids, double* out, std::size_t clear_length = 0, int threads = 1);

}  // namespace parkscore::detail
