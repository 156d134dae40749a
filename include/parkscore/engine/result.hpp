#pragma once
// What an evaluation returns: every node's score and rank for every unit in
// every pooling, plus the record of what each step did, so that any number
// can be traced back to its inputs and constants.

#include <Eigen/Core>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "parkscore/model/framework.hpp"
#include "parkscore/model/shared_framework.hpp"
#include "parkscore/model/shared_strings.hpp"
#include "parkscore/methods/normalise.hpp"
#include "parkscore/prepare/prepare.hpp"
#include "parkscore/rules/rules.hpp"
#include "parkscore/methods/weight.hpp"

namespace parkscore {

enum class severity { info, warning };

/// One line of the evaluation record.
struct note {
  severity level = severity::info;
  std::string step;   // "normalise", "aggregate", "rank", "exclude", ...
  std::string pool;   // "grouping=label", or "all"
  std::string node;   // node or indicator id
  std::string unit;   // unit id
  std::string message;
};

/// The constants one indicator was normalised with in one pool.
struct normalisation_record {
  std::string indicator;
  std::string pool_label;
  fitted_normaliser fitted;
};

/// The weights one node gave its children in one pool, with their diagnostics.
struct weight_record {
  std::string node;
  std::string pool_label;
  std::vector<std::string> children;
  weight_result weights;   // weights.pool names the pool ("all", "grouping=label")
};

/// Results for one pooling: normalisation statistics and ranks are computed
/// within each label of the grouping column ("" = all units in one pool).
struct pool_result {
  pool_result() = default;
  pool_result(const pool_result&) = default;
  pool_result(pool_result&&) noexcept = default;
  pool_result& operator=(const pool_result&) = default;
  pool_result& operator=(pool_result&&) noexcept = default;
  /// Hands its large matrices to the next evaluation of the same size, which then
  /// needs no fresh memory (docs/performance.md, "Fresh memory").
  ~pool_result();

  std::string grouping;
  shared_strings labels;             // per unit: the dataset's grouping column, shared
  Eigen::MatrixXd normalised;        // N x M, columns in framework::indicators() order
  Eigen::MatrixXd scores;            // N x K, columns in framework::nodes() order (see `nodes`)
  Eigen::MatrixXi coverage;          // N x K, number of indicators the score rests on (or empty)
  /// The node of each column of scores/coverage when the result keeps only some nodes
  /// (result_contents::all_nodes = false); empty when it keeps every node.
  std::vector<int> nodes;
  /// Ranks computed during evaluation (NaN = unranked): N x R, column r ranks node
  /// `rank_nodes[r]` — the root and its children, the root only (result_contents::
  /// category_ranks = false), or every kept node with result_contents::all_ranks. Other
  /// nodes: result::ranks_of. Column 0 is the index.
  Eigen::MatrixXd kept_ranks;
  std::vector<int> rank_nodes;
  std::vector<normalisation_record> normalisation;
  std::vector<weight_record> weights;   // every aggregate node, every label
  /// Whether `normalisation` and `weights` were kept (result_contents::records); when not,
  /// both are empty and what reads them throws instead of reading nothing.
  bool records = true;

  /// The column of scores/coverage for a node index; throws error if the result did not keep it.
  Eigen::Index column(int node_index) const;
  /// The column of kept_ranks for a node index, if the evaluation ranked it.
  std::optional<Eigen::Index> rank_column(int node_index) const;
  /// The stored rank of a row at the index (node 0), always kept.
  double index_rank(Eigen::Index row) const { return kept_ranks(row, 0); }
  /// Throws error, saying what needs them (`purpose`), if the records were not kept.
  void require_records(const std::string& purpose) const;
  /// Throws error, saying what needs them, unless every node's score was kept (not a lean
  /// result), and, with `normalised_values`, the normalised values too.
  void require_every_node(const std::string& purpose, bool normalised_values = false) const;
  /// Units sharing unit `u`'s pool label.
  std::vector<std::size_t> members_of(const std::string& label) const;
};

struct result {
  result() = default;
  result(const result&) = default;
  result(result&&) noexcept = default;
  result& operator=(const result&) = default;
  result& operator=(result&&) noexcept = default;
  /// A small result hands its pools and notes to the next fresh evaluation (docs/performance.md).
  ~result();

  shared_framework model;   // the plan's own: shared, not copied
  shared_strings unit_ids;     // the dataset's own list: shared, not copied
  shared_strings unit_names;
  std::string period;
  std::map<std::string, std::string> excluded;   // unit id -> reason (not ranked)
  /// Per unit: weight set, veto reasons, bonus/deduction. Empty when no unit has a veto or
  /// an adjustment and every unit uses one weight set: then `common_rule` holds for all
  /// (a million default records would cost more than the scores). Read through rule(u).
  std::vector<unit_rule_record> rules;
  unit_rule_record common_rule;
  std::vector<pool_result> pools;
  std::vector<note> notes;
  preparation_record preparation;   // derived, screened, imputed and treated values (docs/preparation.md)

  /// The pooling by this grouping column ("" = all units); throws error if absent.
  const pool_result& pool(const std::string& grouping = "") const;
  std::size_t unit_index(const std::string& unit_id) const;
  /// The rule record of the unit in row `unit` (see `rules`); throws error if out of range.
  const unit_rule_record& rule(std::size_t unit) const;
  double score(const std::string& unit_id, const std::string& node_id,
               const std::string& grouping = "") const;
  double rank(const std::string& unit_id, const std::string& node_id,
              const std::string& grouping = "") const;
  /// The ranks of one node in one pooling (N, NaN = unranked): the stored column, or
  /// computed now from the node's scores with the framework's rank rule, per pool label,
  /// leaving excluded units unranked (the same kernel the evaluation uses).
  Eigen::VectorXd ranks_of(const pool_result& pool, int node_index) const;
  Eigen::VectorXd ranks_of(const std::string& node_id, const std::string& grouping = "") const;
  /// Every kept node's ranks (N x K, columns as pool_result::scores), computing the missing ones.
  Eigen::MatrixXd rank_matrix(const pool_result& pool) const;
  std::vector<note> warnings() const;
};

}  // namespace parkscore
