#include "parkscore/report/explain.hpp"

#include "report/node_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "parkscore/error.hpp"
#include "parkscore/prepare/prepare.hpp"
#include "parkscore/report/explain.hpp"
#include "parkscore/methods/stats.hpp"
#include "model/missing_value.hpp"

namespace parkscore {

using detail::depth_first;
using detail::display_name;

namespace {


// The normalised value of full marks, where the method has one.
double full_marks(const normalisation& n) {
  switch (n.method) {
    case normalisation_method::min_max:
    case normalisation_method::goalposts:
    case normalisation_method::distance_to_target:
    case normalisation_method::ratio_to_max: return n.hi;
    case normalisation_method::ratio_to_benchmark: return n.cap ? n.hi * *n.cap : nan;
    case normalisation_method::efficacy:
    case normalisation_method::efficacy_anchored: return n.d0 + n.c;
    case normalisation_method::percentile_rank: return 100.0;
    case normalisation_method::rank_tier: {
      double best = nan;
      for (const rank_tier& t : n.tiers) best = std::isnan(best) ? t.score : std::max(best, t.score);
      return best;
    }
    default: return nan;
  }
}


// The pool's ranked units.
std::vector<std::size_t> ranked_members(const result& r, const pool_result& pool, const std::string& label) {
  std::vector<std::size_t> out;
  for (std::size_t m : pool.members_of(label))
    if (!r.excluded.count(r.unit_ids[m])) out.push_back(m);
  return out;
}

// The ranked unit just above u on the index: the largest rank better than u's
// (for an unranked unit: the lowest score above its own).
std::optional<std::size_t> unit_above(const pool_result& pool, const std::vector<std::size_t>& members, std::size_t u) {
  const auto row = static_cast<Eigen::Index>(u);
  const double rank = pool.index_rank(row), score = pool.scores(row, 0);
  std::optional<std::size_t> best;
  for (std::size_t m : members) {
    if (m == u) continue;
    const auto mr = static_cast<Eigen::Index>(m);
    if (!std::isnan(rank)) {
      if (pool.index_rank(mr) < rank && (!best || pool.index_rank(mr) > pool.index_rank(static_cast<Eigen::Index>(*best))))
        best = m;
    } else if (pool.scores(mr, 0) > score &&
               (!best || pool.scores(mr, 0) < pool.scores(static_cast<Eigen::Index>(*best), 0))) {
      best = m;
    }
  }
  return best;
}

}  // namespace

namespace detail {

value_tables raw_and_used(const result& r, const dataset& data, const std::string& grouping, const dataset* previous) {
  return raw_and_used(r, prepare_units(r.model, data, previous), grouping);
}

value_tables raw_and_used(const result& r, const prepared_units& units, const std::string& grouping) {
  const std::vector<std::string> ids = r.model->indicator_ids();
  const auto n = static_cast<Eigen::Index>(r.unit_ids.size());
  value_tables out{Eigen::MatrixXd(n, static_cast<Eigen::Index>(ids.size())), {}};
  if (units.data.unit_ids() != r.unit_ids)
    throw data_error("the dataset is not the one the result was evaluated from (the units differ)");
  for (std::size_t j = 0; j < ids.size(); ++j)
    out.raw.col(static_cast<Eigen::Index>(j)) =
        units.data.values().col(static_cast<Eigen::Index>(units.data.indicator_index(ids[j])));
  std::vector<bool> reference(r.unit_ids.size());
  for (std::size_t u = 0; u < reference.size(); ++u) reference[u] = !r.excluded.count(r.unit_ids[u]);
  out.used = prepare_pooling(r.model, units, {grouping, reference}).values;
  return out;
}

}  // namespace detail

std::size_t find_unit(const result& r, const std::string& id_or_name) {
  for (std::size_t i = 0; i < r.unit_ids.size(); ++i)
    if (r.unit_ids[i] == id_or_name) return i;
  std::vector<std::size_t> named;
  for (std::size_t i = 0; i < r.unit_names.size(); ++i)
    if (r.unit_names[i] == id_or_name) named.push_back(i);
  if (named.size() == 1) return named.front();
  if (named.empty()) throw data_error(fmt::format("no unit with id or name '{}'", id_or_name));
  std::vector<std::string> ids;
  for (std::size_t i : named) ids.push_back(r.unit_ids[i]);
  throw data_error(fmt::format("the name '{}' belongs to {} units ({}): give the id", id_or_name, ids.size(),
                               fmt::join(ids, ", ")));
}

explanation explain(const result& r, const dataset& data, const std::string& unit, const explain_options& options) {
  const framework& fw = r.model;
  const std::size_t u = find_unit(r, unit);
  const auto row = static_cast<Eigen::Index>(u);
  const pool_result& pool = r.pool(options.grouping);
  pool.require_every_node("an explanation", true);
  const contribution_table table = contributions(r, options.grouping);
  const detail::value_tables values = detail::raw_and_used(r, data, options.grouping, options.previous);

  explanation e;
  e.unit_id = r.unit_ids[u];
  e.unit_name = r.unit_names[u];
  e.grouping = options.grouping;
  e.pool = pool.labels[u];
  if (auto it = r.excluded.find(e.unit_id); it != r.excluded.end()) e.excluded = it->second;
  e.veto = r.rule(u).veto;
  const std::vector<std::size_t> members = ranked_members(r, pool, e.pool);
  e.pool_size = members.size();
  e.score = pool.scores(row, 0);
  e.rank = pool.index_rank(row);
  const std::optional<std::size_t> above = unit_above(pool, members, u);
  if (above) {
    e.above_id = r.unit_ids[*above];
    e.above_name = r.unit_names[*above];
  }
  e.scale = table.scale;
  e.scale_note = table.reason;
  e.rescaling = table.rescaling[row];
  e.adjustment = table.adjustment[row];
  const auto arow = above ? static_cast<Eigen::Index>(*above) : Eigen::Index{-1};

  for (std::size_t j = 0; j < fw.indicators().size(); ++j) {
    const int k = fw.indicators()[j];
    const node& ind = fw.at(k);
    const auto col = static_cast<Eigen::Index>(j);
    indicator_account a;
    a.id = ind.id;
    a.name = display_name(ind);
    a.parent = fw.at(ind.parent).id;
    a.raw = values.raw(row, col);
    a.used = values.used(row, col);
    a.imputed = std::isnan(a.raw) && !std::isnan(a.used);
    a.treated = !std::isnan(a.raw) && !std::isnan(a.used) && a.raw != a.used;
    a.normalised = pool.normalised(row, col);
    std::vector<double> v;
    std::size_t better = 0;
    for (std::size_t m : members) {
      const double x = pool.normalised(static_cast<Eigen::Index>(m), col);
      if (std::isnan(x)) continue;
      v.push_back(x);
      if (x > a.normalised) ++better;
    }
    a.pool_best = v.empty() ? nan : *std::max_element(v.begin(), v.end());
    a.pool_median = nan_median(as_vector(v));
    a.pool_size = v.size();
    a.rank = std::isnan(a.normalised) ? nan : static_cast<double>(better + 1);
    a.points = table.node(row, k);
    const double factor = table.factor(row, k);
    a.maximum = factor * full_marks(ind.norm);
    a.lost = factor * (a.pool_best - a.normalised);
    a.above_raw = arow < 0 ? nan : values.raw(arow, col);
    a.above_normalised = arow < 0 ? nan : pool.normalised(arow, col);
    a.above_points = arow < 0 ? nan : table.node(arow, k);
    e.indicators.push_back(std::move(a));
  }

  for (const auto& [k, depth] : depth_first(fw)) {
    const node& nd = fw.at(k);
    if (nd.is_indicator()) continue;
    node_account a;
    a.id = nd.id;
    a.name = display_name(nd);
    a.depth = depth;
    a.score = pool.scores(row, k);
    a.rank = r.ranks_of(pool, k)[row];
    std::vector<double> shown, mean;
    for (std::size_t m : members) {
      const auto mr = static_cast<Eigen::Index>(m);
      if (!std::isnan(pool.scores(mr, k))) shown.push_back(pool.scores(mr, k));
      if (!std::isnan(table.mean_score.size() ? table.mean_score(mr, k) : nan)) mean.push_back(table.mean_score(mr, k));
    }
    a.pool_best = shown.empty() ? nan : *std::max_element(shown.begin(), shown.end());
    a.pool_median = nan_median(as_vector(shown));
    a.above_score = arow < 0 ? nan : pool.scores(arow, k);
    a.points = table.node(row, k);
    a.maximum = 0;
    for (const indicator_account& ia : e.indicators) {
      int p = fw.index_of(ia.id);
      while (p > 0 && p != k) p = fw.at(p).parent;
      if (p == k && !std::isnan(ia.normalised)) a.maximum += ia.maximum;   // missing: its weight went to the others
    }
    const double best_mean = mean.empty() ? nan : *std::max_element(mean.begin(), mean.end());
    a.lost = k == 0 ? nan : table.factor(row, k) * (best_mean - table.mean_score(row, k));
    if (k == 0 && e.scale == contribution_scale::score)
      a.lost = table.points_factor * (best_mean - table.mean_score(row, 0));
    e.nodes.push_back(std::move(a));
  }
  return e;
}

change_account explain_change(const result& before, const dataset& data_before, const result& after,
                              const dataset& data_after, const std::string& unit, const std::string& grouping) {
  const std::size_t ua = find_unit(after, unit);
  const std::string id = after.unit_ids[ua];
  const explanation now = explain(after, data_after, id, {grouping, nullptr});
  change_account c;
  c.unit_id = id;
  c.unit_name = after.unit_names[ua];
  c.score_after = now.score;
  c.rank_after = now.rank;
  c.scale = now.scale;
  const bool was_there = std::find(before.unit_ids.begin(), before.unit_ids.end(), id) != before.unit_ids.end();
  std::optional<explanation> then;
  if (was_there) then = explain(before, data_before, id, {grouping, nullptr});
  if (then && then->scale != now.scale)
    throw data_error("explain_change: the two evaluations decompose on different scales (arithmetic vs geometric)");
  c.score_before = then ? then->score : nan;
  c.rank_before = then ? then->rank : nan;
  c.rescaling_change = then ? now.rescaling - then->rescaling : nan;
  c.adjustment_change = then ? now.adjustment - then->adjustment : nan;
  for (const indicator_account& a : now.indicators) {
    change_line l{a.id, a.name, true, nan, a.points, nan, nan, a.raw};
    if (then) {
      auto it = std::find_if(then->indicators.begin(), then->indicators.end(),
                             [&](const indicator_account& b) { return b.id == a.id; });
      if (it == then->indicators.end())
        throw data_error(fmt::format("explain_change: indicator '{}' is not in the earlier framework", a.id));
      l.before = it->points;
      l.raw_before = it->raw;
    }
    l.change = l.after - l.before;
    c.lines.push_back(std::move(l));
  }
  for (const node_account& a : now.nodes) {
    change_line l{a.id, a.name, false, nan, a.points, nan, nan, nan};
    if (then)
      for (const node_account& b : then->nodes)
        if (b.id == a.id) l.before = b.points;
    l.change = l.after - l.before;
    c.lines.push_back(std::move(l));
  }
  return c;
}

// --- wording ----------------------------------------------------------------------------

std::string describe_rank(double rank, const rank_change* change, language lang) {
  const bool zh = lang == language::zh;
  std::string out = std::isnan(rank) ? (zh ? "不参与排名" : "not ranked")
                                     : (zh ? fmt::format("排名第{:g}位", rank) : fmt::format("ranked {:g}", rank));
  if (!change) return out;
  switch (change->status) {
    case rank_change_status::moved:
      if (change->change > 0) out += zh ? fmt::format("，较上年上升{:g}位", change->change)
                                        : fmt::format(", up {:g} on the previous year", change->change);
      else if (change->change < 0) out += zh ? fmt::format("，较上年下降{:g}位", -change->change)
                                             : fmt::format(", down {:g} on the previous year", -change->change);
      else out += zh ? "，与上年持平" : ", unchanged on the previous year";
      break;
    case rank_change_status::new_entrant: out += zh ? "，本年新进入排名" : ", new in the ranking this year"; break;
    case rank_change_status::no_previous_rank: out += zh ? "，上年未排名" : ", not ranked the previous year"; break;
    case rank_change_status::vetoed:
    case rank_change_status::unranked: break;
  }
  return out;
}

std::string describe(const explanation& e, language lang, const rank_change* change, const watch_entry* watch) {
  const bool zh = lang == language::zh;
  std::string out = zh ? fmt::format("{}（{}）", e.unit_name, e.unit_id) : fmt::format("{} ({})", e.unit_name, e.unit_id);
  const std::string pool = e.grouping.empty() ? "" : e.pool;
  out += zh ? fmt::format("在{}{}家参评单位中", pool.empty() ? "" : pool + "组", e.pool_size)
            : fmt::format(" among {} ranked units{}: ", e.pool_size, pool.empty() ? "" : " of pool " + pool);
  if (!e.veto.empty()) {
    out += zh ? fmt::format("因{}，实行一票否决，不参与排名", fmt::join(e.veto, "、"))
              : fmt::format("vetoed ({}), not ranked", fmt::join(e.veto, "; "));
  } else {
    out += describe_rank(e.rank, change, lang);
    out += zh ? fmt::format("，综合得分{:.2f}", e.score) : fmt::format(", index score {:.2f}", e.score);
  }
  out += zh ? "。" : ".";
  // Categories below the index, best and worst by rank.
  const node_account* best = nullptr;
  const node_account* worst = nullptr;
  for (const node_account& a : e.nodes) {
    if (a.depth != 1 || std::isnan(a.rank)) continue;
    if (!best || a.rank < best->rank) best = &a;
    if (!worst || a.rank > worst->rank) worst = &a;
  }
  if (best && worst && best != worst)
    out += zh ? fmt::format("{}排名最好（第{:g}位），{}排名最弱（第{:g}位）。", best->name, best->rank, worst->name, worst->rank)
              : fmt::format(" Best category: {} (rank {:g}); weakest: {} (rank {:g}).", best->name, best->rank,
                            worst->name, worst->rank);
  if (watch) {
    std::vector<std::string> years;
    for (int y : watch->hit_years) years.push_back(std::to_string(y));
    out += zh ? fmt::format("列入退出预警名单（{}年度居本组末位区间）。", fmt::join(years, "、"))
              : fmt::format(" On the delisting watch list (in the bottom of its pool in {}).", fmt::join(years, ", "));
  }
  return out;
}

}  // namespace parkscore
