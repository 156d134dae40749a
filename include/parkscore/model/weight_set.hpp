#pragma once
// Named weight sets: alternative weights for the same tree (e.g. Jiangsu's
// 25/25/20/15/15 points and the MOFCOM-aligned 30/30/15/15/10), chosen by name
// for every unit or by a grouping column per unit (e.g. region -> set).

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace parkscore {

class framework;
class dataset;

/// An alternative set of weights: node id -> weight, relative to siblings as in
/// the tree. Nodes the set does not list keep the tree's weight; an evaluation using the
/// set warns where that looks unintended (docs/weighting.md). A `complete` set must list
/// every node but the root.
struct weight_set {
  std::string name;
  std::string description;
  std::string status;   // "published", "assumed", ...
  std::map<std::string, double> weights;
  bool complete = false;   // "complete": true - every non-root node listed, checked on reading

  friend bool operator==(const weight_set&, const weight_set&) = default;
};

/// Per-unit choice of weight set by a grouping column: label -> set name.
/// Units whose label is not listed use the default set.
struct weight_set_by_group {
  std::string column;
  std::map<std::string, std::string> sets;

  friend bool operator==(const weight_set_by_group&, const weight_set_by_group&) = default;
};

/// The weight sets of a framework. The tree's own weights are the set named `default_name`.
struct weighting {
  std::string default_name = "default";
  std::vector<weight_set> sets;                 // the alternatives
  std::optional<weight_set_by_group> by_group;  // per-unit choice (empty: the default for all)

  friend bool operator==(const weighting&, const weighting&) = default;
};

/// The names of all weight sets, the default first.
std::vector<std::string> weight_set_names(const framework& model);

/// The nodes (ids, tree order, root excluded) that the named set does not list, so
/// they keep the tree's weights; empty for the default set.
std::vector<std::string> unlisted_nodes(const framework& model, const std::string& name);

/// Every node's weight (framework::nodes() order) under the named set; throws
/// schema_error listing the known names if there is no such set.
std::vector<double> weight_set_weights(const framework& model, const std::string& name);

/// The framework with the named set as its tree weights and default. The former
/// default becomes an alternative under its old name, so nothing is lost.
framework apply_weight_set(const framework& model, const std::string& name);

/// The weight set each unit uses: `chosen` for every unit if not empty, else by
/// the grouping `by_group` (labels not listed -> the default), else the default.
/// Throws data_error if the grouping column is missing, schema_error for an unknown set.
std::vector<std::string> unit_weight_sets(const framework& model, const dataset& data, const std::string& chosen,
                                          const std::optional<weight_set_by_group>& by_group);

namespace detail {
/// Checks names (unique, not empty), node ids and weights of every set; throws schema_error.
void validate_weighting(const framework& model);
}  // namespace detail

}  // namespace parkscore
