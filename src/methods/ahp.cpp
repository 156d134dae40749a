#include "parkscore/methods/ahp.hpp"

#include <fmt/format.h>

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <array>
#include <cmath>

#include "parkscore/error.hpp"
#include "methods/weight_detail.hpp"

namespace parkscore {

namespace {

// RI for n = 3..10.
constexpr std::array<double, 8> saaty_ri{0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49};
constexpr std::array<double, 8> alternative_ri{0.52, 0.89, 1.12, 1.26, 1.36, 1.41, 1.46, 1.49};

std::string row_name(const std::vector<std::string>& names, Eigen::Index i) {
  const auto k = static_cast<std::size_t>(i);
  return k < names.size() ? fmt::format("{} ({})", i, names[k]) : fmt::format("{}", i);
}

}  // namespace

double random_index(int n, ri_table table) {
  if (n <= 2) return 0.0;
  if (n > 10)
    throw method_error(fmt::format("AHP: no random index for n = {} (the tables cover n <= 10; "
                                   "split the comparisons into smaller groups)", n));
  const auto& t = table == ri_table::saaty ? saaty_ri : alternative_ri;
  return t[static_cast<std::size_t>(n - 3)];
}

void validate_comparison_matrix(const Eigen::Ref<const Eigen::MatrixXd>& a, double tol) {
  if (a.rows() != a.cols() || a.rows() == 0)
    throw method_error(fmt::format("AHP: the comparison matrix must be square and non-empty, got {} x {}", a.rows(),
                                   a.cols()));
  for (Eigen::Index i = 0; i < a.rows(); ++i)
    for (Eigen::Index j = 0; j < a.cols(); ++j)
      if (!std::isfinite(a(i, j)) || a(i, j) <= 0)
        throw method_error(fmt::format("AHP: entry ({}, {}) = {} must be positive and finite", i, j, a(i, j)));
  for (Eigen::Index i = 0; i < a.rows(); ++i) {
    if (std::abs(a(i, i) - 1) > tol)
      throw method_error(fmt::format("AHP: diagonal entry ({}, {}) = {} must be 1", i, i, a(i, i)));
    for (Eigen::Index j = i + 1; j < a.cols(); ++j)
      if (std::abs(a(i, j) * a(j, i) - 1) > tol)
        throw method_error(fmt::format("AHP: not reciprocal: a({0}, {1}) = {2} but a({1}, {0}) = {3} "
                                       "(expected {4:.6g}, tolerance {5:g})",
                                       i, j, a(i, j), a(j, i), 1 / a(i, j), tol));
  }
}

Eigen::MatrixXd consistent_matrix(const Eigen::Ref<const Eigen::VectorXd>& w) {
  for (Eigen::Index i = 0; i < w.size(); ++i)
    if (!(w[i] > 0) || !std::isfinite(w[i]))
      throw method_error(fmt::format("consistent_matrix: weight {} = {} must be positive", i, w[i]));
  return w * w.cwiseInverse().transpose();
}

weight_result ahp_weights(const Eigen::Ref<const Eigen::MatrixXd>& input, const ahp_options& options,
                          const std::vector<std::string>& names) {
  validate_comparison_matrix(input, options.reciprocal_tolerance);
  const Eigen::Index n = input.rows();
  Eigen::MatrixXd a = input;
  for (Eigen::Index i = 0; i < n; ++i) {
    a(i, i) = 1.0;
    for (Eigen::Index j = i + 1; j < n; ++j) a(j, i) = 1.0 / a(i, j);
  }

  Eigen::VectorXd w(n);
  double lambda = static_cast<double>(n);
  if (options.method == ahp_method::eigenvector) {
    // Perron-Frobenius: the eigenvalue of largest real part is real and its eigenvector positive.
    const Eigen::EigenSolver<Eigen::MatrixXd> solver(a);
    Eigen::Index best = 0;
    for (Eigen::Index i = 1; i < n; ++i)
      if (solver.eigenvalues()[i].real() > solver.eigenvalues()[best].real()) best = i;
    lambda = solver.eigenvalues()[best].real();
    w = solver.eigenvectors().col(best).real();
    w /= w.sum();   // also fixes the sign
  } else {
    for (Eigen::Index i = 0; i < n; ++i) w[i] = std::exp(a.row(i).array().log().mean());
    w /= w.sum();
    // λmax estimated as the mean of (A w)_i / w_i.
    lambda = (a * w).cwiseQuotient(w).mean();
  }

  ahp_diagnostics d;
  d.method = options.method;
  d.table = options.ri;
  d.lambda_max = lambda;
  if (n > 2) {
    d.ci = std::max(0.0, (lambda - static_cast<double>(n)) / static_cast<double>(n - 1));
    d.ri = random_index(static_cast<int>(n), options.ri);
    d.cr = d.ci / d.ri;
  }
  d.consistent = d.cr < options.max_cr;

  struct pair_error {
    double size;
    int i, j;
  };
  std::vector<pair_error> errors;
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = i + 1; j < n; ++j)
      errors.push_back({std::abs(std::log(a(i, j) * w[j] / w[i])), static_cast<int>(i), static_cast<int>(j)});
  std::stable_sort(errors.begin(), errors.end(), [](const auto& x, const auto& y) { return x.size > y.size; });
  for (const auto& e : errors) d.least_consistent.emplace_back(e.i, e.j);

  if (!d.consistent && !options.allow_inconsistent) {
    std::vector<std::string> worst;
    for (std::size_t p = 0; p < std::min<std::size_t>(3, errors.size()); ++p) {
      const auto [size, i, j] = errors[p];
      worst.push_back(fmt::format("({}, {}) = {:.4g} vs w_i/w_j = {:.4g}", row_name(names, i), row_name(names, j),
                                  a(i, j), w[i] / w[j]));
    }
    throw method_error(fmt::format("AHP: inconsistent comparisons: CR = {:.4f} >= {:g} (lambda_max = {:.4f}, "
                                   "CI = {:.4f}, RI = {:g}); least consistent: {}",
                                   d.cr, options.max_cr, d.lambda_max, d.ci, d.ri, fmt::join(worst, "; ")));
  }

  weight_result out;
  out.method = weighting_method::ahp;
  out.weights = w;
  out.note = fmt::format("AHP {}: lambda_max = {:.4f}, CI = {:.4f}, RI = {:g}, CR = {:.4f}{}",
                         options.method == ahp_method::eigenvector ? "eigenvector" : "geometric mean", d.lambda_max,
                         d.ci, d.ri, d.cr, d.consistent ? "" : " (inconsistent, allowed)");
  out.ahp = std::move(d);
  return out;
}

}  // namespace parkscore
