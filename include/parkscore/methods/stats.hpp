#pragma once
// Descriptive statistics that skip missing values (NaN).

#include <Eigen/Core>
#include <vector>

namespace parkscore {

/// The non-missing values, in order.
std::vector<double> present_values(const Eigen::Ref<const Eigen::VectorXd>& x);
/// Arithmetic mean of the non-missing values (NaN if none).
double nan_mean(const Eigen::Ref<const Eigen::VectorXd>& x);
/// Sample standard deviation (n - 1) of the non-missing values (NaN if fewer than 2).
double nan_sd(const Eigen::Ref<const Eigen::VectorXd>& x);
/// Median of the non-missing values (NaN if none).
double nan_median(const Eigen::Ref<const Eigen::VectorXd>& x);
/// Adjusted Fisher-Pearson sample skewness of the non-missing values, as Excel's SKEW:
/// n / ((n-1)(n-2)) sum(((x - mean) / s)^3), s the sample sd. NaN if n < 3 or s = 0.
double nan_skewness(const Eigen::Ref<const Eigen::VectorXd>& x);
/// Sample excess kurtosis of the non-missing values, as Excel's KURT:
/// n(n+1) / ((n-1)(n-2)(n-3)) sum(((x - mean) / s)^4) - 3 (n-1)^2 / ((n-2)(n-3)). NaN if n < 4 or s = 0.
double nan_kurtosis(const Eigen::Ref<const Eigen::VectorXd>& x);
/// Quantile p in [0, 1] of the non-missing values by linear interpolation between order
/// statistics (R type 7, Excel PERCENTILE.INC): h = (n-1) p. NaN if none.
double nan_quantile(const Eigen::Ref<const Eigen::VectorXd>& x, double p);

/// A std::vector seen as an Eigen vector for the functions above, without a copy.
inline Eigen::Map<const Eigen::VectorXd> as_vector(const std::vector<double>& v) {
  return {v.data(), static_cast<Eigen::Index>(v.size())};
}

}  // namespace parkscore
