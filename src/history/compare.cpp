#include "parkscore/history/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "parkscore/error.hpp"
#include "report/report_json.hpp"
#include "model/missing_value.hpp"

namespace parkscore {

namespace {

std::string number_or_empty(double x) { return std::isnan(x) ? "" : fmt::format("{:g}", x); }
std::string number_or_dash(double x) { return std::isnan(x) ? "-" : fmt::format("{:g}", x); }

std::vector<rank_change> movers(const rank_comparison& c, std::size_t count, int sign) {
  std::vector<rank_change> out;
  for (const rank_change& ch : c.changes)
    if (ch.status == rank_change_status::moved && ch.change * sign > 0) out.push_back(ch);
  std::stable_sort(out.begin(), out.end(), [&](const rank_change& a, const rank_change& b) {
    if (a.change != b.change) return a.change * sign > b.change * sign;
    return a.current < b.current;
  });
  if (out.size() > count) out.resize(count);
  return out;
}

std::string mover_list(const std::vector<rank_change>& v) {
  std::vector<std::string> parts;
  for (const rank_change& ch : v) parts.push_back(fmt::format("{} {} {}", ch.unit, ch.name, format_change(ch)));
  return parts.empty() ? std::string("none") : fmt::format("{}", fmt::join(parts, "; "));
}

// Orders the changes like a report and lists the units that left their pool's ranking.
rank_comparison finish(std::vector<rank_change> changes, const rank_table* previous, const rank_table& current) {
  rank_comparison out;
  out.changes = std::move(changes);
  std::map<std::string, std::size_t> pool_order;   // pool label -> first appearance in `current`
  for (const rank_entry& e : current.entries) pool_order.emplace(e.pool, pool_order.size());
  std::stable_sort(out.changes.begin(), out.changes.end(), [&](const rank_change& a, const rank_change& b) {
    if (a.pool != b.pool) return pool_order.at(a.pool) < pool_order.at(b.pool);
    if (std::isnan(a.current) || std::isnan(b.current)) return !std::isnan(a.current) && std::isnan(b.current);
    return a.current < b.current;
  });
  if (previous) {
    const auto now_of = unit_index(current);
    for (const rank_entry& e : previous->entries) {
      const auto now = now_of.find(e.unit);
      if (e.ranked() && (now == now_of.end() || now->second->pool != e.pool)) out.dropped.push_back(e);
    }
  }
  return out;
}

}  // namespace

std::vector<rank_change> rank_comparison::movers_up(std::size_t count) const { return movers(*this, count, +1); }
std::vector<rank_change> rank_comparison::movers_down(std::size_t count) const { return movers(*this, count, -1); }

rank_comparison compare_ranks(const rank_table& previous, const rank_table& current) {
  return finish(rank_changes(previous, current), &previous, current);
}

rank_comparison compare_ranks(const history& h, int evaluation_year, const std::string& grouping) {
  return finish(rank_changes(h, evaluation_year, grouping), h.find(evaluation_year - 1, grouping),
                h.table(evaluation_year, grouping));
}

namespace {
// A rank read back must be one a ranking can produce: a whole number from 1 to
// 10^7 (empty = unranked), once per unit. Anything else (-3, 2.5,
// 1e308) would otherwise become a rank change such as "↓1e+308". The file alone
// cannot bound a rank by its pool (an excerpt holds rank 14 among five rows):
// check_whole_pools does where the whole pool matters (history.hpp).
void check_ranks(const csv_table& table, std::size_t id_column, std::size_t rank_column, const rank_table& t) {
  std::map<std::string, std::size_t> first_line;
  for (std::size_t r = 0; r < t.entries.size(); ++r) {
    const rank_entry& e = t.entries[r];
    if (const auto [it, fresh] = first_line.emplace(e.unit, table.line(r)); !fresh)
      throw data_error(fmt::format("{}:{}: column '{}' (column {}): unit '{}' appears twice (first on line {})",
                                   table.source, table.line(r), table.header[id_column], id_column + 1, e.unit,
                                   it->second));
  }
  for (std::size_t r = 0; r < t.entries.size(); ++r) {
    const rank_entry& e = t.entries[r];
    if (!e.ranked()) continue;
    // A file may be an excerpt of a larger ranking (rank 14 among five rows), so the bound is the
    // size of any real pool rather than the rows of this file.
    constexpr double max_rank = 1e7;
    if (e.rank >= 1 && e.rank <= max_rank && e.rank == std::floor(e.rank)) continue;
    throw data_error(fmt::format("{}:{}: column 'rank' (column {}), unit '{}': the rank must be a whole number "
                                 "from 1 to {:g} (pool '{}'), got '{}'",
                                 table.source, table.line(r), rank_column + 1, e.unit, max_rank, e.pool,
                                 table.cell(r, rank_column)));
  }
}
}  // namespace

rank_table read_rank_table(const csv_table& table, const rank_table_options& options) {
  const std::size_t id = table.column("id");
  const std::size_t rank = table.column("rank");
  const auto name = table.find_column("name");
  const auto pool = table.find_column("pool");
  const auto excluded = table.find_column("excluded");
  std::optional<std::size_t> score;
  if (name && *name + 1 < table.header.size() && *name + 1 != excluded) score = *name + 1;
  rank_table out;
  out.data_year = options.data_year;
  out.evaluation_year = options.years.evaluation_year(options.data_year);
  out.grouping = options.grouping;
  out.source = table.source;
  for (std::size_t r = 0; r < table.row_count(); ++r) {
    out.lines.push_back(table.line(r));
    const auto row = [&](std::size_t c) { return std::string(table.cell(r, c)); };
    const auto cell = [&](std::size_t c) {
      return parse_cell(row(c), fmt::format("{}:{}: column '{}' (column {}), unit '{}'", table.source,
                                            table.line(r), table.header[c], c + 1, row(id)));
    };
    out.entries.push_back({row(id), name ? row(*name) : row(id), pool ? row(*pool) : "all", cell(rank),
                           score ? cell(*score) : nan, excluded ? row(*excluded) : ""});
  }
  check_ranks(table, id, rank, out);
  return out;
}

void add_changes(report& rep, const std::vector<rank_change>& changes) {
  std::map<std::string, const rank_change*> by_unit;
  for (const rank_change& c : changes) by_unit.emplace(c.unit, &c);
  for (report_row& row : rep.rows)
    if (auto it = by_unit.find(row.unit_id); it != by_unit.end()) row.change = format_change(*it->second);
}

std::string format_comparison(const rank_comparison& c, report_format format, std::size_t count) {
  const auto up = c.movers_up(count);
  const auto down = c.movers_down(count);
  if (format == report_format::json) {
    auto entry = [](const rank_change& ch) {
      return nlohmann::ordered_json{{"pool", ch.pool},
                                    {"id", ch.unit},
                                    {"name", ch.name},
                                    {"previous_rank", detail::json_number(ch.previous)},
                                    {"rank", detail::json_number(ch.current)},
                                    {"change", detail::json_number(ch.change)},
                                    {"status", to_string(ch.status)},
                                    {"label", format_change(ch)}};
    };
    nlohmann::ordered_json j;
    for (const char* key : {"changes", "movers_up", "movers_down", "dropped"}) j[key] = nlohmann::ordered_json::array();
    for (const rank_change& ch : c.changes) j["changes"].push_back(entry(ch));
    for (const rank_change& ch : up) j["movers_up"].push_back(entry(ch));
    for (const rank_change& ch : down) j["movers_down"].push_back(entry(ch));
    for (const rank_entry& e : c.dropped)
      j["dropped"].push_back({{"pool", e.pool}, {"id", e.unit}, {"name", e.name}, {"previous_rank", e.rank}});
    return j.dump(2) + "\n";
  }
  const bool machine = format == report_format::csv;
  const bool show_pool = machine || std::any_of(c.changes.begin(), c.changes.end(),
                                                [](const rank_change& ch) { return ch.pool != "all"; });
  std::vector<std::string> header = machine ? std::vector<std::string>{"rank", "previous_rank", "change", "id", "name"}
                                            : std::vector<std::string>{"Rank", "Previous", "Change", "ID", "Name"};
  if (show_pool) header.insert(header.begin(), machine ? "pool" : "Pool");
  std::vector<bool> numeric(header.size(), false);
  for (std::size_t k = 0; k < 3; ++k) numeric[k + (show_pool ? 1 : 0)] = true;
  const auto number = machine ? number_or_empty : number_or_dash;
  std::vector<std::vector<std::string>> rows;
  auto add_row = [&](const std::string& pool, double rank, double previous, const std::string& label,
                     const std::string& id, const std::string& name) {
    std::vector<std::string> cells;
    if (show_pool) cells.push_back(pool);
    cells.insert(cells.end(), {number(rank), number(previous), label, id, name});
    rows.push_back(std::move(cells));
  };
  for (const rank_change& ch : c.changes) add_row(ch.pool, ch.current, ch.previous, format_change(ch), ch.unit, ch.name);
  if (machine) {
    for (const rank_entry& e : c.dropped) add_row(e.pool, nan, e.rank, "left", e.unit, e.name);
    return detail::render_table(header, rows, numeric, format);
  }
  std::string out = detail::render_table(header, rows, numeric, format);
  std::vector<std::string> left;
  for (const rank_entry& e : c.dropped) left.push_back(fmt::format("{} {} (was {:g})", e.unit, e.name, e.rank));
  const std::string bullet = format == report_format::markdown ? "- " : "";
  out += fmt::format("\n{}Movers up: {}\n{}Movers down: {}\n{}Left the ranking: {}\n", bullet, mover_list(up), bullet,
                     mover_list(down), bullet, left.empty() ? std::string("none") : fmt::format("{}", fmt::join(left, "; ")));
  return out;
}

}  // namespace parkscore
