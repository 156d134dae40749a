#include "parkscore/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>

#include "parkscore/error.hpp"
#include "report_json.hpp"

namespace parkscore {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

std::string number_or_empty(double x) { return std::isnan(x) ? "" : fmt::format("{:g}", x); }

std::vector<rank_move> movers(const rank_comparison& c, std::size_t count, int sign) {
  std::vector<rank_move> out;
  for (const rank_move& ch : c.changes)
    if (ch.change && *ch.change * sign > 0) out.push_back(ch);
  std::stable_sort(out.begin(), out.end(), [&](const rank_move& a, const rank_move& b) {
    if (*a.change != *b.change) return *a.change * sign > *b.change * sign;
    return a.current_rank < b.current_rank;
  });
  if (out.size() > count) out.resize(count);
  return out;
}

std::string mover_list(const std::vector<rank_move>& v) {
  std::vector<std::string> parts;
  for (const rank_move& ch : v) parts.push_back(fmt::format("{} {} {}", ch.id, ch.name, ch.label()));
  return parts.empty() ? std::string("none") : fmt::format("{}", fmt::join(parts, "; "));
}

}  // namespace

bool rank_move::is_new() const { return !std::isnan(current_rank) && std::isnan(previous_rank); }

std::string rank_move::label() const {
  if (std::isnan(current_rank)) return "unranked";
  if (!change) return "new";
  if (*change == 0) return "=";
  return fmt::format("{}{:g}", *change > 0 ? "↑" : "↓", std::abs(*change));
}

std::vector<rank_move> rank_comparison::movers_up(std::size_t count) const { return movers(*this, count, +1); }
std::vector<rank_move> rank_comparison::movers_down(std::size_t count) const { return movers(*this, count, -1); }

rank_comparison compare_ranks(const std::vector<ranked_unit>& previous, const std::vector<ranked_unit>& current) {
  std::map<std::pair<std::string, std::string>, const ranked_unit*> before;   // (pool, id) -> unit
  for (const ranked_unit& u : previous)
    if (!before.emplace(std::pair{u.pool, u.id}, &u).second)
      throw data_error(fmt::format("unit '{}' appears twice in pool '{}' of the previous ranking", u.id, u.pool));
  rank_comparison out;
  std::map<std::pair<std::string, std::string>, bool> seen;
  for (const ranked_unit& u : current) {
    if (!seen.emplace(std::pair{u.pool, u.id}, true).second)
      throw data_error(fmt::format("unit '{}' appears twice in pool '{}' of the current ranking", u.id, u.pool));
    rank_move ch{u.id, u.name, u.pool, nan, u.rank, std::nullopt};
    if (auto it = before.find({u.pool, u.id}); it != before.end()) ch.previous_rank = it->second->rank;
    if (!std::isnan(ch.previous_rank) && !std::isnan(ch.current_rank)) ch.change = ch.previous_rank - ch.current_rank;
    out.changes.push_back(std::move(ch));
  }
  for (const ranked_unit& u : previous)
    if (!std::isnan(u.rank) && !seen.count({u.pool, u.id})) out.dropped.push_back(u);
  return out;
}

std::vector<ranked_unit> ranked_units(const result& r, const std::string& grouping, const std::string& node_id) {
  const report rep = make_report(r, {grouping, 0, 0, 2});
  const pool_result& pool = r.pool(grouping);
  const int node = node_id.empty() ? 0 : r.model.index_of(node_id);
  std::vector<ranked_unit> out;
  for (const report_row& row : rep.rows)
    out.push_back({row.unit_id, row.unit_name, row.pool,
                   pool.ranks(static_cast<Eigen::Index>(r.unit_index(row.unit_id)), node)});
  return out;
}

std::vector<ranked_unit> ranked_units(const csv_table& table) {
  const std::size_t id = table.column("id");
  const std::size_t rank = table.column("rank");
  const auto name = table.find_column("name");
  const auto pool = table.find_column("pool");
  std::vector<ranked_unit> out;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    const double value =
        parse_cell(row[rank], fmt::format("{}:{}: column 'rank' (column {}), unit '{}'", table.source, table.lines[r],
                                          rank + 1, row[id]));
    out.push_back({row[id], name ? row[*name] : row[id], pool ? row[*pool] : "all", value});
  }
  return out;
}

std::string format_comparison(const rank_comparison& c, report_format format, std::size_t count) {
  const auto up = c.movers_up(count);
  const auto down = c.movers_down(count);
  if (format == report_format::json) {
    auto entry = [](const rank_move& ch) {
      return nlohmann::ordered_json{{"pool", ch.pool},
                                    {"id", ch.id},
                                    {"name", ch.name},
                                    {"previous_rank", detail::json_number(ch.previous_rank)},
                                    {"rank", detail::json_number(ch.current_rank)},
                                    {"change", ch.change ? nlohmann::ordered_json(*ch.change) : nullptr},
                                    {"label", ch.label()}};
    };
    nlohmann::ordered_json j;
    for (const char* key : {"changes", "movers_up", "movers_down", "dropped"}) j[key] = nlohmann::ordered_json::array();
    for (const rank_move& ch : c.changes) j["changes"].push_back(entry(ch));
    for (const rank_move& ch : up) j["movers_up"].push_back(entry(ch));
    for (const rank_move& ch : down) j["movers_down"].push_back(entry(ch));
    for (const ranked_unit& u : c.dropped)
      j["dropped"].push_back({{"pool", u.pool}, {"id", u.id}, {"name", u.name}, {"previous_rank", u.rank}});
    return j.dump(2) + "\n";
  }
  const bool machine = format == report_format::csv;
  const bool show_pool =
      machine || std::any_of(c.changes.begin(), c.changes.end(), [](const rank_move& ch) { return ch.pool != "all"; });
  std::vector<std::string> header = machine ? std::vector<std::string>{"rank", "previous_rank", "change", "id", "name"}
                                            : std::vector<std::string>{"Rank", "Previous", "Change", "ID", "Name"};
  if (show_pool) header.insert(header.begin(), machine ? "pool" : "Pool");
  std::vector<bool> numeric(header.size(), false);
  for (std::size_t k = 0; k < 3; ++k) numeric[k + (show_pool ? 1 : 0)] = true;
  std::vector<std::vector<std::string>> rows;
  auto add_row = [&](const std::string& pool, double rank, double previous, const std::string& label,
                     const std::string& id, const std::string& name) {
    std::vector<std::string> cells;
    if (show_pool) cells.push_back(pool);
    cells.insert(cells.end(), {machine ? number_or_empty(rank) : (std::isnan(rank) ? "-" : fmt::format("{:g}", rank)),
                               machine ? number_or_empty(previous)
                                       : (std::isnan(previous) ? "-" : fmt::format("{:g}", previous)),
                               label, id, name});
    rows.push_back(std::move(cells));
  };
  for (const rank_move& ch : c.changes)
    add_row(ch.pool, ch.current_rank, ch.previous_rank, ch.label(), ch.id, ch.name);
  if (machine) {
    for (const ranked_unit& u : c.dropped) add_row(u.pool, nan, u.rank, "left", u.id, u.name);
    return detail::render_table(header, rows, numeric, format);
  }
  std::string out = detail::render_table(header, rows, numeric, format);
  std::vector<std::string> left;
  for (const ranked_unit& u : c.dropped) left.push_back(fmt::format("{} {} (was {:g})", u.id, u.name, u.rank));
  const std::string bullet = format == report_format::markdown ? "- " : "";
  out += fmt::format("\n{}Movers up: {}\n{}Movers down: {}\n{}Left the ranking: {}\n", bullet, mover_list(up), bullet,
                     mover_list(down), bullet, left.empty() ? std::string("none") : fmt::format("{}", fmt::join(left, "; ")));
  return out;
}

}  // namespace parkscore
