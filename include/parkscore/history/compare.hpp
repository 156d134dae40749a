#pragma once
// Rank changes between two periods, on the rank tables of history.hpp: the
// rank_change list of the current table, the units that left their pool's
// ranking, the movers up and down, and their output formats. docs/history.md
// states the rules; docs/cli.md shows the output.

#include <string>
#include <vector>

#include "parkscore/io/csv.hpp"
#include "parkscore/history/history.hpp"
#include "parkscore/report/report.hpp"

namespace parkscore {

struct rank_comparison {
  /// rank_changes(previous, current), ordered like a report: by pool (in order of
  /// first appearance in the current table), then current rank, units without a rank last.
  std::vector<rank_change> changes;
  /// Entries ranked in the previous table with no entry in the same pool now (left, or moved to another pool).
  std::vector<rank_entry> dropped;
  /// The `count` largest rises (falls) among the moved units, largest first; ties by current rank.
  std::vector<rank_change> movers_up(std::size_t count) const;
  std::vector<rank_change> movers_down(std::size_t count) const;
};

/// Throws data_error if the groupings differ or a unit appears twice in either table.
rank_comparison compare_ranks(const rank_table& previous, const rank_table& current);
/// The comparison of `evaluation_year` with the year before in `h` (rank_changes(h, ...):
/// without that year every ranked unit is no_previous_rank and nothing is dropped).
rank_comparison compare_ranks(const history& h, int evaluation_year, const std::string& grouping);

/// The rank table of a ranking CSV written by format_report(..., report_format::csv).
/// Columns: id and rank (required; an empty rank = unranked); name, pool ("all" if
/// absent) and excluded (the veto reason) if present; the score is the column
/// after name (the report's index column) if there is one. `options` gives the
/// grouping the file holds and its years. Errors name file, line and column.
rank_table read_rank_table(const csv_table& table, const rank_table_options& options = {});

/// Sets each row's change (format_change) from `changes`, matching by unit id.
void add_changes(report& rep, const std::vector<rank_change>& changes);

std::string format_comparison(const rank_comparison& c, report_format format, std::size_t movers = 5);

}  // namespace parkscore
