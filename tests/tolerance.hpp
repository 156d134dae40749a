#pragma once
// The one tolerance helper: expected values are hand-computed to ~12 digits.

#include <doctest/doctest.h>

#include <Eigen/Core>
#include <cmath>
#include <initializer_list>
#include <vector>

namespace parkscore::test {

inline doctest::Approx approx(double expected, double eps = 1e-9) { return doctest::Approx(expected).epsilon(eps); }

inline Eigen::VectorXd vec(std::initializer_list<double> values) {
  Eigen::VectorXd v(static_cast<Eigen::Index>(values.size()));
  Eigen::Index i = 0;
  for (double x : values) v[i++] = x;
  return v;
}

/// Element-wise check; NaN expects NaN.
inline void check_vector(const Eigen::VectorXd& actual, std::initializer_list<double> expected, double eps = 1e-9) {
  REQUIRE(actual.size() == static_cast<Eigen::Index>(expected.size()));
  Eigen::Index i = 0;
  for (double e : expected) {
    CAPTURE(i);
    if (std::isnan(e))
      CHECK(std::isnan(actual[i]));
    else
      CHECK(actual[i] == approx(e, eps));
    ++i;
  }
}

}  // namespace parkscore::test
