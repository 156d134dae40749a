#pragma once
// Several years of evaluations: rank tables per evaluation year, rank changes
// between consecutive years, and the split of a long table (one row per unit
// and year) into one dataset per data year. docs/history.md states the rules.

#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "parkscore/io/csv.hpp"
#include "parkscore/model/dataset.hpp"
#include "parkscore/engine/result.hpp"

namespace parkscore {

/// Data year and evaluation year are distinct labels: the 2022 evaluation round
/// uses 2021 data. evaluation year = data year + lag.
struct year_convention {
  int lag = 1;

  int evaluation_year(int data_year) const { return data_year + lag; }
  int data_year(int evaluation_year) const { return evaluation_year - lag; }
};

/// One unit's standing in one evaluation and one pooling.
struct rank_entry {
  std::string unit;         // unit id
  std::string name;         // display name
  std::string pool;         // pool label, e.g. "provincial" ("all" for the all-units pooling)
  double rank = std::numeric_limits<double>::quiet_NaN();   // NaN = unranked (vetoed, or score missing)
  double score = std::numeric_limits<double>::quiet_NaN();  // the ranked node's score (vetoed units keep theirs)
  std::string veto_reason;  // non-empty = disqualified for the year

  bool vetoed() const { return !veto_reason.empty(); }
  bool ranked() const;
};

/// The ranking of one evaluation year under one grouping column.
struct rank_table {
  int data_year = 0;
  int evaluation_year = 0;
  std::string grouping;     // "" = all units in one pool
  std::vector<rank_entry> entries;
  std::string source;              // the ranking file it was read from; "" = built in code (a result)
  std::vector<std::size_t> lines;  // the file line of each entry (read_rank_table); empty if not read

  /// Linear search; loops over every unit should use unit_index() instead.
  const rank_entry* find(const std::string& unit) const;
};

/// Unit id -> entry, built once for lookups inside loops over units. Throws
/// data_error naming the unit if it appears twice in the table.
std::unordered_map<std::string_view, const rank_entry*> unit_index(const rank_table& table);

struct rank_table_options {
  std::string grouping;     // "" = all units
  std::string node;         // ranked node; "" = the index (root)
  int data_year = 0;
  year_convention years;
};

/// The rank table of one pooling of a result; vetoed = the result's excluded units.
rank_table make_rank_table(const result& r, const rank_table_options& options);

/// A ranking read from a file (`source` set) may be an excerpt: rank 14 among five rows. Where
/// places within the whole pool matter — the current year of a rank change (what left the
/// ranking, the movers) and every year of a delisting window (the last N places) — each rank
/// must be at most the number of ranked units of its pool in the table; otherwise data_error
/// naming file, line, unit, pool and the bound, and `use`. Tables built in code are not checked
/// (those of a result hold whole pools by construction). docs/history.md, "Ranking files".
void check_whole_pools(const rank_table& table, std::string_view use);

/// Rank tables by evaluation year and grouping.
class history {
 public:
  /// Throws data_error if the history already holds this evaluation year and grouping.
  void add(rank_table table);
  /// Adds a rank table for every pooling of `r` (index scores).
  void add(const result& r, int data_year, const year_convention& years = {});

  /// The table, or nullptr if absent.
  const rank_table* find(int evaluation_year, const std::string& grouping) const;
  /// Throws data_error naming the year and grouping if absent.
  const rank_table& table(int evaluation_year, const std::string& grouping) const;
  /// Evaluation years present (any grouping), ascending.
  std::vector<int> evaluation_years() const;
  bool empty() const { return tables_.empty(); }

 private:
  std::map<std::pair<int, std::string>, rank_table> tables_;
};

enum class rank_change_status {
  moved,             // ranked in both years within the same pool (change may be 0)
  new_entrant,       // not in the previous year's table, or in another pool of it
  no_previous_rank,  // in the same pool last year, but unranked (vetoed or score missing)
  vetoed,            // disqualified this year: no current rank
  unranked,          // no current rank for another reason (score missing)
};

struct rank_change {
  std::string unit;
  std::string name;
  std::string pool;
  rank_change_status status = rank_change_status::moved;
  double previous = std::numeric_limits<double>::quiet_NaN();  // NaN unless available
  double current = std::numeric_limits<double>::quiet_NaN();   // NaN unless ranked
  double change = std::numeric_limits<double>::quiet_NaN();    // previous - current (positive = rose); NaN unless status == moved
};

/// Changes of every unit of `current` against `previous`, in the order of `current`.
/// Throws data_error if the groupings differ or a unit appears twice in either table.
std::vector<rank_change> rank_changes(const rank_table& previous, const rank_table& current);
/// Changes against the table of evaluation year - 1; without such a table every
/// ranked unit is no_previous_rank (nothing can be said about entry).
std::vector<rank_change> rank_changes(const history& h, int evaluation_year, const std::string& grouping);

/// "↑12", "↓3", "–" (unchanged), "new"; "n/a" for no previous rank, vetoed or unranked.
std::string format_change(const rank_change& c);

/// Splits a long table (one row per unit and year) into one dataset per data
/// year. Year cells must be whole numbers (data_error naming file, line, column).
std::map<int, dataset> split_years(const csv_table& table, const std::string& year_column,
                                   const wide_layout& layout = {});

std::string to_string(rank_change_status s);

}  // namespace parkscore
