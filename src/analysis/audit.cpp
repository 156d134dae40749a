#include "parkscore/analysis/audit.hpp"

#include <fmt/format.h>

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "model/dataset_edit.hpp"
#include "parkscore/error.hpp"
#include "parkscore/methods/stats.hpp"
#include "parkscore/report/contributions.hpp"
#include "parkscore/report/explain.hpp"
#include "model/missing_value.hpp"

namespace parkscore {

namespace {

// Average ranks (1 = smallest) of the values.
Eigen::VectorXd average_ranks(const Eigen::VectorXd& v) {
  const auto n = v.size();
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), Eigen::Index{0});
  std::sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return v[a] < v[b]; });
  Eigen::VectorXd rank(n);
  for (Eigen::Index i = 0; i < n;) {
    Eigen::Index j = i;
    while (j + 1 < n && v[order[static_cast<std::size_t>(j + 1)]] == v[order[static_cast<std::size_t>(i)]]) ++j;
    for (Eigen::Index t = i; t <= j; ++t) rank[order[static_cast<std::size_t>(t)]] = 0.5 * static_cast<double>(i + j) + 1;
    i = j + 1;
  }
  return rank;
}

// The pairs where both are present.
std::pair<Eigen::VectorXd, Eigen::VectorXd> complete_pairs(const Eigen::Ref<const Eigen::VectorXd>& x,
                                                           const Eigen::Ref<const Eigen::VectorXd>& y) {
  std::vector<double> a, b;
  for (Eigen::Index i = 0; i < x.size(); ++i)
    if (!std::isnan(x[i]) && !std::isnan(y[i])) {
      a.push_back(x[i]);
      b.push_back(y[i]);
    }
  return {Eigen::Map<Eigen::VectorXd>(a.data(), static_cast<Eigen::Index>(a.size())),
          Eigen::Map<Eigen::VectorXd>(b.data(), static_cast<Eigen::Index>(b.size()))};
}

double pearson_complete(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  if (a.size() < 3) return nan;
  const Eigen::ArrayXd da = a.array() - a.mean(), db = b.array() - b.mean();
  const double sab = (da * db).sum(), saa = da.square().sum(), sbb = db.square().sum();
  if (!(saa > 0) || !(sbb > 0)) return nan;
  return sab / std::sqrt(saa * sbb);
}

Eigen::MatrixXd complete_rows(const Eigen::Ref<const Eigen::MatrixXd>& x) {
  Eigen::Index n = 0;
  for (Eigen::Index i = 0; i < x.rows(); ++i) n += x.row(i).array().isNaN().any() ? 0 : 1;
  Eigen::MatrixXd out(n, x.cols());
  for (Eigen::Index i = 0, r = 0; i < x.rows(); ++i)
    if (!x.row(i).array().isNaN().any()) out.row(r++) = x.row(i);
  return out;
}

double sample_variance(const Eigen::VectorXd& v) {
  return (v.array() - v.mean()).square().sum() / static_cast<double>(v.size() - 1);
}

Eigen::VectorXd column(const Eigen::MatrixXd& m, const std::vector<Eigen::Index>& rows, Eigen::Index c) {
  Eigen::VectorXd v(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t i = 0; i < rows.size(); ++i) v[static_cast<Eigen::Index>(i)] = m(rows[i], c);
  return v;
}

bool pool_relative(normalisation_method m) {
  switch (m) {
    case normalisation_method::none:
    case normalisation_method::goalposts:
    case normalisation_method::efficacy_anchored:
    case normalisation_method::ratio_to_benchmark: return false;
    default: return true;
  }
}

// Index scores of the analysed units of a result, by unit id.
std::vector<std::pair<std::string, double>> index_scores(const result& r, const std::string& grouping,
                                                         const std::string& label) {
  const pool_result& pool = r.pool(grouping);
  std::vector<std::pair<std::string, double>> out;
  for (std::size_t u = 0; u < r.unit_ids.size(); ++u)
    if (!r.excluded.count(r.unit_ids[u]) && (label.empty() || pool.labels[u] == label))
      out.emplace_back(r.unit_ids[u], pool.scores(static_cast<Eigen::Index>(u), 0));
  return out;
}

rank_reversal_check compare_orders(perturbation kind, std::string description,
                                   const std::vector<std::pair<std::string, double>>& before,
                                   const std::vector<std::pair<std::string, double>>& after,
                                   const std::string& touched) {
  rank_reversal_check c{kind, std::move(description), 0, 0, {}};
  std::map<std::string, double> now(after.begin(), after.end());
  std::vector<std::pair<std::string, std::pair<double, double>>> both;
  for (const auto& [id, s] : before)
    if (id != touched && now.count(id) && !std::isnan(s) && !std::isnan(now[id])) both.push_back({id, {s, now[id]}});
  auto sign = [](double d) { return (d > 0) - (d < 0); };
  for (std::size_t i = 0; i < both.size(); ++i)
    for (std::size_t j = i + 1; j < both.size(); ++j) {
      ++c.pairs;
      const int s0 = sign(both[i].second.first - both[j].second.first);
      const int s1 = sign(both[i].second.second - both[j].second.second);
      if (s0 == s1) continue;
      ++c.reversed;
      if (c.examples.size() < 5) {
        const auto& hi = s0 >= 0 ? both[i] : both[j];
        const auto& lo = s0 >= 0 ? both[j] : both[i];
        c.examples.push_back(fmt::format("{} above {} -> {}", hi.first, lo.first,
                                         s1 == 0 ? "tied" : lo.first + " above " + hi.first));
      }
    }
  return c;
}

}  // namespace

double pearson(const Eigen::Ref<const Eigen::VectorXd>& x, const Eigen::Ref<const Eigen::VectorXd>& y) {
  const auto [a, b] = complete_pairs(x, y);
  return pearson_complete(a, b);
}

double spearman(const Eigen::Ref<const Eigen::VectorXd>& x, const Eigen::Ref<const Eigen::VectorXd>& y) {
  const auto [a, b] = complete_pairs(x, y);
  return pearson_complete(average_ranks(a), average_ranks(b));
}

double cronbach_alpha(const Eigen::Ref<const Eigen::MatrixXd>& x) {
  const Eigen::MatrixXd c = complete_rows(x);
  const auto k = static_cast<double>(c.cols());
  if (c.cols() < 2 || c.rows() < 2) return nan;
  double item_variance = 0;
  for (Eigen::Index j = 0; j < c.cols(); ++j) item_variance += sample_variance(c.col(j));
  const double total = sample_variance(c.rowwise().sum());
  if (!(total > 0)) return nan;
  return k / (k - 1) * (1 - item_variance / total);
}

pca_result principal_components(const Eigen::Ref<const Eigen::MatrixXd>& x) {
  const Eigen::MatrixXd c = complete_rows(x);
  pca_result out;
  out.rows_used = static_cast<std::size_t>(c.rows());
  if (c.rows() < 3 || c.cols() < 1) return out;
  const Eigen::MatrixXd centred = c.rowwise() - c.colwise().mean();
  const Eigen::VectorXd sd = (centred.colwise().squaredNorm() / static_cast<double>(c.rows() - 1)).cwiseSqrt();
  if ((sd.array() <= 0).any()) return out;   // a constant column has no correlation
  const Eigen::MatrixXd z = centred * sd.cwiseInverse().asDiagonal();
  const Eigen::MatrixXd corr = z.transpose() * z / static_cast<double>(c.rows() - 1);
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(corr);
  const auto k = corr.rows();
  out.eigenvalues.resize(k);
  out.loadings.resize(k, k);
  for (Eigen::Index i = 0; i < k; ++i) {   // the solver sorts ascending: reverse
    const Eigen::Index src = k - 1 - i;
    const double lambda = std::max(0.0, solver.eigenvalues()[src]);
    Eigen::VectorXd v = solver.eigenvectors().col(src);
    Eigen::Index big = 0;
    v.cwiseAbs().maxCoeff(&big);
    if (v[big] < 0) v = -v;
    out.eigenvalues[i] = lambda;
    out.loadings.col(i) = v * std::sqrt(lambda);
  }
  out.explained = out.eigenvalues / out.eigenvalues.sum();
  return out;
}

std::string to_string(perturbation p) {
  switch (p) {
    case perturbation::add_median_unit: return "add_median_unit";
    case perturbation::remove_best_unit: return "remove_best_unit";
    case perturbation::clone_best_unit: return "clone_best_unit";
    case perturbation::worsen_last_unit: return "worsen_last_unit";
  }
  return "?";
}

audit_report audit_index(const framework& model, const dataset& data, const audit_options& options) {
  evaluation_options eval = options.evaluation;
  eval.pools = {options.grouping};
  const result r = evaluate(model, data, eval);
  const pool_result& pool = r.pool(options.grouping);
  const detail::value_tables values = detail::raw_and_used(r, data, options.grouping, eval.previous ? &*eval.previous : nullptr);
  const framework& fw = r.model;

  audit_report out;
  out.grouping = options.grouping;
  out.label = options.label;
  out.indicator_ids = fw.indicator_ids();
  std::vector<Eigen::Index> rows;   // analysed: ranked units of the label
  for (std::size_t u = 0; u < r.unit_ids.size(); ++u)
    if (!r.excluded.count(r.unit_ids[u]) && (options.label.empty() || pool.labels[u] == options.label))
      rows.push_back(static_cast<Eigen::Index>(u));
  if (rows.empty())
    throw data_error(fmt::format("audit: no ranked unit{}", options.label.empty() ? "" : " with label '" + options.label + "'"));
  out.units = rows.size();
  const auto m = static_cast<Eigen::Index>(fw.indicators().size());

  // Mean-scale node scores (points scaling undone), so children are comparable.
  Eigen::MatrixXd node_scores(static_cast<Eigen::Index>(r.unit_ids.size()), static_cast<Eigen::Index>(fw.nodes().size()));
  for (Eigen::Index u : rows)
    node_scores.row(u) = detail::mean_scale_scores(r, pool, static_cast<std::size_t>(u)).transpose();

  out.pearson.resize(m, m);
  out.spearman.resize(m, m);
  for (Eigen::Index a = 0; a < m; ++a)
    for (Eigen::Index b = 0; b < m; ++b) {
      const Eigen::VectorXd xa = column(pool.normalised, rows, a), xb = column(pool.normalised, rows, b);
      out.pearson(a, b) = a == b ? 1.0 : pearson(xa, xb);
      out.spearman(a, b) = a == b ? 1.0 : spearman(xa, xb);
    }

  const Eigen::VectorXd index = column(node_scores, rows, 0);
  for (Eigen::Index j = 0; j < m; ++j) {
    const int k = fw.indicators()[static_cast<std::size_t>(j)];
    const node& ind = fw.at(k);
    indicator_audit a;
    a.id = ind.id;
    a.name = ind.name.empty() ? ind.id : ind.name;
    a.parent = fw.at(ind.parent).id;
    const Eigen::VectorXd raw = column(values.raw, rows, j), used = column(values.used, rows, j);
    const Eigen::VectorXd normalised = column(pool.normalised, rows, j);
    a.units = rows.size();
    a.present = static_cast<std::size_t>((!raw.array().isNaN()).count());
    a.missing_share = 1.0 - static_cast<double>(a.present) / static_cast<double>(a.units);
    a.mean = nan_mean(raw);
    a.sd = nan_sd(raw);
    a.cv = a.mean != 0 ? std::abs(a.sd / a.mean) : nan;
    a.many_missing = a.missing_share > options.missing_share;
    a.low_variation = a.sd == 0 || (!std::isnan(a.cv) && a.cv < options.low_variation);
    a.skew_before = nan_skewness(raw);
    a.kurtosis_before = nan_kurtosis(raw);
    a.skew_after = nan_skewness(used);
    a.kurtosis_after = nan_kurtosis(used);
    const Eigen::VectorXd parent = column(node_scores, rows, ind.parent);
    a.pearson_parent = pearson(normalised, parent);
    a.spearman_parent = spearman(normalised, parent);
    a.pearson_index = pearson(normalised, index);
    a.spearman_index = spearman(normalised, index);
    out.indicators.push_back(std::move(a));
  }

  for (Eigen::Index a = 0; a < m; ++a)
    for (Eigen::Index b = a + 1; b < m; ++b) {
      const double rab = out.pearson(a, b);
      if (std::isnan(rab)) continue;
      const auto& ia = out.indicators[static_cast<std::size_t>(a)];
      const auto& ib = out.indicators[static_cast<std::size_t>(b)];
      if (ia.parent == ib.parent && rab < 0) out.flags.push_back({ia.id, ib.id, rab, "negative within a category"});
      if (std::abs(rab) > options.near_duplicate)
        out.flags.push_back({ia.id, ib.id, rab, fmt::format("near duplicate (|r| > {:g})", options.near_duplicate)});
    }

  for (const node& nd : fw.nodes()) {
    if (nd.is_indicator()) continue;
    category_audit c;
    c.id = nd.id;
    c.name = nd.name.empty() ? nd.id : nd.name;
    Eigen::MatrixXd x(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(nd.children.size()));
    for (std::size_t j = 0; j < nd.children.size(); ++j) {
      c.children.push_back(fw.at(nd.children[j]).id);
      x.col(static_cast<Eigen::Index>(j)) = column(node_scores, rows, nd.children[j]);
    }
    c.alpha = cronbach_alpha(x);
    c.pca = principal_components(x);
    out.categories.push_back(std::move(c));
  }

  for (Eigen::Index u : rows) {
    const auto present = static_cast<std::size_t>((!values.raw.row(u).array().isNaN()).count());
    out.coverage.push_back({r.unit_ids[static_cast<std::size_t>(u)], present, static_cast<std::size_t>(m),
                            static_cast<double>(present) / static_cast<double>(m)});
  }

  // Which steps depend on the other units of the pool.
  for (int k : fw.indicators()) {
    const node& ind = fw.at(k);
    if (pool_relative(ind.norm.method))
      out.invariance.push_back({ind.id, to_string(ind.norm.method) + " normalisation", false,
                                "its constants (min, max, mean, ranks ...) are taken over the pool"});
    if (ind.treat.method != treatment_method::none)
      out.invariance.push_back({ind.id, to_string(ind.treat.method) + " treatment", false,
                                "thresholds and skewness are taken over the pool"});
    const imputation& imp = ind.impute ? *ind.impute : fw.impute;
    if (imp.method != imputation_method::none && imp.method != imputation_method::carry_forward)
      out.invariance.push_back({ind.id, to_string(imp.method) + " imputation", false, "fills from the pool's values"});
  }
  for (const node& nd : fw.nodes()) {
    if (nd.is_indicator()) continue;
    if (nd.agg.method == aggregation_method::topsis)
      out.invariance.push_back({nd.id, "TOPSIS aggregation", false, "the ideal points are the pool's best and worst"});
    if (nd.weighting.uses_data())
      out.invariance.push_back({nd.id, "data-driven weights", false, "the weights are computed from the pool's data"});
  }
  if (out.invariance.empty())
    out.invariance.push_back({fw.root().id, "every step", true,
                              "fixed normalisation bounds, fixed weights, means of each unit's own values: adding or "
                              "removing a unit cannot reorder the others (rescaling is monotone within a pool)"});

  if (!options.rank_reversal || rows.size() < 3) return out;
  // Rank reversal: perturb the data and compare the order of the untouched units.
  const auto before = index_scores(r, options.grouping, options.label);
  std::vector<std::size_t> data_rows;   // analysed units' rows in `data`
  for (Eigen::Index u : rows) data_rows.push_back(*data.find_unit(r.unit_ids[static_cast<std::size_t>(u)]));
  auto best_of = [&](bool best) {
    Eigen::Index pick = rows.front();
    for (Eigen::Index u : rows) {
      const double s = pool.scores(u, 0);
      if (std::isnan(s)) continue;
      if (std::isnan(pool.scores(pick, 0)) || (best ? s > pool.scores(pick, 0) : s < pool.scores(pick, 0))) pick = u;
    }
    return static_cast<std::size_t>(pick);
  };
  const std::string best_id = r.unit_ids[best_of(true)], last_id = r.unit_ids[best_of(false)];
  const std::size_t best_row = *data.find_unit(best_id), last_row = *data.find_unit(last_id);
  auto run = [&](perturbation kind, const std::string& description, const dataset& changed, const std::string& touched) {
    try {
      const result after = evaluate(model, changed, eval);
      out.rank_reversal.push_back(
          compare_orders(kind, description, before, index_scores(after, options.grouping, options.label), touched));
    } catch (const error& e) {
      out.rank_reversal.push_back({kind, description + " — could not be evaluated: " + e.what(), 0, 0, {}});
    }
  };
  auto with_rows = [&](const std::vector<std::size_t>& keep, const Eigen::MatrixXd& extra, const std::string& extra_id,
                       std::size_t extra_like) {
    std::vector<std::string> ids, names;
    std::vector<std::size_t> group_rows;
    Eigen::MatrixXd v(static_cast<Eigen::Index>(keep.size()) + extra.rows(), data.values().cols());
    Eigen::Index i = 0;
    for (std::size_t k : keep) {
      ids.push_back(data.unit_ids()[k]);
      names.push_back(data.unit_names()[k]);
      group_rows.push_back(k);
      v.row(i++) = data.values().row(static_cast<Eigen::Index>(k));
    }
    if (extra.rows() > 0) {
      ids.push_back(extra_id);
      names.push_back(extra_id);
      group_rows.push_back(extra_like);
      v.row(i) = extra.row(0);
    }
    return detail::with_values(data, std::move(ids), std::move(names), data.indicator_ids(), std::move(v), group_rows);
  };
  std::vector<std::size_t> all(data.unit_count());
  std::iota(all.begin(), all.end(), std::size_t{0});

  Eigen::MatrixXd median_row(1, data.values().cols());
  for (Eigen::Index c = 0; c < data.values().cols(); ++c) {
    Eigen::VectorXd col(static_cast<Eigen::Index>(data_rows.size()));
    for (std::size_t i = 0; i < data_rows.size(); ++i) col[static_cast<Eigen::Index>(i)] = data.value(data_rows[i], static_cast<std::size_t>(c));
    median_row(0, c) = nan_median(col);
  }
  run(perturbation::add_median_unit, "add a unit with the pool's median value of every column",
      with_rows(all, median_row, "audit:median", best_row), "audit:median");
  std::vector<std::size_t> without_best = all;
  std::erase(without_best, best_row);
  run(perturbation::remove_best_unit, fmt::format("remove the best unit ({})", best_id),
      with_rows(without_best, {}, "", 0), best_id);
  run(perturbation::clone_best_unit, fmt::format("add a copy of the best unit ({})", best_id),
      with_rows(all, data.values().row(static_cast<Eigen::Index>(best_row)), "audit:clone", best_row), "audit:clone");
  Eigen::MatrixXd worse = data.values().row(static_cast<Eigen::Index>(last_row));
  for (int k : fw.indicators()) {
    const auto col = data.find_indicator(fw.at(k).id);
    if (!col) continue;
    std::vector<double> v;
    for (std::size_t rr : data_rows)
      if (!std::isnan(data.value(rr, *col))) v.push_back(data.value(rr, *col));
    if (v.empty()) continue;
    const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
    const double spread = *hi > *lo ? *hi - *lo : 1.0;
    // Half a range beyond the worst value, kept positive where it was (ratios and logs need it).
    double w = fw.at(k).dir == direction::higher_is_better ? *lo - 0.5 * spread : *hi + 0.5 * spread;
    if (*lo > 0 && w <= 0) w = *lo / 2;
    worse(0, static_cast<Eigen::Index>(*col)) = w;
  }
  std::vector<std::size_t> without_last = all;
  std::erase(without_last, last_row);
  run(perturbation::worsen_last_unit,
      fmt::format("make the last unit ({}) worse on every indicator (half a range beyond the worst value)", last_id),
      with_rows(without_last, worse, last_id, last_row), last_id);
  return out;
}

}  // namespace parkscore
