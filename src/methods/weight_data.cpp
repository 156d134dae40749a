#include "parkscore/methods/weight_data.hpp"

#include <fmt/format.h>

#include <Eigen/Eigenvalues>
#include <cmath>

#include "parkscore/error.hpp"
#include "methods/weight_detail.hpp"

namespace parkscore {

namespace {

using detail::column_name;

// Complete rows of x; throws if fewer than `needed`.
Eigen::MatrixXd usable_rows(const Eigen::Ref<const Eigen::MatrixXd>& x, Eigen::Index needed, const char* method,
                            weight_result& out) {
  if (x.cols() == 0) throw method_error(fmt::format("{} weights: no columns to weight", method));
  Eigen::MatrixXd complete = detail::complete_rows(x);
  out.rows_used = static_cast<std::size_t>(complete.rows());
  out.rows_incomplete = static_cast<std::size_t>(x.rows() - complete.rows());
  if (complete.rows() < needed)
    throw method_error(fmt::format("{} weights need at least {} complete rows, got {} ({} with a missing value left out)",
                                   method, needed, complete.rows(), out.rows_incomplete));
  return complete;
}

bool is_constant(const Eigen::Ref<const Eigen::VectorXd>& c) { return c.maxCoeff() == c.minCoeff(); }

double sample_sd(const Eigen::Ref<const Eigen::VectorXd>& c) {
  return std::sqrt((c.array() - c.mean()).square().sum() / static_cast<double>(c.size() - 1));
}

[[noreturn]] void all_constant(const char* method, Eigen::Index rows) {
  throw method_error(fmt::format("{} weights: every column is constant over the {} rows: the data cannot "
                                 "discriminate, so no weights can be derived from them", method, rows));
}

std::string rows_note(const weight_result& r) {
  return r.rows_incomplete == 0 ? fmt::format("{} rows", r.rows_used)
                                : fmt::format("{} complete rows ({} with a missing value left out)", r.rows_used,
                                              r.rows_incomplete);
}

std::string constant_note(const weight_result& r, const std::vector<std::string>& columns) {
  if (r.constant_columns.empty()) return "";
  std::vector<std::string> names;
  for (int j : r.constant_columns) names.push_back(column_name(columns, j));
  return fmt::format("; constant (weight 0): {}", fmt::join(names, ", "));
}

}  // namespace

weight_result entropy_weights(const Eigen::Ref<const Eigen::MatrixXd>& x, const entropy_options& options,
                              const std::vector<std::string>& columns) {
  weight_result out;
  out.method = weighting_method::entropy;
  const Eigen::MatrixXd z = usable_rows(x, 2, "entropy", out);
  const Eigen::Index n = z.rows(), k = z.cols();
  if (options.policy == entropy_policy::shift_min && !(options.shift > 0))
    throw method_error(fmt::format("entropy weights: the shift must be > 0, got {}", options.shift));
  entropy_diagnostics d;
  d.policy = options.policy;
  d.shift = Eigen::VectorXd::Zero(k);
  d.entropy.resize(k);
  const double scale = 1.0 / std::log(static_cast<double>(n));
  // SPSSAU shifts every column by the same amount when any value is <= 0.
  const double overall_min = z.minCoeff();
  const double shift_all = options.policy == entropy_policy::shift_all && overall_min <= 0 ? -overall_min + options.shift : 0.0;
  for (Eigen::Index j = 0; j < k; ++j) {
    Eigen::VectorXd c = z.col(j);
    const double lo = c.minCoeff();
    if ((options.policy == entropy_policy::require_nonnegative || options.policy == entropy_policy::zero_column) && lo < 0)
      throw method_error(fmt::format("entropy weights: column {} has a negative value {} (policy {}; declare "
                                     "shift_min or shift_all, or normalise to non-negative values)",
                                     column_name(columns, j), lo,
                                     options.policy == entropy_policy::zero_column ? "zero_column" : "require_nonnegative"));
    if (is_constant(c)) {
      out.constant_columns.push_back(static_cast<int>(j));
      d.entropy[j] = 1.0;   // p_i = 1/n for every unit: maximal entropy, no information
      continue;
    }
    if (options.policy == entropy_policy::shift_min && lo <= 0) {
      d.shift[j] = -lo + options.shift;
      c.array() += d.shift[j];
    } else if (options.policy == entropy_policy::shift_all && shift_all > 0) {
      d.shift[j] = shift_all;
      c.array() += shift_all;
    }
    if (options.policy == entropy_policy::zero_column && lo == 0) {
      d.entropy[j] = 0.0;   // pymcdm <= 1.3.1: any p_i = 0 sets the column's entropy to 0 (divergence 1)
      continue;
    }
    const Eigen::ArrayXd p = c.array() / c.sum();
    double h = 0;
    for (Eigen::Index i = 0; i < n; ++i)
      if (p[i] > 0) h -= p[i] * std::log(p[i]);   // 0 ln 0 = 0
    d.entropy[j] = h * scale;
  }
  if (static_cast<Eigen::Index>(out.constant_columns.size()) == k) all_constant("entropy", n);
  d.divergence = (1.0 - d.entropy.array()).max(0.0);   // rounding can give -1e-17
  out.weights = d.divergence / d.divergence.sum();
  const char* policy_name = options.policy == entropy_policy::shift_min       ? "shift_min"
                            : options.policy == entropy_policy::shift_all     ? "shift_all"
                            : options.policy == entropy_policy::zero_column   ? "zero_column"
                                                                              : "require_nonnegative";
  const bool shifts = options.policy == entropy_policy::shift_min || options.policy == entropy_policy::shift_all;
  out.note = fmt::format("entropy ({}) on {}{}",
                         shifts ? fmt::format("{}, +{:g}", policy_name, options.shift) : std::string(policy_name),
                         rows_note(out), constant_note(out, columns));
  out.entropy = std::move(d);
  return out;
}

weight_result critic_weights(const Eigen::Ref<const Eigen::MatrixXd>& x, const critic_options& options,
                             const std::vector<std::string>& columns) {
  weight_result out;
  out.method = weighting_method::critic;
  const Eigen::MatrixXd z = usable_rows(x, 3, "CRITIC", out);
  const Eigen::Index n = z.rows(), k = z.cols();
  critic_diagnostics d;
  d.correlation = options.correlation;
  d.sd.resize(k);
  for (Eigen::Index j = 0; j < k; ++j) {
    d.sd[j] = sample_sd(z.col(j));
    if (is_constant(z.col(j))) {
      d.sd[j] = 0;
      out.constant_columns.push_back(static_cast<int>(j));
    }
  }
  if (static_cast<Eigen::Index>(out.constant_columns.size()) == k) all_constant("CRITIC", n);
  const Eigen::MatrixXd centred = z.rowwise() - z.colwise().mean();
  d.r = Eigen::MatrixXd::Identity(k, k);
  for (Eigen::Index j = 0; j < k; ++j)
    for (Eigen::Index l = j + 1; l < k; ++l) {
      const double cov = centred.col(j).dot(centred.col(l)) / static_cast<double>(n - 1);
      const double r = d.sd[j] > 0 && d.sd[l] > 0 ? std::clamp(cov / (d.sd[j] * d.sd[l]), -1.0, 1.0) : 0.0;
      d.r(j, l) = d.r(l, j) = r;
    }
  const Eigen::MatrixXd r_used = options.correlation == critic_correlation::absolute_r ? Eigen::MatrixXd(d.r.cwiseAbs()) : d.r;
  d.conflict = (1.0 - r_used.array()).colwise().sum().transpose();
  d.information = d.sd.cwiseProduct(d.conflict);
  const double total = d.information.sum();
  if (!(total > 0))
    throw method_error("CRITIC weights: every column carries zero information (s_j Σ(1 - r) = 0: the "
                       "non-constant columns are perfectly correlated)");
  out.weights = d.information / total;
  out.note = fmt::format("CRITIC ({}) on {}{}",
                         options.correlation == critic_correlation::signed_r ? "1 - r" : "1 - |r|", rows_note(out),
                         constant_note(out, columns));
  out.critic = std::move(d);
  return out;
}

weight_result variation_weights(const Eigen::Ref<const Eigen::MatrixXd>& x, const std::vector<std::string>& columns,
                                const variation_options& options) {
  weight_result out;
  out.method = weighting_method::variation;
  const Eigen::MatrixXd z = usable_rows(x, 2, "coefficient-of-variation", out);
  const Eigen::Index n = z.rows(), k = z.cols();
  variation_diagnostics d;
  d.mean = z.colwise().mean().transpose();
  d.sd.resize(k);
  d.cv.resize(k);
  for (Eigen::Index j = 0; j < k; ++j) {
    if (is_constant(z.col(j))) {
      out.constant_columns.push_back(static_cast<int>(j));
      d.sd[j] = d.cv[j] = 0;
      continue;
    }
    if (!(d.mean[j] > 0))
      throw method_error(fmt::format("coefficient-of-variation weights: column {} has mean {} <= 0; the "
                                     "coefficient of variation needs positive (ratio-scale) values",
                                     column_name(columns, j), d.mean[j]));
    d.sd[j] = sample_sd(z.col(j));
    if (options.sd == sd_divisor::population)   // divisor n: sd_(n-1) sqrt((n - 1)/n)
      d.sd[j] = std::sqrt((z.col(j).array() - z.col(j).mean()).square().sum() / static_cast<double>(n));
    d.cv[j] = d.sd[j] / d.mean[j];
  }
  if (static_cast<Eigen::Index>(out.constant_columns.size()) == k) all_constant("coefficient-of-variation", n);
  out.weights = d.cv / d.cv.sum();
  out.note = fmt::format("coefficient of variation{} on {}{}", options.sd == sd_divisor::population ? " (sd over n)" : "",
                         rows_note(out), constant_note(out, columns));
  out.variation = std::move(d);
  return out;
}

Eigen::MatrixXd varimax(const Eigen::Ref<const Eigen::MatrixXd>& loadings, bool kaiser_normalise, int max_iterations,
                        double tolerance, int* iterations) {
  const Eigen::Index p = loadings.rows(), m = loadings.cols();
  if (iterations) *iterations = 0;
  if (m < 2) return loadings;
  Eigen::MatrixXd a = loadings;
  Eigen::VectorXd h = Eigen::VectorXd::Ones(p);
  if (kaiser_normalise) {
    h = a.rowwise().norm();
    for (Eigen::Index i = 0; i < p; ++i)
      if (h[i] > 0) a.row(i) /= h[i];
  }
  // Kaiser's (1958) planar rotations: for each pair of factors (a, b) the angle that
  // maximises Σ_f [p Σ_j b_jf⁴ - (Σ_j b_jf²)²] has the closed form φ = atan2(num, den) / 4
  // with u = x² - y², v = 2xy; sweep over all pairs until no angle exceeds the tolerance.
  // (The SVD iteration can stall at a stationary point such as an unrotated symmetric layout.)
  const auto pd = static_cast<double>(p);
  int it = 0;
  for (; it < max_iterations; ++it) {
    double largest = 0;
    for (Eigen::Index fa = 0; fa < m; ++fa)
      for (Eigen::Index fb = fa + 1; fb < m; ++fb) {
        const Eigen::ArrayXd x = a.col(fa), y = a.col(fb);
        const Eigen::ArrayXd u = x.square() - y.square(), v = 2 * x * y;
        const double num = 2 * (pd * (u * v).sum() - u.sum() * v.sum());
        const double den = pd * (u.square() - v.square()).sum() - (u.sum() * u.sum() - v.sum() * v.sum());
        const double phi = std::atan2(num, den) / 4;
        largest = std::max(largest, std::abs(phi));
        a.col(fa) = (std::cos(phi) * x + std::sin(phi) * y).matrix();
        a.col(fb) = (-std::sin(phi) * x + std::cos(phi) * y).matrix();
      }
    if (largest < tolerance) break;
  }
  if (iterations) *iterations = it + 1;
  if (kaiser_normalise) a = h.asDiagonal() * a;
  return a;
}

weight_result pca_weights(const Eigen::Ref<const Eigen::MatrixXd>& x, const pca_options& options,
                          const std::vector<std::string>& columns) {
  weight_result out;
  out.method = weighting_method::pca;
  const Eigen::MatrixXd z = usable_rows(x, x.cols() + 1, "PCA", out);
  const Eigen::Index n = z.rows(), k = z.cols();
  Eigen::VectorXd sd(k);
  for (Eigen::Index j = 0; j < k; ++j) {
    if (is_constant(z.col(j)))
      throw method_error(fmt::format("PCA weights: column {} is constant over the {} rows; its correlations are "
                                     "undefined (drop it or use another weighting)", column_name(columns, j), n));
    sd[j] = sample_sd(z.col(j));
  }
  const Eigen::MatrixXd standard = ((z.rowwise() - z.colwise().mean()).array().rowwise() / sd.transpose().array()).matrix();
  const Eigen::MatrixXd corr = standard.transpose() * standard / static_cast<double>(n - 1);

  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(corr);
  pca_diagnostics d;
  d.eigenvalues = solver.eigenvalues().reverse();
  const Eigen::MatrixXd vectors = solver.eigenvectors().rowwise().reverse();
  d.explained = d.eigenvalues / static_cast<double>(k);
  Eigen::Index m = 0;
  while (m < k && d.eigenvalues[m] > options.min_eigenvalue) ++m;
  if (options.min_cumulative)
    while (m < k && d.explained.head(m).sum() < *options.min_cumulative) ++m;
  m = std::max<Eigen::Index>(m, 1);
  d.retained = static_cast<int>(m);
  d.loadings = vectors.leftCols(m) * d.eigenvalues.head(m).cwiseMax(0.0).cwiseSqrt().asDiagonal();
  for (Eigen::Index f = 0; f < m; ++f)
    if (d.loadings.col(f).sum() < 0) d.loadings.col(f) *= -1;   // sign is arbitrary; show mostly positive
  d.rotated = varimax(d.loadings, options.kaiser_normalise, options.max_iterations, options.tolerance,
                      &d.varimax_iterations);
  d.factor_variance = d.rotated.array().square().colwise().sum().transpose();
  d.squared_scaled = d.rotated.array().square().rowwise() / d.factor_variance.transpose().array();
  const Eigen::VectorXd factor_share = d.factor_variance / d.factor_variance.sum();
  Eigen::VectorXd w(k);
  d.factor_of.resize(static_cast<std::size_t>(k));
  for (Eigen::Index j = 0; j < k; ++j) {
    Eigen::Index f = 0;
    d.squared_scaled.row(j).maxCoeff(&f);
    d.factor_of[static_cast<std::size_t>(j)] = static_cast<int>(f);
    w[j] = factor_share[f] * d.squared_scaled(j, f);
  }
  out.weights = w / w.sum();
  out.note = fmt::format("PCA on {}: {} factor(s) retained (eigenvalues {:.4g}), {:.1f}% of variance{}", rows_note(out),
                         m, fmt::join(d.eigenvalues.head(m), ", "), 100 * d.explained.head(m).sum(),
                         m > 1 ? ", varimax" : "");
  out.pca = std::move(d);
  return out;
}

}  // namespace parkscore
