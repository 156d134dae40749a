#include "parkscore/report/contributions.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <map>

#include "parkscore/error.hpp"
#include "parkscore/methods/aggregate.hpp"
#include "model/missing_value.hpp"

namespace parkscore {

namespace {

// How a node's score is split among its children: in score terms (arithmetic
// mean) or in log terms (geometric mean); other means cannot be split.
enum class split { linear, logarithmic, none };

split split_of(const aggregation& agg) {
  switch (agg.method) {
    case aggregation_method::arithmetic: return split::linear;
    case aggregation_method::geometric: return split::logarithmic;
    case aggregation_method::power:
      return agg.power == 1.0 ? split::linear : agg.power == 0.0 ? split::logarithmic : split::none;
    default: return split::none;
  }
}

double transform(split s, double m) { return s == split::logarithmic ? std::log(m) : m; }

// Weight-set weights, looked up once per set name.
class weight_sets {
 public:
  explicit weight_sets(const framework& model) : model_(model) {}
  const std::vector<double>& of(const std::string& name) {
    const std::string key = name.empty() ? model_.weight_sets.default_name : name;
    auto it = cache_.find(key);
    if (it == cache_.end()) it = cache_.emplace(key, weight_set_weights(model_, key)).first;
    return it->second;
  }

 private:
  const framework& model_;
  std::map<std::string, std::vector<double>> cache_;
};

Eigen::VectorXd child_weights_with(const result& r, const pool_result& pool, std::size_t u, int k, weight_sets& sets) {
  const node& n = r.model->at(k);
  Eigen::VectorXd w(static_cast<Eigen::Index>(n.children.size()));
  if (n.weighting.method != weighting_method::fixed) {
    pool.require_records(fmt::format("the weights node '{}' derived from the data", n.id));
    for (const weight_record& rec : pool.weights)
      if (rec.node == n.id && rec.pool_label == pool.labels[u]) return rec.weights.weights;
    throw error(fmt::format("no weight record for node '{}' in pool '{}'", n.id, pool.labels[u]));
  }
  const std::vector<double>& all = sets.of(r.rule(u).weight_set);
  for (std::size_t c = 0; c < n.children.size(); ++c)
    w[static_cast<Eigen::Index>(c)] = all[static_cast<std::size_t>(n.children[c])];
  return w;
}

Eigen::VectorXd mean_scale_with(const result& r, const pool_result& pool, std::size_t u, weight_sets& sets) {
  const framework& fw = r.model;
  const auto k = static_cast<Eigen::Index>(fw.nodes().size());
  const auto row = static_cast<Eigen::Index>(u);
  const double f = fw.scores.scale == score_scale::points ? fw.scores.total_points / 100.0 : 1.0;
  Eigen::VectorXd m = pool.scores.row(row).transpose();
  m[0] = (m[0] - r.rule(u).adjustment()) / f;
  if (fw.scores.scale != score_scale::points) return m;
  // Undo the points scaling: a node's points are its mean score x its share of the total.
  Eigen::VectorXd share = Eigen::VectorXd::Ones(k);
  for (int p = 0; p < static_cast<int>(k); ++p) {
    const node& n = fw.at(p);
    if (n.is_indicator()) continue;
    const Eigen::VectorXd w = child_weights_with(r, pool, u, p, sets);
    for (std::size_t c = 0; c < n.children.size(); ++c)
      share[n.children[c]] = share[p] * w[static_cast<Eigen::Index>(c)] / w.sum();
  }
  for (Eigen::Index c = 1; c < k; ++c) m[c] /= share[c] * f;
  return m;
}

// The rescaling of node k as a + b x (the aggregated score), per pool label,
// from the aggregated scores of the label's ranked units (as rescale_scores does).
struct linear_map {
  double a = 0, b = 1;
};

}  // namespace

namespace detail {

Eigen::VectorXd child_weights(const result& r, const pool_result& pool, std::size_t u, int k) {
  weight_sets sets(r.model);
  return child_weights_with(r, pool, u, k, sets);
}

Eigen::VectorXd mean_scale_scores(const result& r, const pool_result& pool, std::size_t u) {
  weight_sets sets(r.model);
  return mean_scale_with(r, pool, u, sets);
}

}  // namespace detail

contribution_table contributions(const result& r, const std::string& grouping) {
  const framework& fw = r.model;
  const pool_result& pool = r.pool(grouping);
  pool.require_every_node("contributions");
  const std::size_t n = r.unit_ids.size();
  const auto k = static_cast<Eigen::Index>(fw.nodes().size());
  contribution_table out;
  out.grouping = grouping;
  out.points_factor = fw.scores.scale == score_scale::points ? fw.scores.total_points / 100.0 : 1.0;
  out.node = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(n), k, nan);
  out.factor = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(n), k, nan);
  out.rescaling = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n));
  out.adjustment = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(n));
  for (std::size_t u = 0; u < n; ++u) out.adjustment[static_cast<Eigen::Index>(u)] = r.rule(u).adjustment();

  for (const node& nd : fw.nodes())
    if (!nd.is_indicator() && split_of(nd.agg) == split::none) {
      out.scale = contribution_scale::not_additive;
      out.reason = fmt::format("node '{}' is a {} mean, which does not split into additive parts", nd.id,
                               to_string(nd.agg.method));
      return out;
    }
  const split root_split = split_of(fw.root().agg);
  out.scale = root_split == split::logarithmic ? contribution_scale::log_score : contribution_scale::score;

  weight_sets sets(fw);
  Eigen::MatrixXd& m = out.mean_score;
  m.resize(static_cast<Eigen::Index>(n), k);
  for (std::size_t u = 0; u < n; ++u) m.row(static_cast<Eigen::Index>(u)) = mean_scale_with(r, pool, u, sets).transpose();

  // The slope b of each rescaled node per unit (the offset is the remainder, so the sum stays exact).
  Eigen::MatrixXd slope = Eigen::MatrixXd::Ones(static_cast<Eigen::Index>(n), k);
  for (int p = 0; p < static_cast<int>(k); ++p) {
    const node& nd = fw.at(p);
    if (nd.is_indicator() || nd.rescale.method == rescale_method::none || split_of(nd.agg) != split::linear) continue;
    Eigen::VectorXd agg(static_cast<Eigen::Index>(n));
    for (std::size_t u = 0; u < n; ++u) {
      const Eigen::VectorXd w = child_weights_with(r, pool, u, p, sets);
      Eigen::VectorXd children(w.size());
      for (std::size_t c = 0; c < nd.children.size(); ++c)
        children[static_cast<Eigen::Index>(c)] = m(static_cast<Eigen::Index>(u), nd.children[c]);
      agg[static_cast<Eigen::Index>(u)] = aggregate_one(children, w, nd.agg);
    }
    std::map<std::string, std::pair<double, double>> range;   // label -> (min, max) over ranked units
    for (std::size_t u = 0; u < n; ++u) {
      const double x = agg[static_cast<Eigen::Index>(u)];
      if (std::isnan(x) || r.excluded.count(r.unit_ids[u])) continue;
      auto [it, fresh] = range.try_emplace(pool.labels[u], x, x);
      if (!fresh) it->second = {std::min(it->second.first, x), std::max(it->second.second, x)};
    }
    for (std::size_t u = 0; u < n; ++u) {
      auto it = range.find(pool.labels[u]);
      if (it == range.end()) continue;
      const auto [lo, hi] = it->second;
      slope(static_cast<Eigen::Index>(u), p) = nd.rescale.method == rescale_method::best_is_100
                                                   ? nd.rescale.hi / hi
                                                   : (hi > lo ? (nd.rescale.hi - nd.rescale.lo) / (hi - lo) : 0.0);
    }
  }

  for (std::size_t u = 0; u < n; ++u) {
    const auto row = static_cast<Eigen::Index>(u);
    if (std::isnan(m(row, 0))) continue;
    // amount[k]: node k's part of the total; factor[k]: amount = factor x transform(m_k)
    // along a chain of one kind of mean (exact); NaN where a mixed chain had to divide.
    Eigen::VectorXd amount = Eigen::VectorXd::Constant(k, nan), factor = Eigen::VectorXd::Constant(k, nan);
    factor[0] = root_split == split::linear ? out.points_factor : 1.0;
    amount[0] = factor[0] * transform(root_split, m(row, 0));
    // linear[k]: node k and every node above it are arithmetic, so factor[k] is a derivative
    std::vector<bool> linear(static_cast<std::size_t>(k), false);
    linear[0] = root_split == split::linear;
    for (int p = 0; p < static_cast<int>(k); ++p) {   // parents before children
      const node& nd = fw.at(p);
      if (nd.is_indicator() || std::isnan(amount[p])) continue;
      const split s = split_of(nd.agg);
      const Eigen::VectorXd w = child_weights_with(r, pool, u, p, sets);
      double present = 0, agg_terms = 0;
      for (std::size_t c = 0; c < nd.children.size(); ++c) {
        const double v = m(row, nd.children[c]);
        if (std::isnan(v) || w[static_cast<Eigen::Index>(c)] == 0) continue;
        present += w[static_cast<Eigen::Index>(c)];
      }
      const double b = slope(row, p);
      for (std::size_t c = 0; c < nd.children.size(); ++c) {
        const int child = nd.children[c];
        const double v = m(row, child), wc = w[static_cast<Eigen::Index>(c)];
        if (std::isnan(v) || wc == 0) continue;
        const double term = (s == split::linear ? b : 1.0) * wc / present * transform(s, v);   // child's local term
        agg_terms += term;
        double part = std::isnan(factor[p]) ? amount[p] * wc / present : factor[p] * term;
        amount[child] = part;
        if (fw.at(child).is_indicator()) {
          if (linear[static_cast<std::size_t>(p)]) out.factor(row, child) = factor[p] * b * wc / present;
          continue;
        }
        const split cs = split_of(fw.at(child).agg);
        linear[static_cast<std::size_t>(child)] = linear[static_cast<std::size_t>(p)] && cs == split::linear;
        if (!std::isnan(factor[p]) && cs == s)
          factor[child] = factor[p] * (s == split::linear ? b : 1.0) * wc / present;
        else if (transform(cs, v) != 0)
          factor[child] = part / transform(cs, v);   // a chain of mixed means: split in proportion
        // else: factor stays NaN and the child's part is spread by weight share
      }
      if (!std::isnan(factor[p])) out.rescaling[row] += factor[p] * (transform(s, m(row, p)) - agg_terms);
    }
    for (Eigen::Index c = 0; c < k; ++c) {
      out.node(row, c) = amount[c];
      if (!fw.at(static_cast<int>(c)).is_indicator() && linear[static_cast<std::size_t>(c)]) out.factor(row, c) = factor[c];
    }
    if (out.scale == contribution_scale::score) out.node(row, 0) += out.adjustment[row];
  }
  return out;
}

}  // namespace parkscore
