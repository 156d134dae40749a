#pragma once
// What-if and gap to a target, both by re-evaluating: change raw values and
// evaluate() again, so every pool statistic (min, max, mean, weights derived
// from data) moves as it would. docs/explain.md states the search and the heuristic.

#include <optional>
#include <string>
#include <vector>

#include "parkscore/engine/evaluate.hpp"
#include "parkscore/engine/result.hpp"
#include "parkscore/model/dataset.hpp"
#include "parkscore/report/report.hpp"

namespace parkscore {

/// A new raw value for one cell.
struct value_change {
  std::string unit;        // id
  std::string indicator;   // data column
  double value = 0;
};

struct rank_move {
  std::string unit;
  std::string name;
  std::string pool;
  double before = 0;   // NaN = not ranked
  double after = 0;
  double score_before = 0;
  double score_after = 0;
};

struct what_if_result {
  result changed;                 // the new evaluation
  std::vector<rank_move> moved;   // units whose index rank changed, by new rank
};

/// The data with `changes` applied (data_error naming an unknown unit or column).
dataset apply_changes(const dataset& data, const std::vector<value_change>& changes);

/// Re-evaluates with `changes` and lists the units whose rank moved in `grouping`.
what_if_result what_if(const framework& model, const dataset& data, const std::vector<value_change>& changes,
                       const evaluation_options& options = {}, const std::string& grouping = "");

/// A target for a unit's index rank in its pool.
enum class target_kind {
  next_place,     // one place better than now (rank - 1, and beyond any tie)
  rank,           // at least `rank`
  top_10,         // rank <= 10
  out_of_bottom,  // not among the last `bottom` of the pool
};

struct gap_target {
  target_kind kind = target_kind::next_place;
  int rank = 1;      // target_kind::rank
  int bottom = 3;    // target_kind::out_of_bottom
};

struct gap_options {
  std::string grouping;          // the pooling ranked
  evaluation_options evaluation; // as the result was evaluated (pools is overridden)
  gap_target target;
  /// The search for one indicator goes at most this many pool ranges (max - min of
  /// the ranked units' raw values) beyond the current value.
  double max_ranges = 10;
  double relative_tolerance = 1e-6;   // of the pool range: bisection stops below it
};

/// The smallest change of one indicator's raw value that reaches the target, the others fixed.
struct single_gap {
  std::string indicator;
  std::string name;
  double current = 0;
  bool reachable = false;
  double value = 0;        // the value reaching the target (NaN if not reachable)
  double change = 0;       // value - current
  double new_rank = 0;     // rank at `value`
  std::string note;        // why not reachable, when it is not
};

/// A combination of changes found by the greedy heuristic (docs/explain.md).
struct combined_gap {
  bool reachable = false;
  std::vector<value_change> changes;   // only the indicators that moved
  double cost = 0;                     // sum of |change| / pool standard deviation of the raw values
  double new_rank = 0;
};

struct gap_analysis {
  std::string unit;
  double rank = 0;         // now
  double target_rank = 0;  // the rank to reach (<=)
  bool already = false;    // the unit meets the target now
  std::vector<single_gap> single;   // framework indicator order (raw data columns only)
  combined_gap combined;
};

/// Throws data_error for an unknown unit, an unranked unit, or a target no rank can meet.
gap_analysis gap_to_target(const framework& model, const dataset& data, const std::string& unit,
                           const gap_options& options = {});

std::string format_gap(const gap_analysis& g, report_format format);
std::string format_what_if(const what_if_result& w, report_format format);

/// "next", "rank:N", "top10", "bottom:N" (data_error otherwise).
gap_target parse_gap_target(const std::string& text);

}  // namespace parkscore
