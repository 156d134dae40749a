#pragma once
// Helpers shared by the weighting sources.

#include <fmt/format.h>

#include <Eigen/Core>
#include <cmath>
#include <string>
#include <vector>

namespace parkscore::detail {

inline std::string column_name(const std::vector<std::string>& columns, Eigen::Index j) {
  const auto i = static_cast<std::size_t>(j);
  return i < columns.size() ? fmt::format("'{}'", columns[i]) : fmt::format("column {}", j);
}

/// The rows of `x` without a missing value.
inline Eigen::MatrixXd complete_rows(const Eigen::Ref<const Eigen::MatrixXd>& x) {
  Eigen::Index n = 0;
  for (Eigen::Index i = 0; i < x.rows(); ++i) n += x.row(i).array().isNaN().any() ? 0 : 1;
  Eigen::MatrixXd out(n, x.cols());
  for (Eigen::Index i = 0, r = 0; i < x.rows(); ++i)
    if (!x.row(i).array().isNaN().any()) out.row(r++) = x.row(i);
  return out;
}

}  // namespace parkscore::detail
