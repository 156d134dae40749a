#pragma once
// The evaluation pipeline: data -> normalise (per pool) -> aggregate (bottom-up)
// -> rescale -> report scale -> rank (per pool).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "parkscore/model/dataset.hpp"
#include "parkscore/model/framework.hpp"
#include "parkscore/engine/result.hpp"

namespace parkscore {

/// What a result holds besides the scores and ranks of the index and its categories
/// (the root's children). The default keeps every node's score, the normalised matrix,
/// coverage and the info notes, and ranks the index and its categories only: any other
/// node is ranked on request (result::ranks_of), because ranking every node was most of
/// the cost of a full result. `lean()` is for large data and repeated evaluation.
struct result_contents {
  bool all_nodes = true;    // scores and coverage of every node; false: root and its children only
  bool all_ranks = false;   // rank every kept node now; false: root and its children (others on request)
  bool normalised = true;   // pool_result::normalised (N x M)
  bool coverage = true;     // pool_result::coverage
  bool info_notes = true;   // info lines of result::notes (warnings are always kept)
  /// Without all_ranks: rank the categories (the root's children) now, with the index; false:
  /// the index only, the categories on request (result::ranks_of), as a hand-written script does.
  bool category_ranks = true;
  /// pool_result::normalisation and pool_result::weights: the constants fitted and the weights
  /// used, per pool label, which the tables, the manifest's constants and contributions under
  /// derived weights read. false: neither is kept (pool_result::records is false).
  bool records = true;

  static result_contents lean() { return {false, false, false, false, false}; }
  static result_contents everything() { return {true, true, true, true, true}; }
  /// lean(), the index ranked now and no records: scores and ranks for a loop of evaluations.
  static result_contents index_only() { return {false, false, false, false, false, false, false}; }
};

struct evaluation_options {
  /// Groupings to evaluate; empty = the framework's pools (or all units if it names none).
  /// "" stands for all units in one pool.
  std::vector<std::string> pools;
  /// Units scored but not ranked and left out of every pool statistic, with the reason
  /// (e.g. a veto). Unknown unit ids are an error.
  std::map<std::string, std::string> excluded;
  /// Dataset columns that the framework does not name are an error unless allowed.
  bool allow_extra_columns = false;
  /// The weight set for every unit (empty: the framework's choice, by group or default).
  std::string weight_set;
  /// The weight set per unit by a grouping column; overrides the framework's by_group.
  std::optional<weight_set_by_group> weights_by_group;
  /// The previous year's data (units matched by id): for lag() in derived indicators, for
  /// carry_forward and growth imputation, and for ratio_to_benchmark with a benchmark_factor k
  /// (k x the previous year's mean of the same pool). Absent where needed is a data_error.
  std::optional<dataset> previous;
  /// What the result keeps (docs/performance.md: a lean result of 10^6 units fits in memory).
  result_contents keep;
  /// Threads for large data: 0 = the hardware's, 1 = none. The numbers do not depend on it.
  int threads = 0;
};

/// Scores and ranks every unit. Throws schema_error for an invalid framework and
/// data_error for data that do not fit it, naming the indicator, unit or column.
result evaluate(const framework& model, const dataset& data, const evaluation_options& options = {});

}  // namespace parkscore
