#include "parkscore/stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace parkscore {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
}

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

}  // namespace parkscore
