#pragma once
// Apply and aggregate (src-local), one block of rows at a time: each indicator's normaliser
// as a column kernel, then each aggregate node over its children column by column, then
// points and bonus/deduction. Problems are recorded as (node, label, unit) and turned into
// notes or an error once all blocks are done, in the order the reference engine meets them.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "engine/pool_fit.hpp"
#include "engine/pooling.hpp"

namespace parkscore::detail {

// Where a block's values of one node live: rows [begin, end) of a column.
struct block_view {
  std::size_t begin = 0, end = 0;
  std::vector<double*> score;     // per node
  std::vector<int*> coverage;     // per node (empty: coverage not kept)
  // Per node, with coverage: the coverage of every row of the block when it is one number and
  // every score is present (complete data, the usual case), else -1. A node whose children are
  // all uniform is then filled with their sum, without a look at each row.
  int* uniform_coverage = nullptr;
  std::vector<double*> share;     // per node: weight share among siblings, then of the total (points only)
  std::size_t size() const { return end - begin; }
};

// A problem found in a block, ordered as the reference engine meets them: node by node
// (aggregation order), then label, then unit.
struct block_event {
  std::size_t node_position = 0;
  std::uint32_t label = 0;
  std::size_t row = 0;
  std::string message;   // empty: a coverage warning
  bool operator<(const block_event& o) const {
    return std::tie(node_position, label, row) < std::tie(o.node_position, o.label, o.row);
  }
};

struct block_findings {
  std::vector<block_event> warnings;           // scores missing for low coverage
  std::optional<block_event> error;            // the first method_error
};

/// The nodes (flags by node) that normalise their indicators as they sum them, so that the
/// indicators' columns are never written: in lean results of one pool with fixed weights
/// (nothing else reads those columns), an arithmetic mean of indicators that are not kept (the
/// root's children are), each with a fitted normaliser. Empty when none can.
std::vector<char> fused_nodes(const pooling_context& ctx, const pool_partition& part, const fitted_table& fitted,
                              const pool_result& out);

/// Normalises, aggregates and scales one block; problems go to `found`. With one block of the
/// whole pool (nodes that need it) the weight records and notes are written as it goes.
void evaluate_block(const pooling_context& ctx, const pool_partition& part, const raw_columns& raw,
                    const fitted_table& fitted, const std::vector<char>& fused, const std::string& grouping,
                    const block_view& b, pool_result& out, block_findings& found);

/// The weight record of node k in every label (the tree's weights for a fixed weighting).
void record_weights(const pooling_context& ctx, int k, const pool_partition& part, const std::string& grouping,
                    const block_view& b, pool_result& out);

/// Coverage warnings as notes, in the reference engine's order (node, label, unit).
void flush_warnings(const pooling_context& ctx, const pool_partition& part, const std::string& grouping,
                    std::vector<block_event>& warnings);

/// Throws the first method_error found, naming the node, unit and pool.
void rethrow_block_error(const pooling_context& ctx, const pool_partition& part, const std::string& grouping,
                         const block_event& e);

}  // namespace parkscore::detail
