#pragma once
// What an evaluation returns: every node's score and rank for every unit in
// every pooling, plus the record of what each step did, so that any number
// can be traced back to its inputs and constants.

#include <Eigen/Core>
#include <map>
#include <string>
#include <vector>

#include "parkscore/model/framework.hpp"
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
  std::string grouping;
  std::vector<std::string> labels;   // per unit
  Eigen::MatrixXd normalised;        // N x M, columns in framework::indicators() order
  Eigen::MatrixXd scores;            // N x K, columns in framework::nodes() order (see `nodes`)
  Eigen::MatrixXd ranks;             // N x K, NaN = unranked
  Eigen::MatrixXi coverage;          // N x K, number of indicators the score rests on (or empty)
  /// The node of each column of scores/ranks/coverage when the result keeps only some
  /// nodes (result_contents::all_nodes = false); empty when it keeps every node.
  std::vector<int> nodes;
  std::vector<normalisation_record> normalisation;
  std::vector<weight_record> weights;   // every aggregate node, every label

  /// The column of scores/ranks for a node index; throws error if the result did not keep it.
  Eigen::Index column(int node_index) const;
  /// Units sharing unit `u`'s pool label.
  std::vector<std::size_t> members_of(const std::string& label) const;
};

struct result {
  framework model;
  std::vector<std::string> unit_ids;
  std::vector<std::string> unit_names;
  std::string period;
  std::map<std::string, std::string> excluded;   // unit id -> reason (not ranked)
  std::vector<unit_rule_record> rules;           // per unit: weight set, veto reasons, bonus/deduction
  std::vector<pool_result> pools;
  std::vector<note> notes;
  preparation_record preparation;   // derived, screened, imputed and treated values (docs/preparation.md)

  /// The pooling by this grouping column ("" = all units); throws error if absent.
  const pool_result& pool(const std::string& grouping = "") const;
  std::size_t unit_index(const std::string& unit_id) const;
  double score(const std::string& unit_id, const std::string& node_id,
               const std::string& grouping = "") const;
  double rank(const std::string& unit_id, const std::string& node_id,
              const std::string& grouping = "") const;
  std::vector<note> warnings() const;
};

}  // namespace parkscore
