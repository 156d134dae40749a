#pragma once
// The small dataset the derived-indicator tests share.

#include "fixtures.hpp"

namespace parkscore::test {

// tax, land_area, gdp for three zones; z3 has no land area recorded, z2 has zero.
inline dataset zones() {
  Eigen::MatrixXd x(3, 3);
  x << 120, 40, 300,  //
      50, 0, 200,     //
      90, NaN, 100;
  return dataset({"z1", "z2", "z3"}, {"tax", "land_area", "gdp"}, x);
}

}  // namespace parkscore::test
