#include "parkscore/methods/aggregate.hpp"

#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "parkscore/error.hpp"
#include "model/missing_value.hpp"

namespace parkscore {

namespace {

bool row_in(const std::vector<bool>& reference, Eigen::Index row) {
  return reference.empty() || reference[static_cast<std::size_t>(row)];
}

void require_positive(double v, const std::string& mean_name) {
  if (!(v > 0))
    throw method_error(fmt::format("a {} mean needs positive values, got {}", mean_name, v));
}

// The weighted power mean when the plain sums over- or underflow (weights near
// 1e308, values near 1e308, or |p| large such as 400): weights are divided by
// their largest, the arithmetic mean by the largest |value|, and other means
// are taken in log space, M_p = exp((1/p) log(sum w_j exp(p log v_j - c) / W) + c/p)
// with c = max_j p log v_j, so no intermediate leaves the range of a double.
double stable_mean(const Eigen::Ref<const Eigen::VectorXd>& values, const Eigen::Ref<const Eigen::VectorXd>& weights,
                   double p) {
  double w_max = 0.0, v_max = 0.0, c = -std::numeric_limits<double>::infinity();
  for (Eigen::Index j = 0; j < values.size(); ++j) {
    const double v = values[j], w = weights[j];
    if (std::isnan(v) || w == 0) continue;
    w_max = std::max(w_max, w);
    v_max = std::max(v_max, std::abs(v));
    if (p != 1.0 && p != 0.0 && v > 0) c = std::max(c, p * std::log(v));
  }
  double acc = 0.0, total = 0.0;
  for (Eigen::Index j = 0; j < values.size(); ++j) {
    const double v = values[j], w = weights[j] / w_max;
    if (std::isnan(v) || weights[j] == 0) continue;
    total += w;
    if (p == 1.0)
      acc += w * (v / v_max);
    else if (p == 0.0)
      acc += w * std::log(v);
    else if (v > 0)
      acc += w * std::exp(p * std::log(v) - c);
  }
  if (p == 1.0) return v_max > 0 ? acc / total * v_max : 0.0;
  if (p == 0.0) return std::exp(acc / total);
  if (!(acc > 0)) return 0.0;   // p > 0 and every value 0
  return std::exp((std::log(acc / total) + c) / p);
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
  const bool weights_overflow = !std::isfinite(total_weight);
  if (weights_overflow && values.size() > 0) {
    // Weights near 1e308: the coverage is a ratio, so take it on weights / max weight.
    const double w_max = weights.maxCoeff();
    total_weight = present_weight = 0.0;
    for (Eigen::Index j = 0; j < values.size(); ++j) {
      total_weight += weights[j] / w_max;
      if (!std::isnan(values[j])) present_weight += weights[j] / w_max;
    }
  }
  if (!(present_weight > 0) || present_weight < spec.min_coverage * total_weight) return nan;

  const double p = spec.method == aggregation_method::geometric  ? 0.0
                   : spec.method == aggregation_method::harmonic ? -1.0
                   : spec.method == aggregation_method::power    ? spec.power
                                                                 : 1.0;
  const std::string name = to_string(spec.method);
  if (p <= 0 && spec.zeros != zero_policy::error) {
    // The node's declared convention for values <= 0, then the plain mean.
    Eigen::VectorXd adjusted = values;
    bool zero = false;
    for (Eigen::Index j = 0; j < values.size(); ++j) {
      const double v = values[j];
      if (std::isnan(v) || weights[j] == 0) continue;
      if (spec.zeros == zero_policy::floor) {
        adjusted[j] = std::max(v, spec.floor);
      } else {
        if (v < 0) require_positive(v, p == 0.0 ? "geometric" : name);
        zero = zero || v == 0;
      }
    }
    if (zero) return 0.0;   // the mean's limit as a child tends to 0
    aggregation plain = spec;
    plain.zeros = zero_policy::error;
    return aggregate_one(adjusted, weights, plain);
  }
  double acc = 0.0;
  bool any_positive = false;   // some present value > 0 with weight > 0 (an underflow to 0 is then wrong)
  for (Eigen::Index j = 0; j < values.size(); ++j) {
    const double v = values[j], w = weights[j];
    if (std::isnan(v) || w == 0) continue;
    any_positive = any_positive || v > 0;
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
  const bool plain_ok =
      std::isfinite(acc) && !weights_overflow && (p == 1.0 || p == 0.0 || acc > 0 || !any_positive);
  if (plain_ok) {
    const double mean = acc / present_weight;
    if (p == 1.0) return mean;
    if (p == 0.0) return std::exp(mean);
    return std::pow(mean, 1.0 / p);
  }
  return stable_mean(values, weights, p);
}

Eigen::VectorXd weight_coverage(const Eigen::Ref<const Eigen::MatrixXd>& children,
                                const Eigen::Ref<const Eigen::VectorXd>& weights) {
  // Shares are ratios: dividing by the largest weight first keeps the sums finite.
  const double w_max = weights.size() > 0 ? weights.maxCoeff() : 0.0;
  const Eigen::VectorXd w = std::isfinite(weights.sum()) || !(w_max > 0) ? Eigen::VectorXd(weights) : Eigen::VectorXd(weights / w_max);
  const double total = w.sum();
  Eigen::VectorXd out(children.rows());
  for (Eigen::Index i = 0; i < children.rows(); ++i) {
    double present = 0.0;
    for (Eigen::Index j = 0; j < children.cols(); ++j)
      if (!std::isnan(children(i, j))) present += w[j];
    out[i] = total > 0 ? present / total : 0.0;
  }
  return out;
}

Eigen::VectorXd topsis_closeness(const Eigen::Ref<const Eigen::MatrixXd>& children,
                                 const Eigen::Ref<const Eigen::VectorXd>& weights,
                                 const std::vector<bool>& reference, topsis_weighting weighting) {
  const Eigen::Index n = children.rows(), k = children.cols();
  const double w_max = k > 0 ? weights.maxCoeff() : 0.0;
  Eigen::VectorXd w = std::isfinite(weights.sum()) ? Eigen::VectorXd(weights / weights.sum())
                                                   : Eigen::VectorXd((weights / w_max) / (weights / w_max).sum());
  // sqrt(sum w_j (s_j - s*_j)^2) is the distance of the matrix weighted by sqrt(w_j).
  if (weighting == topsis_weighting::linear) w = w.cwiseSqrt();
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
    if (!std::isfinite(d_best) || !std::isfinite(d_worst)) {
      // Scores near 1e154 or more overflow the squares: the same distances by hypot.
      d_best = d_worst = 0.0;
      for (Eigen::Index j = 0; j < k; ++j) {
        const double v = w[j] * children(i, j);
        if (std::isnan(v) || !std::isfinite(best[j])) continue;
        d_best = std::hypot(d_best, v / 2 - best[j] / 2);
        d_worst = std::hypot(d_worst, v / 2 - worst[j] / 2);
      }
    } else {
      d_best = std::sqrt(d_best);
      d_worst = std::sqrt(d_worst);
    }
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
    out = topsis_closeness(children, weights, reference, spec.topsis);
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
      // Halves when hi - lo overflows (scores near ±1e308); exact, so otherwise the same bits.
      out[i] = !(hi > lo)                  ? 0.5 * (spec.lo + spec.hi)
               : std::isfinite(hi - lo) ? spec.lo + (spec.hi - spec.lo) * (x - lo) / (hi - lo)
                                        : spec.lo + (spec.hi - spec.lo) * ((x / 2 - lo / 2) / (hi / 2 - lo / 2));
  }
  return out;
}

}  // namespace parkscore
