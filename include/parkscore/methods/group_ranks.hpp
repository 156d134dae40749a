#pragma once
// COINr's "groupranks": the scores of the all-units pooling ranked within the groups of a
// grouping column, with no re-normalisation inside a group (docs/conventions.md). parkscore's
// own pooling re-fits every normaliser within each group instead (docs/methods.md).

#include <string>
#include <vector>

#include "parkscore/engine/result.hpp"

namespace parkscore {

/// A copy of `global` (the all-units pooling) relabelled by `labels` (one per unit) under
/// `grouping`, each ranked node's scores (pool_result::rank_nodes) ranked within each label over the `ranked` units.
/// Scores, normalised values, coverage, fitted normalisers and weights stay the global ones (the
/// normalisation and weight records are repeated under each label).
pool_result rank_within_groups(const pool_result& global, const std::vector<std::string>& labels,
                               const std::string& grouping, const std::vector<bool>& ranked, const ranking& rule,
                               const std::vector<std::string>& unit_ids);

}  // namespace parkscore
