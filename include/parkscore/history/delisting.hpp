#pragma once
// Delisting watch (摘牌/退出预警): rolling-window rules over the rank history,
// e.g. "in the last 3 of the provincial pool in at least 2 of 3 consecutive
// years". Rules are data (JSON); four published rules are built in.
// docs/history.md states the rules and the edge cases.

#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "parkscore/history/history.hpp"

namespace parkscore {

/// Which years of the window must be hits.
enum class hit_pattern {
  any,          // at least min_hits of the window years
  consecutive,  // a run of at least min_hits consecutive evaluation years within the window
};

/// How the watch list is ordered (most at risk first).
enum class watch_order {
  latest_rank,  // place in the latest year, worst first
  mean_score,   // mean index score over the hit years, lowest first (MOFCOM 2021)
};

/// How a year in which the unit was vetoed counts.
enum class vetoed_year {
  last_place,  // the unit takes last place of its pool: always a hit, and it stands behind every ranked unit
  not_a_hit,   // the year is no hit, and vetoed units are not counted when placing the others
};

struct delisting_rule {
  std::string name;          // e.g. "jiangsu-2021"
  std::string description;
  std::string grouping;      // pooling the ranks come from ("" = all units)
  std::vector<std::string> pools;  // pool labels the rule applies to (empty = every pool)
  int bottom = 3;            // a hit: among the last `bottom` of the pool
  int window = 3;            // evaluation years in the window, ending at the evaluation year watched
  int min_hits = 2;
  hit_pattern pattern = hit_pattern::any;
  watch_order order = watch_order::latest_rank;
  vetoed_year vetoed = vetoed_year::last_place;

  /// Throws schema_error naming the rule and the bad setting.
  void validate() const;
  friend bool operator==(const delisting_rule&, const delisting_rule&) = default;
};

/// A unit on the watch list.
struct watch_entry {
  std::string unit;
  std::string name;
  std::string pool;            // pool label in the evaluation year watched
  std::vector<int> hit_years;  // evaluation years in the bottom, ascending
  std::string rule;
  /// latest_rank: the place in the evaluation year watched (vetoed under last_place:
  /// the number of ranked units of the pool + 1); mean_score: the mean score over the hit years. NaN if unknown.
  double order_value = std::numeric_limits<double>::quiet_NaN();
};

/// The watch list as of `evaluation_year` (window = the `window` evaluation
/// years ending there), by pool label, then most at risk first. Only units present in that year's
/// table, in one of the rule's pools, are listed.
std::vector<watch_entry> delisting_watch(const history& h, const delisting_rule& rule, int evaluation_year);

/// Whether the entry is among the last `bottom` of its pool in `table`
/// (fewer than `bottom` units of the pool placed strictly behind it).
bool in_bottom(const rank_table& table, const rank_entry& entry, const delisting_rule& rule);

/// Built-in rules: "jiangsu-2021", "jiangsu-2013", "mofcom-2021", "zhejiang-2021".
std::vector<std::string> delisting_rule_names();
/// Throws schema_error listing the known names.
delisting_rule builtin_delisting_rule(const std::string& name);

/// Reads one rule object, or an array of them. Unknown keys are errors; every
/// error names `source` and the JSON path.
std::vector<delisting_rule> parse_delisting_rules(std::string_view json_text, const std::string& source = "<string>");
std::string to_json(const delisting_rule& rule);

std::string to_string(hit_pattern p);
std::string to_string(watch_order o);
std::string to_string(vetoed_year v);

}  // namespace parkscore
