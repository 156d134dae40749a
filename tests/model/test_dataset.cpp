#include <doctest/doctest.h>

#include "fixtures.hpp"
#include "parkscore/model/dataset.hpp"
#include "parkscore/error.hpp"

using namespace parkscore;
using namespace parkscore::test;

TEST_CASE("a dataset matches columns by id") {
  const dataset d = four_units();
  CHECK(d.unit_count() == 4);
  CHECK(d.indicator_index("b1") == 2);
  CHECK(d.value(3, 0) == 40);
  CHECK(d.group("level")[1] == "provincial");
  CHECK(d.unit_names()[0] == "u1");
}

TEST_CASE("bad datasets are rejected with the place named") {
  Eigen::MatrixXd x(2, 1);
  x << 1, 2;
  CHECK_THROWS_WITH_AS(dataset({"z1", "z1"}, {"a"}, x), "duplicate unit id 'z1' (position 2)", data_error);
  CHECK_THROWS_WITH_AS(dataset({"z1", "z2"}, {"a"}, Eigen::MatrixXd(2, 2)), doctest::Contains("values are 2 x 2"),
                       data_error);
  x(1, 0) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH_AS(dataset({"z1", "z2"}, {"a"}, x), doctest::Contains("unit 'z2', indicator 'a': value inf"),
                       data_error);
  dataset d = four_units();
  CHECK_THROWS_WITH_AS(d.indicator_index("zz"), "indicator 'zz' has no column in the data", data_error);
  CHECK_THROWS_WITH_AS(d.group("region"), doctest::Contains("no grouping column 'region'"), data_error);
  CHECK_THROWS_WITH_AS(d.set_group("level", {"a", "", "b", "c"}),
                       "grouping column 'level': unit 'u2' has no label", data_error);
}
