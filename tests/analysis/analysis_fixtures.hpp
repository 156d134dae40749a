#pragma once
// Small random problems for the uncertainty tests (values from a Philox stream, so
// they are the same on every platform).

#include <cmath>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "parkscore/analysis/philox.hpp"

namespace parkscore::test {

/// index -> C1 (weight 2: x1, x2 lower-is-better, x3), C2 (weight 1: x4, x5).
inline framework five_indicator_framework() {
  framework fw("index", "Test index");
  fw.add_category("index", category("C1", 2));
  fw.add_indicator("C1", indicator("x1", 1));
  fw.add_indicator("C1", indicator("x2", 2, direction::lower_is_better));
  fw.add_indicator("C1", indicator("x3", 1));
  fw.add_category("index", category("C2", 1));
  fw.add_indicator("C2", indicator("x4", 1));
  fw.add_indicator("C2", indicator("x5", 3));
  return fw;
}

/// n units with log-normal-ish values exp(2u - 1); unit ids u1..un.
inline dataset random_units(std::size_t n, std::uint64_t seed, bool with_missing = false) {
  philox_stream rng(seed, 0, 0);
  Eigen::MatrixXd x(static_cast<Eigen::Index>(n), 5);
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    for (Eigen::Index j = 0; j < 5; ++j) x(i, j) = std::exp(2 * rng.uniform() - 1);
  if (with_missing) {
    x(1, 0) = NaN;   // unit u2 misses x1 (C1 keeps 3 of 4 weight units)
    x(4, 3) = NaN;   // unit u5 misses x4
  }
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < n; ++i) ids.push_back("u" + std::to_string(i + 1));
  return dataset(ids, {"x1", "x2", "x3", "x4", "x5"}, x);
}

}  // namespace parkscore::test
