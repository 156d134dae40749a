#pragma once
// Small frameworks and datasets shared by the tests; their expected results
// are worked out by hand in the tests that use them.

#include <limits>
#include <string>

#include "parkscore/model/dataset.hpp"
#include "parkscore/model/framework.hpp"

namespace parkscore::test {

inline constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

inline node category(const std::string& id, double weight) {
  node n;
  n.id = id;
  n.name = id;
  n.weight = weight;
  return n;
}

inline node indicator(const std::string& id, double weight, direction dir = direction::higher_is_better,
                      normalisation_method m = normalisation_method::min_max) {
  node n;
  n.id = id;
  n.name = id;
  n.weight = weight;
  n.dir = dir;
  n.norm.method = m;
  return n;
}

/// index -> A (weight 2: a1 higher, a2 lower), B (weight 1: b1 higher); min-max 0-100.
inline framework two_category_framework() {
  framework fw("index", "Demo index");
  fw.add_category("index", category("A", 2));
  fw.add_indicator("A", indicator("a1", 1));
  fw.add_indicator("A", indicator("a2", 1, direction::lower_is_better));
  fw.add_category("index", category("B", 1));
  fw.add_indicator("B", indicator("b1", 1));
  return fw;
}

/// Four units; a1 = 0, 10, 20, 40; a2 = 5, 1, 3, 1; b1 = 2, 4, 6, 8.
inline dataset four_units() {
  Eigen::MatrixXd x(4, 3);
  x << 0, 5, 2,  //
      10, 1, 4,  //
      20, 3, 6,  //
      40, 1, 8;
  dataset d({"u1", "u2", "u3", "u4"}, {"a1", "a2", "b1"}, x);
  d.set_group("level", {"national", "provincial", "national", "provincial"});
  return d;
}

}  // namespace parkscore::test
