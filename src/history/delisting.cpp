#include "parkscore/history/delisting.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <utility>

#include "model/enum_names.hpp"
#include "model/json_cursor.hpp"
#include "model/strict_json.hpp"
#include "parkscore/error.hpp"

namespace parkscore {

namespace {

using detail::json_cursor;
using detail::name_table;

constexpr name_table<hit_pattern, 2> pattern_names{{{hit_pattern::any, "any"},
                                                    {hit_pattern::consecutive, "consecutive"}}};
constexpr name_table<watch_order, 2> order_names{{{watch_order::latest_rank, "latest_rank"},
                                                  {watch_order::mean_score, "mean_score"}}};
constexpr name_table<vetoed_year, 2> vetoed_names{{{vetoed_year::last_place, "last_place"},
                                                   {vetoed_year::not_a_hit, "not_a_hit"}}};

constexpr const char* all_units = "all";  // the all-units grouping in files, as in framework files

// The first bad setting of a rule: (JSON key, message), or empty.
std::pair<std::string, std::string> problem(const delisting_rule& r) {
  if (r.name.empty()) return {"name", "the rule needs a name"};
  if (r.bottom < 1) return {"bottom", fmt::format("must be at least 1, got {}", r.bottom)};
  if (r.window < 1) return {"window", fmt::format("must be at least 1 year, got {}", r.window)};
  if (r.min_hits < 1 || r.min_hits > r.window)
    return {"min_hits", fmt::format("must be between 1 and the window ({}), got {}", r.window, r.min_hits)};
  for (const std::string& p : r.pools)
    if (p.empty()) return {"pools", "a pool label must not be empty"};
  return {};
}

bool applies(const delisting_rule& rule, const std::string& pool) {
  return rule.pools.empty() || std::find(rule.pools.begin(), rule.pools.end(), pool) != rule.pools.end();
}

// Place in the table: the rank, or for a vetoed unit under last_place one behind every ranked unit.
double place(const rank_table& table, const rank_entry& e, const delisting_rule& rule) {
  if (e.ranked()) return e.rank;
  if (!e.vetoed() || rule.vetoed != vetoed_year::last_place) return std::numeric_limits<double>::quiet_NaN();
  double ranked = 0;
  for (const rank_entry& o : table.entries)
    if (o.pool == e.pool && o.ranked()) ++ranked;
  return ranked + 1;
}

bool satisfied(const delisting_rule& rule, const std::vector<bool>& hits) {
  int total = 0, run = 0, best = 0;
  for (bool h : hits) {
    total += h ? 1 : 0;
    run = h ? run + 1 : 0;
    best = std::max(best, run);
  }
  return (rule.pattern == hit_pattern::any ? total : best) >= rule.min_hits;
}

delisting_rule read_rule(const json_cursor& c) {
  c.allow_only({"name", "description", "grouping", "pools", "bottom", "window", "min_hits", "pattern", "order",
                "vetoed_year"});
  for (const char* key : {"name", "grouping", "bottom", "window", "min_hits"})
    if (!c.has(key)) c.fail(fmt::format("missing required key '{}'", key));
  delisting_rule r;
  c.read("name", r.name);
  c.read("description", r.description);
  c.read("grouping", r.grouping);
  if (r.grouping == all_units) r.grouping.clear();
  else if (r.grouping.empty()) c.at("grouping").fail("a grouping column name, or \"all\"");
  if (c.has("pools")) {
    const json_cursor pools = c.at("pools");
    pools.expect_array();
    for (std::size_t i = 0; i < pools.value().size(); ++i) r.pools.push_back(pools.at(i).as_string());
  }
  c.read("bottom", r.bottom);
  c.read("window", r.window);
  c.read("min_hits", r.min_hits);
  c.read("pattern", r.pattern, pattern_names);
  c.read("order", r.order, order_names);
  c.read("vetoed_year", r.vetoed, vetoed_names);
  if (const auto [key, message] = problem(r); !key.empty()) c.at(key).fail(message);
  return r;
}

}  // namespace

void delisting_rule::validate() const {
  if (const auto [key, message] = problem(*this); !key.empty())
    throw schema_error(fmt::format("delisting rule '{}': {}: {}", name, key, message));
}

bool in_bottom(const rank_table& table, const rank_entry& entry, const delisting_rule& rule) {
  const bool vetoed_last = rule.vetoed == vetoed_year::last_place;
  if (entry.vetoed()) return vetoed_last;
  if (!entry.ranked()) return false;
  int behind = 0;
  for (const rank_entry& o : table.entries)
    if (o.pool == entry.pool && ((o.ranked() && o.rank > entry.rank) || (o.vetoed() && vetoed_last))) ++behind;
  return behind < rule.bottom;
}

std::vector<watch_entry> delisting_watch(const history& h, const delisting_rule& rule, int evaluation_year) {
  rule.validate();
  const rank_table& now = h.table(evaluation_year, rule.grouping);
  const int first = evaluation_year - rule.window + 1;
  std::map<int, std::unordered_map<std::string_view, const rank_entry*>> by_unit;   // per year of the window
  for (int y = first; y <= evaluation_year; ++y)
    if (const rank_table* t = h.find(y, rule.grouping)) {
      check_whole_pools(*t, fmt::format("the delisting watch (rule '{}', evaluation year {})", rule.name, y));
      by_unit.emplace(y, unit_index(*t));
    }
  std::vector<watch_entry> out;
  for (const rank_entry& e : now.entries) {
    if (!applies(rule, e.pool)) continue;
    std::vector<bool> hits;
    watch_entry w{e.unit, e.name, e.pool, {}, rule.name, std::numeric_limits<double>::quiet_NaN()};
    double score_sum = 0;
    int scored = 0;
    for (int y = first; y <= evaluation_year; ++y) {
      const rank_table* t = h.find(y, rule.grouping);
      const rank_entry* then = nullptr;
      if (const auto year = by_unit.find(y); year != by_unit.end())
        if (const auto it = year->second.find(e.unit); it != year->second.end()) then = it->second;
      const bool hit = then && applies(rule, then->pool) && in_bottom(*t, *then, rule);
      hits.push_back(hit);
      if (!hit) continue;
      w.hit_years.push_back(y);
      if (!std::isnan(then->score)) {
        score_sum += then->score;
        ++scored;
      }
    }
    if (!satisfied(rule, hits)) continue;
    if (rule.order == watch_order::latest_rank)
      w.order_value = place(now, e, rule);
    else if (scored > 0)
      w.order_value = score_sum / scored;
    out.push_back(std::move(w));
  }
  const bool worst_is_high = rule.order == watch_order::latest_rank;
  std::sort(out.begin(), out.end(), [&](const watch_entry& a, const watch_entry& b) {
    if (a.pool != b.pool) return a.pool < b.pool;  // places of different pools are not comparable
    const bool na = std::isnan(a.order_value), nb = std::isnan(b.order_value);
    if (na != nb) return nb;  // unknown order values last
    if (!na && a.order_value != b.order_value)
      return worst_is_high ? a.order_value > b.order_value : a.order_value < b.order_value;
    return a.unit < b.unit;
  });
  return out;
}

std::vector<std::string> delisting_rule_names() { return {"jiangsu-2021", "jiangsu-2013", "mofcom-2021", "zhejiang-2021"}; }

delisting_rule builtin_delisting_rule(const std::string& name) {
  delisting_rule r;
  r.name = name;
  if (name == "jiangsu-2021") {
    r.description = "Jiangsu 2021 (苏政办发〔2021〕10号, as reported): a provincial zone in the last 3 of the "
                    "provincial pool in at least 2 of 3 consecutive years is delisted";
    r.grouping = "level";
    r.pools = {"provincial"};
    r.bottom = 3, r.window = 3, r.min_hits = 2;
  } else if (name == "jiangsu-2013") {
    r.description = "Jiangsu 2013 (as reported): last 2 of the provincial pool in 2 consecutive years";
    r.grouping = "level";
    r.pools = {"provincial"};
    r.bottom = 2, r.window = 2, r.min_hits = 2, r.pattern = hit_pattern::consecutive;
  } else if (name == "mofcom-2021") {
    r.description = "MOFCOM 2021 national ETDZs (as reported): last 5 of its region at least twice within 3 "
                    "consecutive years; candidates ordered by the mean score of those evaluations";
    r.grouping = "region";
    r.bottom = 5, r.window = 3, r.min_hits = 2, r.order = watch_order::mean_score;
  } else if (name == "zhejiang-2021") {
    r.description = "Zhejiang 2021 (as reported): bottom 5 of its pool 3 years running";
    r.grouping = "level";
    r.bottom = 5, r.window = 3, r.min_hits = 3, r.pattern = hit_pattern::consecutive;
  } else {
    throw schema_error(fmt::format("unknown delisting rule '{}' (built-in rules: {})", name,
                                   fmt::join(delisting_rule_names(), ", ")));
  }
  return r;
}

std::vector<delisting_rule> parse_delisting_rules(std::string_view json_text, const std::string& source) {
  const nlohmann::json doc = detail::parse_json_strictly(json_text, source);   // duplicate keys, depth, line:column
  const json_cursor root(doc, source);
  std::vector<delisting_rule> out;
  if (!doc.is_array()) return {read_rule(root)};
  for (std::size_t i = 0; i < doc.size(); ++i) out.push_back(read_rule(root.at(i)));
  return out;
}

std::string to_json(const delisting_rule& rule) {
  nlohmann::ordered_json j;
  j["name"] = rule.name;
  if (!rule.description.empty()) j["description"] = rule.description;
  j["grouping"] = rule.grouping.empty() ? all_units : rule.grouping;
  if (!rule.pools.empty()) j["pools"] = rule.pools;
  j["bottom"] = rule.bottom;
  j["window"] = rule.window;
  j["min_hits"] = rule.min_hits;
  j["pattern"] = to_string(rule.pattern);
  j["order"] = to_string(rule.order);
  j["vetoed_year"] = to_string(rule.vetoed);
  return j.dump(2);
}

std::string to_string(hit_pattern p) { return detail::name_of(pattern_names, p); }
std::string to_string(watch_order o) { return detail::name_of(order_names, o); }
std::string to_string(vetoed_year v) { return detail::name_of(vetoed_names, v); }

}  // namespace parkscore
