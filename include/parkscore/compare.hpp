#pragma once
// Rank changes between two periods (e.g. consecutive evaluation years).
// change = previous rank - current rank: positive = rose; units without a
// previous rank in the same pool are "new", not given a number.

#include <optional>
#include <string>
#include <vector>

#include "parkscore/csv.hpp"
#include "parkscore/report.hpp"
#include "parkscore/result.hpp"

namespace parkscore {

/// One unit's rank in one period.
struct ranked_unit {
  std::string id;
  std::string name;
  std::string pool = "all";   // ranks are compared only within the same pool label
  double rank = 0;            // NaN = not ranked
};

struct rank_move {
  std::string id;
  std::string name;
  std::string pool;
  double previous_rank = 0;        // NaN = absent or unranked before
  double current_rank = 0;         // NaN = unranked now
  std::optional<double> change;    // previous - current; empty when either rank is missing

  bool is_new() const;             // ranked now, no previous rank in this pool
  /// "↑12", "↓3", "=", "new", or "unranked".
  std::string label() const;
};

struct rank_comparison {
  std::vector<rank_move> changes;   // the current units, in the current order
  std::vector<ranked_unit> dropped;   // ranked before, absent from the current pool now
  /// The `count` largest rises (falls), largest first; ties by current rank.
  std::vector<rank_move> movers_up(std::size_t count) const;
  std::vector<rank_move> movers_down(std::size_t count) const;
};

rank_comparison compare_ranks(const std::vector<ranked_unit>& previous, const std::vector<ranked_unit>& current);

/// The ranks of the index (or `node_id`) in one pooling, in the order of make_report.
std::vector<ranked_unit> ranked_units(const result& r, const std::string& grouping = "", const std::string& node_id = "");
/// Ranks from a ranking CSV written by format_report(..., report_format::csv):
/// columns id and rank are required, name and pool are used if present.
std::vector<ranked_unit> ranked_units(const csv_table& table);

std::string format_comparison(const rank_comparison& c, report_format format, std::size_t movers = 5);

}  // namespace parkscore
