#pragma once
// Reports of a result: the ranking table of one pooling (rank, unit, total,
// scores down to a chosen level, top-k), one unit's explanation (scores and
// ranks at every level, strongest and weakest indicators relative to its pool),
// written as an aligned terminal table, CSV (RFC 4180), JSON or Markdown.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "parkscore/engine/result.hpp"

namespace parkscore {

enum class report_format { table, csv, json, markdown };

/// Columns a UTF-8 string occupies on a terminal: East Asian Wide and Fullwidth
/// characters (CJK ideographs, kana, Hangul, CJK punctuation, fullwidth forms,
/// most emoji) count 2, combining marks and zero-width characters 0, others 1.
std::size_t display_width(std::string_view utf8);

struct report_options {
  std::string grouping;     // the pooling shown: "" = all units in one pool
  int levels = 1;           // depth below the index shown: 0 = total only, 1 = + categories, ...
  std::size_t top = 0;      // 0 = every unit; k = units ranked <= k in each pool (ties at k included)
  int decimals = 2;         // table and Markdown; CSV and JSON keep full precision
};

struct report_column {
  std::string id;
  std::string name;
  int node = 0;     // index into framework::nodes()
  int depth = 0;    // 0 = the index
};

struct report_row {
  std::string pool;         // the unit's label in the pooling ("all" without grouping)
  double rank = 0;          // NaN = not ranked
  std::string unit_id;
  std::string unit_name;
  std::vector<double> scores;   // one per column
  std::string excluded;     // the reason, for units scored but not ranked
  std::string change;       // rank change label (format_change), set by add_changes (compare.hpp); "" = none
  std::vector<double> ranks;    // one per column, the node's rank in the unit's pool (NaN = not ranked)
};

/// A ranking table: rows ordered by pool (in order of first appearance) then rank;
/// unranked units last in their pool.
struct report {
  std::string title;
  std::string period;
  std::string grouping;
  int decimals = 2;
  std::vector<report_column> columns;   // depth-first from the index
  std::vector<report_row> rows;
  std::vector<std::string> warnings;
};

report make_report(const result& r, const report_options& options = {});
std::string format_report(const report& rep, report_format format);

/// An indicator's standing within a unit's pool. Strength = normalised value
/// minus the pool median of that normalised value (both oriented higher-is-better).
struct indicator_standing {
  std::string id;
  std::string name;
  double normalised = 0;     // NaN = missing
  double pool_median = 0;
  double difference = 0;     // normalised - pool_median
  double rank = 0;           // rank of the normalised value in the pool (1 = best; competition)
  std::size_t pool_size = 0;
};

struct explanation_line {
  std::string id;
  std::string name;
  int depth = 0;
  double score = 0;
  double rank = 0;          // NaN = not ranked
};

struct unit_explanation {
  std::string unit_id;
  std::string unit_name;
  std::string grouping;
  std::string pool;         // the unit's label
  std::size_t pool_size = 0;
  std::string excluded;
  std::vector<explanation_line> nodes;             // every node, depth-first
  std::vector<indicator_standing> strongest;       // largest differences first
  std::vector<indicator_standing> weakest;         // smallest differences first
  std::vector<std::string> missing;                // indicators without a value
};

/// `count` strongest and weakest indicators (fewer if the unit has fewer values).
/// Throws data_error naming the unit if it is not in the result.
unit_explanation explain_unit(const result& r, const std::string& unit_id, const std::string& grouping = "",
                              std::size_t count = 3);
std::string format_explanation(const unit_explanation& e, report_format format);

namespace detail {
/// Renders a plain table of text cells; `numeric[c]` right-aligns column c.
std::string render_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows,
                         const std::vector<bool>& numeric, report_format format);
}  // namespace detail

}  // namespace parkscore
