#include "parkscore/history/history.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <set>

#include "parkscore/error.hpp"
#include "model/missing_value.hpp"

namespace parkscore {

namespace {

std::string grouping_name(const std::string& grouping) { return grouping.empty() ? "all units" : grouping; }

}  // namespace

std::unordered_map<std::string_view, const rank_entry*> unit_index(const rank_table& table) {
  std::unordered_map<std::string_view, const rank_entry*> index;
  index.reserve(table.entries.size());
  for (const rank_entry& e : table.entries)
    if (!index.emplace(e.unit, &e).second)
      throw data_error(fmt::format("rank changes: unit '{}' appears twice in the {} table ({})", e.unit,
                                   table.evaluation_year, grouping_name(table.grouping)));
  return index;
}

void check_whole_pools(const rank_table& table, std::string_view use) {
  if (table.source.empty()) return;
  std::map<std::string_view, std::size_t> ranked;   // pool label -> ranked units in the table
  for (const rank_entry& e : table.entries)
    if (e.ranked()) ++ranked[e.pool];
  for (std::size_t r = 0; r < table.entries.size(); ++r) {
    const rank_entry& e = table.entries[r];
    if (!e.ranked()) continue;
    const std::size_t bound = ranked[e.pool];
    if (e.rank <= static_cast<double>(bound)) continue;
    const std::string where = r < table.lines.size() ? fmt::format("{}:{}", table.source, table.lines[r])
                                                      : fmt::format("{} (entry {})", table.source, r + 1);
    throw data_error(fmt::format("{}: unit '{}': rank {:g} is beyond the {} ranked unit{} of pool '{}' in this file; "
                                 "{} needs the whole ranking of the pool (ranks 1 to {}), not an excerpt",
                                 where, e.unit, e.rank, bound, bound == 1 ? "" : "s", e.pool, use, bound));
  }
}

bool rank_entry::ranked() const { return !std::isnan(rank); }

const rank_entry* rank_table::find(const std::string& unit) const {
  for (const rank_entry& e : entries)
    if (e.unit == unit) return &e;
  return nullptr;
}

rank_table make_rank_table(const result& r, const rank_table_options& options) {
  const pool_result& pool = r.pool(options.grouping);
  const int node = options.node.empty() ? 0 : r.model->index_of(options.node);
  rank_table t;
  t.data_year = options.data_year;
  t.evaluation_year = options.years.evaluation_year(options.data_year);
  t.grouping = options.grouping;
  t.entries.reserve(r.unit_ids.size());
  const Eigen::VectorXd ranks = r.ranks_of(pool, node);
  for (std::size_t i = 0; i < r.unit_ids.size(); ++i) {
    const auto row = static_cast<Eigen::Index>(i);
    rank_entry e{r.unit_ids[i], r.unit_names[i], pool.labels[i], ranks[row], pool.scores(row, pool.column(node)), ""};
    if (auto it = r.excluded.find(e.unit); it != r.excluded.end()) e.veto_reason = it->second;
    t.entries.push_back(std::move(e));
  }
  return t;
}

void history::add(rank_table table) {
  const auto key = std::make_pair(table.evaluation_year, table.grouping);
  if (tables_.count(key))
    throw data_error(fmt::format("history: evaluation year {} ({}) is already present", table.evaluation_year,
                                 grouping_name(table.grouping)));
  tables_.emplace(key, std::move(table));
}

void history::add(const result& r, int data_year, const year_convention& years) {
  for (const pool_result& p : r.pools) add(make_rank_table(r, {p.grouping, "", data_year, years}));
}

const rank_table* history::find(int evaluation_year, const std::string& grouping) const {
  const auto it = tables_.find({evaluation_year, grouping});
  return it == tables_.end() ? nullptr : &it->second;
}

const rank_table& history::table(int evaluation_year, const std::string& grouping) const {
  if (const rank_table* t = find(evaluation_year, grouping)) return *t;
  throw data_error(
      fmt::format("history: no evaluation year {} ({})", evaluation_year, grouping_name(grouping)));
}

std::vector<int> history::evaluation_years() const {
  std::vector<int> out;
  for (const auto& [key, t] : tables_)
    if (out.empty() || out.back() != key.first) out.push_back(key.first);
  return out;
}

std::vector<rank_change> rank_changes(const rank_table& previous, const rank_table& current) {
  if (previous.grouping != current.grouping)
    throw data_error(fmt::format("rank changes: groupings differ ({} in {}, {} in {})",
                                 grouping_name(previous.grouping), previous.evaluation_year,
                                 grouping_name(current.grouping), current.evaluation_year));
  const auto before_of = unit_index(previous);
  unit_index(current);   // duplicates are an error in either table
  // The previous year may be an excerpt (each unit's own rank is all a change needs); the current
  // year decides what left the ranking, so it must hold its whole pools.
  check_whole_pools(current, "the current year of a rank comparison");
  std::vector<rank_change> out;
  out.reserve(current.entries.size());
  for (const rank_entry& e : current.entries) {
    rank_change c{e.unit, e.name, e.pool, rank_change_status::moved, nan, e.rank, nan};
    const auto found = before_of.find(e.unit);
    const rank_entry* before = found == before_of.end() ? nullptr : found->second;
    if (before && before->pool == e.pool) c.previous = before->rank;
    if (e.vetoed())
      c.status = rank_change_status::vetoed;
    else if (!e.ranked())
      c.status = rank_change_status::unranked;
    else if (!before || before->pool != e.pool)
      c.status = rank_change_status::new_entrant;
    else if (!before->ranked())
      c.status = rank_change_status::no_previous_rank;
    else
      c.change = before->rank - e.rank;
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<rank_change> rank_changes(const history& h, int evaluation_year, const std::string& grouping) {
  const rank_table& current = h.table(evaluation_year, grouping);
  if (const rank_table* previous = h.find(evaluation_year - 1, grouping)) return rank_changes(*previous, current);
  rank_table none;
  none.data_year = current.data_year - 1;
  none.evaluation_year = evaluation_year - 1;
  none.grouping = grouping;
  std::vector<rank_change> out = rank_changes(none, current);
  for (rank_change& c : out)
    if (c.status == rank_change_status::new_entrant) c.status = rank_change_status::no_previous_rank;
  return out;
}

std::string format_change(const rank_change& c) {
  switch (c.status) {
    case rank_change_status::moved:
      if (c.change > 0) return fmt::format("↑{:g}", c.change);
      if (c.change < 0) return fmt::format("↓{:g}", -c.change);
      return "–";
    case rank_change_status::new_entrant: return "new";
    default: return "n/a";
  }
}

std::string to_string(rank_change_status s) {
  switch (s) {
    case rank_change_status::moved: return "moved";
    case rank_change_status::new_entrant: return "new_entrant";
    case rank_change_status::no_previous_rank: return "no_previous_rank";
    case rank_change_status::vetoed: return "vetoed";
    case rank_change_status::unranked: return "unranked";
  }
  return "?";
}

std::map<int, dataset> split_years(const csv_table& table, const std::string& year_column, const wide_layout& layout) {
  const std::size_t year_col = table.column(year_column);
  std::map<int, csv_table> parts;
  for (std::size_t r = 0; r < table.row_count(); ++r) {
    const std::string where =
        fmt::format("{}:{}: column '{}' (column {})", table.source, table.line(r), year_column, year_col + 1);
    const double y = parse_cell(table.cell(r, year_col), where);
    if (std::isnan(y) || y != std::floor(y) || std::abs(y) > 1e6)
      throw data_error(fmt::format("{}: the year must be a whole number, got '{}'", where, table.cell(r, year_col)));
    const int year = static_cast<int>(y);
    auto [it, fresh] = parts.try_emplace(year);
    csv_table& part = it->second;
    if (fresh) {
      part.source = fmt::format("{} ({} {})", table.source, year_column, year);
      for (std::size_t c = 0; c < table.header.size(); ++c)
        if (c != year_col) part.header.push_back(table.header[c]);
    }
    std::vector<std::string_view> row;
    row.reserve(table.header.size() - 1);
    for (std::size_t c = 0; c < table.header.size(); ++c)
      if (c != year_col) row.push_back(table.cell(r, c));
    part.add_row(row, table.line(r));
  }
  std::map<int, dataset> out;
  for (const auto& [year, part] : parts) {
    dataset d = read_wide(part, layout);
    d.period = std::to_string(year);
    d.source = part.source;
    out.emplace(year, std::move(d));
  }
  return out;
}

}  // namespace parkscore
