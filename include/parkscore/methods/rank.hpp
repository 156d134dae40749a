#pragma once
// Ranking of scores. Missing scores (NaN) are unranked (NaN), never last.

#include <Eigen/Core>
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
