#pragma once
// One pooling of a compiled evaluation (src-local): fit the pool statistics of every
// indicator in one pass per column, apply the normalisers and aggregate in row blocks
// (column kernels, no per-cell allocation), then rank the kept nodes per pool label.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/column_kernels.hpp"
#include "engine/compiled_plan.hpp"
#include "engine/evaluate_rules.hpp"
#include "parkscore/engine/evaluate.hpp"

namespace parkscore::detail {

/// The units of each label of a grouping column, labels in order of first appearance.
struct pool_partition {
  std::vector<std::string> labels;
  std::vector<std::uint32_t> label_of;              // per unit
  std::vector<std::vector<std::uint32_t>> rows;     // per label, ascending
  std::vector<std::vector<std::uint32_t>> ranked;   // per label: the rows that are ranked

  pool_partition(const std::vector<std::string>& unit_labels, const std::vector<bool>& is_ranked);
  /// One pool of every unit, labelled `label`.
  pool_partition(const std::string& label, const std::vector<bool>& is_ranked);
};

/// A normaliser fitted outside the records (a result without them), with the plan
/// (compiled_plan::id, 0: none) and the indicator whose spec it holds: refitted for the same,
/// it keeps the spec instead of copying it again.
struct scratch_fit {
  fitted_normaliser fitted;
  std::uint64_t plan = 0;
  std::size_t indicator = 0;
};

/// How many normalisation and weight records the pooling being evaluated has written: a
/// reused result's records are overwritten in place (their strings and vectors keep their
/// memory), and the rest dropped at the end.
struct record_cursor {
  std::size_t normalisation = 0;
  std::size_t weights = 0;
  std::size_t fits = 0;   // normalisers fitted outside the records (pooling_context::fits)
};

struct pooling_context {
  const compiled_plan& plan;
  const dataset& data;                    // prepared units (ids, groups)
  const std::vector<bool>& ranked;        // not excluded
  bool every_unit_ranked;                 // no unit excluded
  std::vector<note>& notes;
  const unit_weights& weights;            // the weight set of each unit
  const std::optional<dataset>& previous;
  const std::vector<unit_rule_record>& rules;
  const evaluation_options& options;
  /// Per indicator column of the unprepared data: its summary over every unit (the missing-
  /// value scan computes them); the all-units pool's statistics when every unit is ranked.
  /// Empty when the columns are prepared per pooling.
  const std::vector<column_summary>& summaries;
  record_cursor& records;
  /// Where the normalisers are fitted when the result keeps no records (result_contents::
  /// records); null: into the pool's normalisation records.
  std::vector<scratch_fit>* fits;
};

/// The raw values of each indicator (framework order), N each, after preparation.
using raw_columns = std::vector<const double*>;

/// The next record of a pooling: the reused result's one at that place, or a new one.
template <class Record>
Record& next_record(std::vector<Record>& records, std::size_t& used) {
  if (used == records.size()) records.emplace_back();
  return records[used++];
}

/// Evaluates one pooling into `out`, whose buffers are reused where the sizes allow.
void evaluate_pooling(const pooling_context& ctx, const raw_columns& raw, const std::string& grouping,
                      pool_result& out);

}  // namespace parkscore::detail
