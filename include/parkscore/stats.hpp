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

}  // namespace parkscore
