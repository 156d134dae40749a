#pragma once
// What compiling a framework resolves once (src-local).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "parkscore/engine/result.hpp"
#include "parkscore/model/framework.hpp"

namespace parkscore::detail {

struct compiled_plan {
  framework model;
  std::vector<std::string> indicator_ids;   // framework::indicators() order
  std::vector<std::string> known_columns;   // every data column the framework reads or derives
  std::vector<int> aggregate_order;         // aggregate nodes, children before parents
  std::vector<int> top_nodes;               // the root and its children: kept in a lean result
  std::vector<note> weight_notes;           // the info lines describing the weights
  bool needs_whole_pool = false;            // a node derives weights, uses TOPSIS or rescales
  bool prepares_pools = false;              // some indicator is imputed or treated
  bool prepares_units = false;              // derived indicators or screening
  // Per node (empty for indicators): its children's ids, and the weights a data-free
  // weighting (fixed, equal, ...) gives them, which every pool's weight record repeats.
  std::vector<std::vector<std::string>> child_ids;
  std::vector<std::optional<weight_result>> tree_weights;
  // Per node: its column among indicator_ids (-1 for an aggregate), and whether it is an
  // arithmetic mean of indicators only (a block can then normalise as it sums).
  std::vector<int> indicator_column;
  std::vector<char> means_indicators;
  /// Unique in the process (never reused, unlike an address): what a thread's own normalisers
  /// were last fitted for (pool_fit.hpp).
  const std::uint64_t id;

  explicit compiled_plan(const framework& fw);
};

}  // namespace parkscore::detail
