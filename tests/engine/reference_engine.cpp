// The engine as it was before the compiled plan (commit f3f5987), kept as the golden
// oracle: the compiled engine must give the same scores (1e-12) and the same ranks.
#include "reference_engine.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "engine/evaluate_rules.hpp"
#include "parkscore/methods/aggregate.hpp"
#include "parkscore/methods/clip_check.hpp"
#include "parkscore/error.hpp"
#include "parkscore/prepare/prepare.hpp"
#include "parkscore/methods/rank.hpp"
#include "prepare/preparation_notes.hpp"

namespace parkscore::testing {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
using index_list = std::vector<Eigen::Index>;

std::string pool_name(const std::string& grouping, const std::string& label) {
  return grouping.empty() ? std::string("all") : grouping + "=" + label;
}

// The raw values in framework indicator order. prepare_units has already
// checked that every indicator has a column; here the unknown columns are.
Eigen::MatrixXd gather_raw(const framework& fw, const dataset& data, bool allow_extra) {
  if (!allow_extra) {
    std::vector<std::string> known = input_columns(fw);
    for (const derived_indicator& spec : fw.derived) known.push_back(spec.id);
    std::vector<std::string> extra;
    for (const std::string& id : data.indicator_ids())
      if (std::find(known.begin(), known.end(), id) == known.end()) extra.push_back(id);
    if (!extra.empty())
      throw data_error(fmt::format("data column(s) {} are not indicators of framework '{}'", fmt::join(extra, ", "),
                                   fw.id));
  }
  const std::vector<std::string> ids = fw.indicator_ids();
  Eigen::MatrixXd raw(static_cast<Eigen::Index>(data.unit_count()), static_cast<Eigen::Index>(ids.size()));
  for (std::size_t j = 0; j < ids.size(); ++j)
    raw.col(static_cast<Eigen::Index>(j)) = data.values().col(static_cast<Eigen::Index>(data.indicator_index(ids[j])));
  return raw;
}

// Units of each label, labels in order of first appearance.
std::vector<std::pair<std::string, index_list>> split_by_label(const std::vector<std::string>& labels) {
  std::vector<std::pair<std::string, index_list>> out;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == labels[i]; });
    if (it == out.end()) {
      out.push_back({labels[i], {}});
      it = out.end() - 1;
    }
    it->second.push_back(static_cast<Eigen::Index>(i));
  }
  return out;
}

struct evaluation_context {
  const framework& fw;
  const dataset& data;
  const std::vector<bool>& ranked;   // not excluded
  std::vector<note>& notes;
  const detail::unit_weights& weights;   // the weight set of each unit
  const std::optional<dataset>& previous;
  const std::vector<unit_rule_record>& rules;   // veto and bonus/deduction per unit
};

void normalise_pool(const evaluation_context& ctx, const Eigen::MatrixXd& raw, const std::string& grouping,
                    const std::string& label, const index_list& rows, pool_result& out) {
  const std::string where = pool_name(grouping, label);
  for (std::size_t j = 0; j < ctx.fw.indicators().size(); ++j) {
    const node& ind = ctx.fw.at(ctx.fw.indicators()[j]);
    const auto col = static_cast<Eigen::Index>(j);
    Eigen::VectorXd x(static_cast<Eigen::Index>(rows.size()));
    std::vector<double> reference;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const double v = raw(rows[r], col);
      x[static_cast<Eigen::Index>(r)] = v;
      const std::string problem = domain_problem(v, ind.norm, ind.dir);
      if (!problem.empty())
        throw data_error(fmt::format("indicator '{}', unit '{}': {} ({} normalisation)", ind.id,
                                     ctx.data.unit_ids()[static_cast<std::size_t>(rows[r])], problem,
                                     to_string(ind.norm.method)));
      if (ctx.ranked[static_cast<std::size_t>(rows[r])]) reference.push_back(v);
    }
    normalisation spec = ind.norm;
    if (spec.benchmark_factor) spec.benchmark = detail::previous_year_benchmark(ctx.previous, ind, grouping, label);
    fitted_normaliser fitted;
    try {
      fitted = fit_normaliser(Eigen::Map<const Eigen::VectorXd>(reference.data(), static_cast<Eigen::Index>(reference.size())),
                              spec, ind.dir);
    } catch (const method_error&) {
      ctx.notes.push_back({severity::warning, "normalise", where, ind.id, "",
                           "no value in this pool: the indicator is missing for all its units"});
      for (Eigen::Index r : rows) out.normalised(r, col) = nan;
      continue;
    }
    if (fitted.zero_range)
      ctx.notes.push_back({severity::warning, "normalise", where, ind.id, "",
                           fmt::format("all {} values equal ({}): the defined constant case applies", fitted.count,
                                       fitted.min)});
    // Added with issue 11 (both engines): a clip, cap or floor that moves many values.
    if (auto bounded = bounded_share_warning(
            fitted, Eigen::Map<const Eigen::VectorXd>(reference.data(), static_cast<Eigen::Index>(reference.size())),
            "", ""))
      ctx.notes.push_back({severity::warning, "normalise", where, ind.id, "", *bounded});
    const Eigen::VectorXd z = fitted.apply(x);
    for (std::size_t r = 0; r < rows.size(); ++r) out.normalised(rows[r], col) = z[static_cast<Eigen::Index>(r)];
    out.normalisation.push_back({ind.id, label, std::move(fitted)});
  }
}

// The weights of node k's children in one pool. Data-driven weightings see the
// children's scores (normalised or aggregated, before any points scaling) of the
// pool's reference units; the weights and diagnostics are recorded in `out`.
Eigen::VectorXd node_weights(const evaluation_context& ctx, int k, const std::string& label, const std::string& where,
                             const index_list& rows, pool_result& out) {
  const node& n = ctx.fw.at(k);
  const auto n_children = static_cast<Eigen::Index>(n.children.size());
  weight_record record{n.id, label, {}, {}};
  Eigen::VectorXd declared(n_children);
  for (Eigen::Index c = 0; c < n_children; ++c) {
    const int child = n.children[static_cast<std::size_t>(c)];
    declared[c] = ctx.fw.at(child).weight;
    record.children.push_back(ctx.fw.at(child).id);
  }
  index_list reference;
  for (Eigen::Index r : rows)
    if (ctx.ranked[static_cast<std::size_t>(r)]) reference.push_back(r);
  Eigen::MatrixXd data(n.weighting.uses_data() ? static_cast<Eigen::Index>(reference.size()) : 0, n_children);
  for (Eigen::Index r = 0; r < data.rows(); ++r)
    for (Eigen::Index c = 0; c < n_children; ++c)
      data(r, c) = out.scores(reference[static_cast<std::size_t>(r)], n.children[static_cast<std::size_t>(c)]);
  try {
    record.weights = derive_weights(n.weighting, data, declared, record.children);
  } catch (const method_error& e) {
    throw method_error(fmt::format("node '{}' ({}): {}", n.id, where, e.what()));
  }
  record.weights.pool = where;
  if (n.weighting.method != weighting_method::fixed) {
    std::vector<std::string> parts;
    for (Eigen::Index c = 0; c < n_children; ++c)
      parts.push_back(fmt::format("{}={:.4f}", record.children[static_cast<std::size_t>(c)], record.weights.weights[c]));
    ctx.notes.push_back({severity::info, "weights", where, n.id, "",
                         fmt::format("{} weights {}{}{}", to_string(n.weighting.method), fmt::join(parts, ", "),
                                     record.weights.note.empty() ? "" : "; ", record.weights.note)});
  }
  out.weights.push_back(std::move(record));
  return out.weights.back().weights.weights;
}

// Aggregates one node for the units of one pool (children already scored).
void aggregate_node(const evaluation_context& ctx, int k, const std::string& label, const std::string& where,
                    const index_list& rows, pool_result& out, Eigen::MatrixXd& relative_share) {
  const node& n = ctx.fw.at(k);
  const auto kk = static_cast<Eigen::Index>(k);
  const auto n_rows = static_cast<Eigen::Index>(rows.size());
  const auto n_children = static_cast<Eigen::Index>(n.children.size());
  Eigen::MatrixXd children(n_rows, n_children);
  Eigen::MatrixXd weights(n_rows, n_children);   // per unit: its weight set, or the pool's derived weights
  const Eigen::VectorXd pool_weights = node_weights(ctx, k, label, where, rows, out);
  const bool derived = n.weighting.method != weighting_method::fixed;
  std::vector<bool> reference(rows.size());
  for (Eigen::Index c = 0; c < n_children; ++c) {
    const int child = n.children[static_cast<std::size_t>(c)];
    for (Eigen::Index r = 0; r < n_rows; ++r) {
      const Eigen::Index unit = rows[static_cast<std::size_t>(r)];
      children(r, c) = out.scores(unit, child);
      weights(r, c) = derived ? pool_weights[c] : ctx.weights.weight(static_cast<std::size_t>(unit), child);
    }
  }
  for (std::size_t r = 0; r < rows.size(); ++r) reference[r] = ctx.ranked[static_cast<std::size_t>(rows[r])];
  for (Eigen::Index r = 0; r < n_rows; ++r) {
    const double total = weights.row(r).sum();
    for (Eigen::Index c = 0; c < n_children; ++c)
      relative_share(rows[static_cast<std::size_t>(r)], n.children[static_cast<std::size_t>(c)]) = weights(r, c) / total;
  }

  Eigen::VectorXd score(n_rows);
  if (n.agg.method == aggregation_method::topsis) {
    if (n_rows > 0 && !(weights.rowwise() - weights.row(0)).isZero(0))
      throw method_error(fmt::format("node '{}' ({}): TOPSIS needs one weight vector for the whole pool, but units "
                                     "use different weight sets", n.id, where));
    score = aggregate_rows(children, n_rows > 0 ? Eigen::VectorXd(weights.row(0).transpose())
                                                : Eigen::VectorXd::Ones(n_children), n.agg, reference);
  } else {
    for (Eigen::Index r = 0; r < n_rows; ++r) {
      try {
        score[r] = aggregate_one(children.row(r).transpose(), weights.row(r).transpose(), n.agg);
      } catch (const method_error& e) {
        throw method_error(fmt::format("node '{}', unit '{}' ({}): {}", n.id,
                                       ctx.data.unit_ids()[static_cast<std::size_t>(rows[static_cast<std::size_t>(r)])],
                                       where, e.what()));
      }
    }
  }
  score = rescale_scores(score, n.rescale, reference);
  for (Eigen::Index r = 0; r < n_rows; ++r) {
    const Eigen::Index unit = rows[static_cast<std::size_t>(r)];
    out.scores(unit, kk) = score[r];
    int covered = 0;
    if (!std::isnan(score[r]))
      for (int child : n.children)
        if (!std::isnan(out.scores(unit, child))) covered += out.coverage(unit, child);
    out.coverage(unit, kk) = covered;
    if (std::isnan(score[r]) && children.row(r).array().isNaN().count() < n_children)
      ctx.notes.push_back({severity::warning, "aggregate", where, n.id,
                           ctx.data.unit_ids()[static_cast<std::size_t>(unit)],
                           fmt::format("score missing: present children carry less than {:g}% of the weight",
                                       100 * n.agg.min_coverage)});
  }
}

pool_result evaluate_pooling(const evaluation_context& ctx, const Eigen::MatrixXd& raw, const std::string& grouping) {
  const auto n = static_cast<Eigen::Index>(ctx.data.unit_count());
  const auto m = raw.cols();
  const auto k = static_cast<Eigen::Index>(ctx.fw.nodes().size());
  pool_result out;
  out.grouping = grouping;
  out.labels = grouping.empty() ? std::vector<std::string>(ctx.data.unit_count(), "all") : ctx.data.group(grouping);
  out.normalised.resize(n, m);
  out.scores = Eigen::MatrixXd::Constant(n, k, nan);
  out.kept_ranks = Eigen::MatrixXd::Constant(n, k, nan);
  for (Eigen::Index c = 0; c < k; ++c) out.rank_nodes.push_back(static_cast<int>(c));
  out.coverage = Eigen::MatrixXi::Zero(n, k);

  const auto pools = split_by_label(out.labels);
  for (const auto& [label, rows] : pools) normalise_pool(ctx, raw, grouping, label, rows, out);
  for (std::size_t j = 0; j < ctx.fw.indicators().size(); ++j) {
    const auto col = static_cast<Eigen::Index>(j);
    const int node_index = ctx.fw.indicators()[j];
    out.scores.col(node_index) = out.normalised.col(col);
    out.coverage.col(node_index) = (!out.normalised.col(col).array().isNaN()).cast<int>();
  }
  // Children come after parents, so a backward pass aggregates bottom-up.
  Eigen::MatrixXd relative_share = Eigen::MatrixXd::Ones(n, k);   // a node's weight share among its siblings, per unit
  for (int node_index = static_cast<int>(k) - 1; node_index >= 0; --node_index) {
    if (ctx.fw.at(node_index).is_indicator()) continue;
    for (const auto& [label, rows] : pools)
      aggregate_node(ctx, node_index, label, pool_name(grouping, label), rows, out, relative_share);
  }
  if (ctx.fw.scores.scale == score_scale::points) {
    // A node's share of the total, per unit, from the weights each unit was aggregated with.
    Eigen::MatrixXd share = Eigen::MatrixXd::Ones(n, k);
    for (int c = 1; c < static_cast<int>(k); ++c) share.col(c) = share.col(ctx.fw.at(c).parent).cwiseProduct(relative_share.col(c));
    out.scores.array() *= share.array() * (ctx.fw.scores.total_points / 100.0);
  }
  // Bonus and deduction points go on the total, after aggregation and before ranking.
  for (Eigen::Index u = 0; u < n; ++u) out.scores(u, 0) += ctx.rules[static_cast<std::size_t>(u)].adjustment();
  for (const auto& [label, rows] : pools) {
    std::vector<bool> eligible(ctx.data.unit_count(), false);
    for (Eigen::Index r : rows) eligible[static_cast<std::size_t>(r)] = ctx.ranked[static_cast<std::size_t>(r)];
    for (Eigen::Index c = 0; c < k; ++c) {
      const Eigen::VectorXd r = rank_scores(out.scores.col(c), ctx.fw.rank_rule, eligible, ctx.data.unit_ids());
      for (Eigen::Index row : rows) out.kept_ranks(row, c) = r[row];
    }
  }
  return out;
}

void note_missing_values(const framework& fw, const dataset& data, const Eigen::MatrixXd& raw,
                         std::vector<note>& notes) {
  const std::vector<std::string> ids = fw.indicator_ids();
  bool imputes = fw.impute.method != imputation_method::none;
  for (int i : fw.indicators())
    imputes = imputes || (fw.at(i).impute && fw.at(i).impute->method != imputation_method::none);
  // Which cells imputation fills is in its own notes (step "impute"), per pooling.
  const char* consequence = imputes ? "imputed where the framework says so, otherwise weights renormalised"
                                    : "weights renormalised over the indicators present";
  for (Eigen::Index i = 0; i < raw.rows(); ++i) {
    std::vector<std::string> missing;
    for (Eigen::Index j = 0; j < raw.cols(); ++j)
      if (std::isnan(raw(i, j))) missing.push_back(ids[static_cast<std::size_t>(j)]);
    if (!missing.empty())
      notes.push_back({severity::warning, "data", "", "", data.unit_ids()[static_cast<std::size_t>(i)],
                       fmt::format("{} missing value(s): {}; {}", missing.size(), fmt::join(missing, ", "),
                                   consequence)});
  }
}

void note_weights(const framework& fw, std::vector<note>& notes) {
  const std::vector<double> share = fw.absolute_weights();
  for (const node& n : fw.nodes()) {
    if (n.is_indicator()) continue;
    if (n.weighting.method != weighting_method::fixed) {
      notes.push_back({severity::info, "weights", "", n.id, "",
                       fmt::format("{} mean; children weights derived per pool by {}", to_string(n.agg.method),
                                   to_string(n.weighting.method))});
      continue;
    }
    std::vector<std::string> parts;
    for (int c : n.children)
      parts.push_back(fmt::format("{}={:g} ({:.4g})", fw.at(c).id, fw.at(c).weight, share[static_cast<std::size_t>(c)]));
    notes.push_back({severity::info, "weights", "", n.id, "",
                     fmt::format("{} mean of {} (weight, share of the index)", to_string(n.agg.method),
                                 fmt::join(parts, ", "))});
  }
}

void note_rules(const detail::unit_weights& weights, const result& r, std::vector<note>& notes) {
  if (weights.set_names.size() > 1 || weights.set_names.front() != r.model->weight_sets.default_name)
    for (std::size_t i = 0; i < r.unit_ids.size(); ++i)
      notes.push_back({severity::info, "weights", "", "", r.unit_ids[i],
                       fmt::format("weight set '{}'", weights.name(i))});
  for (std::size_t i = 0; i < r.unit_ids.size(); ++i) {
    const unit_rule_record& rec = r.rules[i];
    for (const adjustment_line& line : rec.adjustments)
      notes.push_back({severity::info, "adjust", "", line.item, r.unit_ids[i],
                       fmt::format("{:g} event(s): {:+g} points", line.events, line.points)});
    if (!rec.adjustments.empty())
      notes.push_back({severity::info, "adjust", "", "", r.unit_ids[i],
                       fmt::format("bonus {:+g}, deduction {:+g} after caps: {:+g} points on the total", rec.bonus,
                                   rec.deduction, rec.adjustment())});
  }
}

// Units not ranked: those the caller excluded plus the vetoed ones, each with its
// reason recorded in `out`. Returns, per unit of `data`, whether it is ranked.
std::vector<bool> resolve_exclusions(const dataset& input, const dataset& data,
                                     std::map<std::string, std::string> excluded, result& out) {
  for (std::size_t i = 0; i < data.unit_count(); ++i) {
    const unit_rule_record& rec = out.rules[i];
    if (!rec.vetoed()) continue;
    std::string& reason = excluded[data.unit_ids()[i]];
    reason = fmt::format("{}veto: {}", reason.empty() ? "" : reason + "; ", fmt::join(rec.veto, "; "));
  }
  std::vector<bool> ranked(data.unit_count(), true);
  for (const auto& [unit, reason] : excluded) {
    const auto i = data.find_unit(unit);
    if (!i && input.find_unit(unit)) continue;  // dropped by screening, noted there
    if (!i) throw data_error(fmt::format("excluded unit '{}' is not in the data", unit));
    ranked[*i] = false;
    out.excluded[unit] = reason;
    out.notes.push_back({severity::info, "exclude", "", "", unit,
                         fmt::format("not ranked and left out of pool statistics: {}", reason)});
  }
  return ranked;
}

}  // namespace

result reference_evaluate(const framework& model, const dataset& input, const evaluation_options& options) {
  model.validate();
  if (input.unit_count() == 0) throw data_error(fmt::format("the data{} have no units", input.source.empty() ? "" : " of " + input.source));
  // Derive and screen once; impute and treat per pooling below (docs/preparation.md).
  const prepared_units units = prepare_units(model, input, options.previous ? &*options.previous : nullptr);
  const dataset& data = units.data;
  const Eigen::MatrixXd raw = gather_raw(model, data, options.allow_extra_columns);

  result out;
  out.model = model;
  out.unit_ids = data.unit_ids();
  out.unit_names = data.unit_names();
  out.period = data.period;
  out.preparation = units.record;
  out.rules = apply_zone_rules(model, data);
  const detail::unit_weights weights = detail::resolve_unit_weights(model, data, options);
  for (std::size_t i = 0; i < data.unit_count(); ++i) out.rules[i].weight_set = weights.name(i);
  const std::vector<bool> ranked = resolve_exclusions(input, data, options.excluded, out);
  note_weights(model, out.notes);
  note_missing_values(model, data, raw, out.notes);

  std::vector<std::string> groupings = options.pools.empty() ? model.pools : options.pools;
  if (groupings.empty()) groupings.push_back("");
  note_rules(weights, out, out.notes);
  const evaluation_context ctx{model, data, ranked, out.notes, weights, units.previous, out.rules};
  std::set<std::string> seen;
  for (const std::string& grouping : groupings) {
    if (!seen.insert(grouping).second) continue;
    prepared_pooling prepared = prepare_pooling(model, units, {grouping, ranked});
    out.preparation.pools.push_back(std::move(prepared.record));
    out.pools.push_back(evaluate_pooling(ctx, prepared.values, grouping));
  }
  detail::add_preparation_notes(out.preparation, out.notes);
  return out;
}

}  // namespace parkscore::testing
