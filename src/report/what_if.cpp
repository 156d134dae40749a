#include "parkscore/report/what_if.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "model/dataset_edit.hpp"
#include "parkscore/engine/plan.hpp"
#include "parkscore/error.hpp"
#include "parkscore/report/explain.hpp"
#include "model/missing_value.hpp"

namespace parkscore {

namespace {

bool same_rank(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

// The pool of unit u and the question "does u meet the target?" on any result.
struct target_check {
  std::string grouping;
  std::size_t unit = 0;   // index in the data (evaluate keeps the data's unit order unless screening drops units)
  std::string unit_id;
  gap_target target;
  double target_rank = 0;

  const pool_result& pool(const result& r) const { return r.pool(grouping); }

  std::vector<std::size_t> others(const result& r, std::size_t u) const {
    const pool_result& p = pool(r);
    std::vector<std::size_t> out;
    for (std::size_t m : p.members_of(p.labels[u]))
      if (m != u && !r.excluded.count(r.unit_ids[m])) out.push_back(m);
    return out;
  }

  bool reached(const result& r) const {
    const std::size_t u = r.unit_index(unit_id);
    const double rank = pool(r).index_rank(static_cast<Eigen::Index>(u));
    if (std::isnan(rank)) return false;
    if (target.kind != target_kind::out_of_bottom) return rank <= target_rank;
    std::size_t behind = 0;
    for (std::size_t m : others(r, u)) behind += pool(r).index_rank(static_cast<Eigen::Index>(m)) > rank ? 1 : 0;
    return behind >= static_cast<std::size_t>(target.bottom);
  }

  // Own index score minus the score it must match: the target_rank-th best of the others.
  double margin(const result& r) const {
    const std::size_t u = r.unit_index(unit_id);
    std::vector<double> s;
    for (std::size_t m : others(r, u)) s.push_back(pool(r).scores(static_cast<Eigen::Index>(m), 0));
    std::erase_if(s, [](double x) { return std::isnan(x); });
    std::sort(s.begin(), s.end(), std::greater<>());
    const auto t = static_cast<std::size_t>(std::max(1.0, target_rank));
    const double bar = s.empty() ? -std::numeric_limits<double>::infinity() : s[std::min(t, s.size()) - 1];
    return pool(r).scores(static_cast<Eigen::Index>(u), 0) - bar;
  }
};

// Every trial re-evaluates through one compiled plan: the framework is validated and
// resolved once, each trial only prepares, fits pool statistics and ranks.
struct evaluator {
  evaluation_plan plan;
  const dataset& data;
  evaluation_options options;

  // nullopt when the changed data cannot be evaluated (e.g. outside a normalisation's domain).
  std::optional<result> at(const std::vector<value_change>& changes, std::string* why = nullptr) const {
    try {
      return plan.evaluate(apply_changes(data, changes), options);
    } catch (const error& e) {
      if (why) *why = e.what();
      return std::nullopt;
    }
  }
};

struct raw_column_stats {
  double min = nan, max = nan, sd = nan;
};

raw_column_stats raw_stats(const dataset& data, std::size_t column, const std::vector<std::size_t>& rows) {
  std::vector<double> v;
  for (std::size_t r : rows)
    if (!std::isnan(data.value(r, column))) v.push_back(data.value(r, column));
  raw_column_stats s;
  if (v.empty()) return s;
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  s.min = *lo;
  s.max = *hi;
  double mean = 0, ss = 0;
  for (double x : v) mean += x / static_cast<double>(v.size());
  for (double x : v) ss += (x - mean) * (x - mean);
  s.sd = v.size() > 1 ? std::sqrt(ss / static_cast<double>(v.size() - 1)) : 0.0;
  return s;
}

}  // namespace

dataset apply_changes(const dataset& data, const std::vector<value_change>& changes) {
  Eigen::MatrixXd values = data.values();
  for (const value_change& c : changes) {
    const auto u = data.find_unit(c.unit);
    if (!u) throw data_error(fmt::format("what-if: no unit '{}' in the data", c.unit));
    const auto j = data.find_indicator(c.indicator);
    if (!j) throw data_error(fmt::format("what-if: no column '{}' in the data", c.indicator));
    if (std::isinf(c.value))
      throw data_error(fmt::format("what-if: unit '{}', column '{}': the value must be finite", c.unit, c.indicator));
    values(static_cast<Eigen::Index>(*u), static_cast<Eigen::Index>(*j)) = c.value;
  }
  std::vector<std::size_t> rows(data.unit_count());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  return detail::with_values(data, data.unit_ids(), data.unit_names(), data.indicator_ids(), std::move(values), rows);
}

what_if_result what_if(const framework& model, const dataset& data, const std::vector<value_change>& changes,
                       const evaluation_options& options, const std::string& grouping) {
  evaluation_options o = options;
  o.pools = {grouping};
  const evaluation_plan plan = compile(model);
  const result before = plan.evaluate(data, o);
  what_if_result out{plan.evaluate(apply_changes(data, changes), o), {}};
  const pool_result& p0 = before.pool(grouping);
  const pool_result& p1 = out.changed.pool(grouping);
  for (std::size_t i = 0; i < out.changed.unit_ids.size(); ++i) {
    const std::string& id = out.changed.unit_ids[i];
    const auto j = static_cast<Eigen::Index>(before.unit_index(id));
    const auto row = static_cast<Eigen::Index>(i);
    if (same_rank(p0.index_rank(j), p1.index_rank(row))) continue;
    out.moved.push_back({id, out.changed.unit_names[i], p1.labels[i], p0.index_rank(j), p1.index_rank(row),
                         p0.scores(j, 0), p1.scores(row, 0)});
  }
  std::stable_sort(out.moved.begin(), out.moved.end(), [](const rank_move& a, const rank_move& b) {
    if (a.pool != b.pool) return a.pool < b.pool;
    if (std::isnan(a.after) || std::isnan(b.after)) return !std::isnan(a.after) && std::isnan(b.after);
    return a.after < b.after;
  });
  return out;
}

gap_analysis gap_to_target(const framework& model, const dataset& data, const std::string& unit,
                           const gap_options& options) {
  evaluator eval{compile(model), data, options.evaluation};
  eval.options.pools = {options.grouping};
  const result base = eval.plan.evaluate(data, eval.options);
  const std::size_t u = find_unit(base, unit);
  const pool_result& pool = base.pool(options.grouping);
  const double rank = pool.index_rank(static_cast<Eigen::Index>(u));
  if (std::isnan(rank))
    throw data_error(fmt::format("gap: unit '{}' is not ranked{}", base.unit_ids[u],
                                 base.excluded.count(base.unit_ids[u]) ? " (" + base.excluded.at(base.unit_ids[u]) + ")" : ""));
  target_check check{options.grouping, u, base.unit_ids[u], options.target, 0};
  const std::vector<std::size_t> others = check.others(base, u);
  const std::size_t n = others.size() + 1;
  switch (options.target.kind) {
    case target_kind::next_place: check.target_rank = rank - 1; break;
    case target_kind::rank: check.target_rank = options.target.rank; break;
    case target_kind::top_10: check.target_rank = 10; break;
    case target_kind::out_of_bottom:
      check.target_rank = static_cast<double>(n) - options.target.bottom;
      break;
  }
  if (check.target_rank < 1)
    throw data_error(fmt::format("gap: no rank meets the target for unit '{}' (pool of {} ranked units)",
                                 check.unit_id, n));
  gap_analysis out;
  out.unit = check.unit_id;
  out.rank = rank;
  out.target_rank = check.target_rank;
  out.already = check.reached(base);
  if (out.already) return out;

  // Rows of the pool's ranked units in the data (same order as the result unless screening dropped units).
  std::vector<std::size_t> pool_rows;
  for (std::size_t m : others) pool_rows.push_back(*data.find_unit(base.unit_ids[m]));
  const std::size_t data_row = *data.find_unit(check.unit_id);
  pool_rows.push_back(data_row);

  struct candidate {
    std::size_t column;
    double dir, current, range, sd;
  };
  std::vector<candidate> candidates;
  for (int k : model.indicators()) {
    const node& ind = model.at(k);
    single_gap g{ind.id, ind.name.empty() ? ind.id : ind.name, nan, false, nan, nan, nan, {}};
    const auto column = data.find_indicator(ind.id);
    if (!column) {
      g.note = "derived indicator: change the columns it is computed from";
      out.single.push_back(std::move(g));
      continue;
    }
    g.current = data.value(data_row, *column);
    if (std::isnan(g.current)) {
      g.note = "missing value";
      out.single.push_back(std::move(g));
      continue;
    }
    const raw_column_stats st = raw_stats(data, *column, pool_rows);
    const double range = st.max > st.min ? st.max - st.min : std::max(std::abs(g.current), 1.0);
    const double dir = ind.dir == direction::higher_is_better ? 1.0 : -1.0;
    candidates.push_back({*column, dir, g.current, range, st.sd > 0 ? st.sd : range});

    // Double the step until the target is met, then bisect between the last miss and the first hit.
    auto change_to = [&](double v) { return std::vector<value_change>{{check.unit_id, ind.id, v}}; };
    double miss = g.current, hit = nan, step = range / 16;
    std::string why;
    while (step <= options.max_ranges * range) {
      const double v = g.current + dir * step;
      const std::optional<result> r = eval.at(change_to(v), &why);
      if (!r) break;
      if (check.reached(*r)) {
        hit = v;
        break;
      }
      miss = v;
      step *= 2;
    }
    if (std::isnan(hit)) {
      g.note = why.empty() ? fmt::format("not reachable by this indicator alone (searched up to {:g} pool ranges)",
                                         options.max_ranges)
                           : "not reachable by this indicator alone: " + why;
      out.single.push_back(std::move(g));
      continue;
    }
    while (std::abs(hit - miss) > options.relative_tolerance * range) {
      const double mid = 0.5 * (hit + miss);
      const std::optional<result> r = eval.at(change_to(mid));
      (r && check.reached(*r) ? hit : miss) = mid;
    }
    const std::optional<result> r = eval.at(change_to(hit));
    g.reachable = true;
    g.value = hit;
    g.change = hit - g.current;
    g.new_rank = r->pool(options.grouping).index_rank(static_cast<Eigen::Index>(r->unit_index(check.unit_id)));
    out.single.push_back(std::move(g));
  }

  // Greedy: steps of a quarter standard deviation, each to the indicator that raises the
  // margin over the target place most, until the target is met; the last step is then bisected.
  std::vector<double> value(candidates.size());
  for (std::size_t c = 0; c < candidates.size(); ++c) value[c] = candidates[c].current;
  auto changes_of = [&](const std::vector<double>& v) {
    std::vector<value_change> ch;
    for (std::size_t c = 0; c < candidates.size(); ++c)
      if (v[c] != candidates[c].current) ch.push_back({check.unit_id, data.indicator_ids()[candidates[c].column], v[c]});
    return ch;
  };
  double margin = check.margin(base);
  for (int round = 0; round < 400; ++round) {
    std::optional<std::size_t> pick;
    double best_margin = margin;
    bool met = false;
    for (std::size_t c = 0; c < candidates.size(); ++c) {
      const candidate& cd = candidates[c];
      const double next = value[c] + cd.dir * 0.25 * cd.sd;
      if (std::abs(next - cd.current) > options.max_ranges * cd.range) continue;
      std::vector<double> trial = value;
      trial[c] = next;
      const std::optional<result> r = eval.at(changes_of(trial));
      if (!r) continue;
      const double m = check.margin(*r);
      if (m > best_margin) {
        best_margin = m;
        pick = c;
        met = check.reached(*r);
      }
    }
    if (!pick) break;
    const candidate& cd = candidates[*pick];
    if (met) {   // shorten the last step to the smallest that still meets the target
      double lo = value[*pick], hi = value[*pick] + cd.dir * 0.25 * cd.sd;
      while (std::abs(hi - lo) > options.relative_tolerance * cd.range) {
        std::vector<double> trial = value;
        trial[*pick] = 0.5 * (lo + hi);
        const std::optional<result> r = eval.at(changes_of(trial));
        (r && check.reached(*r) ? hi : lo) = trial[*pick];
      }
      value[*pick] = hi;
      const std::optional<result> r = eval.at(changes_of(value));
      out.combined.reachable = true;
      out.combined.changes = changes_of(value);
      out.combined.new_rank = r->pool(options.grouping).index_rank(static_cast<Eigen::Index>(r->unit_index(check.unit_id)));
      for (std::size_t c = 0; c < candidates.size(); ++c)
        out.combined.cost += std::abs(value[c] - candidates[c].current) / candidates[c].sd;
      break;
    }
    value[*pick] += cd.dir * 0.25 * cd.sd;
    margin = best_margin;
  }
  // A single indicator may be cheaper than the greedy path: keep the cheaper.
  for (const single_gap& g : out.single) {
    if (!g.reachable) continue;
    const auto it = std::find_if(candidates.begin(), candidates.end(),
                                 [&](const candidate& cd) { return data.indicator_ids()[cd.column] == g.indicator; });
    const double cost = std::abs(g.change) / it->sd;
    if (!out.combined.reachable || cost < out.combined.cost)
      out.combined = {true, {{check.unit_id, g.indicator, g.value}}, cost, g.new_rank};
  }
  return out;
}

}  // namespace parkscore
