#include "parkscore/methods/stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "model/missing_value.hpp"

namespace parkscore {

std::vector<double> present_values(const Eigen::Ref<const Eigen::VectorXd>& x) {
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(x.size()));
  for (Eigen::Index i = 0; i < x.size(); ++i)
    if (!std::isnan(x[i])) out.push_back(x[i]);
  return out;
}

double nan_mean(const Eigen::Ref<const Eigen::VectorXd>& x) {
  double sum = 0.0;
  Eigen::Index n = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i)
    if (!std::isnan(x[i])) {
      sum += x[i];
      ++n;
    }
  return n > 0 ? sum / static_cast<double>(n) : nan;
}

double nan_sd(const Eigen::Ref<const Eigen::VectorXd>& x) {
  const double m = nan_mean(x);
  double ss = 0.0;
  Eigen::Index n = 0;
  for (Eigen::Index i = 0; i < x.size(); ++i)
    if (!std::isnan(x[i])) {
      ss += (x[i] - m) * (x[i] - m);
      ++n;
    }
  return n > 1 ? std::sqrt(ss / static_cast<double>(n - 1)) : nan;
}

double nan_median(const Eigen::Ref<const Eigen::VectorXd>& x) {
  std::vector<double> v = present_values(x);
  if (v.empty()) return nan;
  const std::size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  const double upper = v[mid];
  if (v.size() % 2 == 1) return upper;
  const double lower = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid));
  return 0.5 * (lower + upper);
}

namespace {
// Sums of standardised powers: n, sum(z^3), sum(z^4) with z = (x - mean) / s (sample sd).
struct standardised_moments {
  double n = 0.0, s3 = 0.0, s4 = 0.0;
  bool defined = false;
};
standardised_moments moments(const Eigen::Ref<const Eigen::VectorXd>& x) {
  standardised_moments m;
  const double mean = nan_mean(x), sd = nan_sd(x);
  for (Eigen::Index i = 0; i < x.size(); ++i)
    if (!std::isnan(x[i])) m.n += 1.0;
  if (!(sd > 0)) return m;
  for (Eigen::Index i = 0; i < x.size(); ++i)
    if (!std::isnan(x[i])) {
      const double z = (x[i] - mean) / sd;
      m.s3 += z * z * z;
      m.s4 += z * z * z * z;
    }
  m.defined = true;
  return m;
}
}  // namespace

double nan_skewness(const Eigen::Ref<const Eigen::VectorXd>& x) {
  const standardised_moments m = moments(x);
  if (!m.defined || m.n < 3) return nan;
  return m.n / ((m.n - 1) * (m.n - 2)) * m.s3;
}

double nan_kurtosis(const Eigen::Ref<const Eigen::VectorXd>& x) {
  const standardised_moments m = moments(x);
  if (!m.defined || m.n < 4) return nan;
  const double n = m.n;
  return n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * m.s4 - 3 * (n - 1) * (n - 1) / ((n - 2) * (n - 3));
}

double nan_quantile(const Eigen::Ref<const Eigen::VectorXd>& x, double p) {
  std::vector<double> v = present_values(x);
  if (v.empty()) return nan;
  std::sort(v.begin(), v.end());
  const double h = static_cast<double>(v.size() - 1) * std::clamp(p, 0.0, 1.0);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  return v[lo] + (h - static_cast<double>(lo)) * (v[hi] - v[lo]);
}

}  // namespace parkscore
