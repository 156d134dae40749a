#include "parkscore/methods/aggregate.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "parkscore/error.hpp"

namespace parkscore {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

bool row_in(const std::vector<bool>& reference, Eigen::Index row) {
  return reference.empty() || reference[static_cast<std::size_t>(row)];
}

void require_positive(double v, const std::string& mean_name) {
  if (!(v > 0))
    throw method_error(fmt::format("a {} mean needs positive values, got {}", mean_name, v));
}

}  // namespace

double aggregate_one(const Eigen::Ref<const Eigen::VectorXd>& values,
                     const Eigen::Ref<const Eigen::VectorXd>& weights, const aggregation& spec) {
  if (spec.method == aggregation_method::topsis)
    throw method_error("TOPSIS closeness depends on the whole pool; use aggregate_rows");
  double total_weight = 0.0, present_weight = 0.0;
  for (Eigen::Index j = 0; j < values.size(); ++j) {
    total_weight += weights[j];
    if (!std::isnan(values[j])) present_weight += weights[j];
  }
  if (!(present_weight > 0) || present_weight < spec.min_coverage * total_weight) return nan;

  const double p = spec.method == aggregation_method::geometric  ? 0.0
                   : spec.method == aggregation_method::harmonic ? -1.0
                   : spec.method == aggregation_method::power    ? spec.power
                                                                 : 1.0;
  const std::string name = to_string(spec.method);
  double acc = 0.0;
  for (Eigen::Index j = 0; j < values.size(); ++j) {
    const double v = values[j], w = weights[j];
    if (std::isnan(v) || w == 0) continue;
    if (p == 1.0) {
      acc += w * v;
    } else if (p == 0.0) {
      require_positive(v, "geometric");
      acc += w * std::log(v);
    } else {
      if (p < 0) require_positive(v, name);
      if (p > 0 && v < 0)
        throw method_error(fmt::format("a power mean with p = {} needs non-negative values, got {}", p, v));
      acc += w * std::pow(v, p);
    }
  }
  const double mean = acc / present_weight;
  if (p == 1.0) return mean;
  if (p == 0.0) return std::exp(mean);
  return std::pow(mean, 1.0 / p);
}

Eigen::VectorXd weight_coverage(const Eigen::Ref<const Eigen::MatrixXd>& children,
                                const Eigen::Ref<const Eigen::VectorXd>& weights) {
  const double total = weights.sum();
  Eigen::VectorXd out(children.rows());
  for (Eigen::Index i = 0; i < children.rows(); ++i) {
    double present = 0.0;
    for (Eigen::Index j = 0; j < children.cols(); ++j)
      if (!std::isnan(children(i, j))) present += weights[j];
    out[i] = total > 0 ? present / total : 0.0;
  }
  return out;
}

Eigen::VectorXd topsis_closeness(const Eigen::Ref<const Eigen::MatrixXd>& children,
                                 const Eigen::Ref<const Eigen::VectorXd>& weights,
                                 const std::vector<bool>& reference) {
  const Eigen::Index n = children.rows(), k = children.cols();
  const Eigen::VectorXd w = weights / weights.sum();
  Eigen::VectorXd best = Eigen::VectorXd::Constant(k, -std::numeric_limits<double>::infinity());
  Eigen::VectorXd worst = Eigen::VectorXd::Constant(k, std::numeric_limits<double>::infinity());
  for (Eigen::Index i = 0; i < n; ++i) {
    if (!row_in(reference, i)) continue;
    for (Eigen::Index j = 0; j < k; ++j) {
      const double v = w[j] * children(i, j);
      if (std::isnan(v)) continue;
      best[j] = std::max(best[j], v);
      worst[j] = std::min(worst[j], v);
    }
  }
  Eigen::VectorXd out(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    double d_best = 0.0, d_worst = 0.0;
    bool any = false;
    for (Eigen::Index j = 0; j < k; ++j) {
      const double v = w[j] * children(i, j);
      if (std::isnan(v) || !std::isfinite(best[j])) continue;
      any = true;
      d_best += (v - best[j]) * (v - best[j]);
      d_worst += (v - worst[j]) * (v - worst[j]);
    }
    d_best = std::sqrt(d_best);
    d_worst = std::sqrt(d_worst);
    // Every unit identical on every child: no unit is closer to either ideal.
    out[i] = !any ? nan : (d_best + d_worst > 0 ? d_worst / (d_best + d_worst) : 0.5);
  }
  return out;
}

Eigen::VectorXd aggregate_rows(const Eigen::Ref<const Eigen::MatrixXd>& children,
                               const Eigen::Ref<const Eigen::VectorXd>& weights,
                               const aggregation& spec, const std::vector<bool>& reference) {
  Eigen::VectorXd out(children.rows());
  if (spec.method == aggregation_method::topsis) {
    out = topsis_closeness(children, weights, reference);
    const Eigen::VectorXd coverage = weight_coverage(children, weights);
    for (Eigen::Index i = 0; i < out.size(); ++i)
      if (!(coverage[i] > 0) || coverage[i] < spec.min_coverage) out[i] = nan;
    return out;
  }
  for (Eigen::Index i = 0; i < children.rows(); ++i)
    out[i] = aggregate_one(children.row(i).transpose(), weights, spec);
  return out;
}

Eigen::VectorXd rescale_scores(const Eigen::Ref<const Eigen::VectorXd>& scores, const rescaling& spec,
                               const std::vector<bool>& reference) {
  if (spec.method == rescale_method::none) return scores;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (Eigen::Index i = 0; i < scores.size(); ++i) {
    if (!row_in(reference, i) || std::isnan(scores[i])) continue;
    lo = std::min(lo, scores[i]);
    hi = std::max(hi, scores[i]);
  }
  Eigen::VectorXd out(scores.size());
  if (!std::isfinite(hi)) return out.setConstant(nan);
  if (spec.method == rescale_method::best_is_100 && !(hi > 0))
    throw method_error(fmt::format("best_is_100 rescaling needs a positive best score, got {}", hi));
  for (Eigen::Index i = 0; i < scores.size(); ++i) {
    const double x = scores[i];
    if (spec.method == rescale_method::best_is_100)
      out[i] = x / hi * spec.hi;
    else
      out[i] = hi > lo ? spec.lo + (spec.hi - spec.lo) * (x - lo) / (hi - lo) : 0.5 * (spec.lo + spec.hi);
  }
  return out;
}

}  // namespace parkscore
