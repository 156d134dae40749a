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

TEST_CASE("many unit ids: the first repeat in id order is named, as with a few") {
  // 20 000 ids (bucketed hashes, not the one-table check): u0..u19999.
  std::vector<std::string> ids;
  for (int i = 0; i < 20000; ++i) ids.push_back("u" + std::to_string(i));
  const Eigen::MatrixXd x = Eigen::MatrixXd::Zero(20000, 1);
  CHECK_NOTHROW(dataset(ids, {"a"}, x));
  // u77 again at position 15 001 and u5 again at 18 001: the earlier repeat is named.
  ids[18000] = "u5";
  ids[15000] = "u77";
  CHECK_THROWS_WITH_AS(dataset(ids, {"a"}, x), "duplicate unit id 'u77' (position 15001)", data_error);
  // u5 a third time at 19 001 does not change which repeat comes first.
  ids[19000] = "u5";
  ids[15000] = "u15000";
  CHECK_THROWS_WITH_AS(dataset(ids, {"a"}, x), "duplicate unit id 'u5' (position 18001)", data_error);
  // An empty id before the repeat is named first; after it, the repeat is.
  ids[17000] = "";
  CHECK_THROWS_WITH_AS(dataset(ids, {"a"}, x), "unit at position 17001 has an empty id", data_error);
  ids[17000] = "u17000";
  ids[19500] = "";
  CHECK_THROWS_WITH_AS(dataset(ids, {"a"}, x), "duplicate unit id 'u5' (position 18001)", data_error);
}
