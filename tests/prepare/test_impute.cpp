#include <doctest/doctest.h>

#include "fixtures.hpp"
#include "parkscore/error.hpp"
#include "parkscore/prepare/impute.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using namespace parkscore::test;

namespace {
// Five zones in two regions; x has two gaps.
dataset regions() {
  Eigen::MatrixXd x(5, 1);
  x << 10, NaN, 4, 8, NaN;
  dataset d({"z1", "z2", "z3", "z4", "z5"}, {"x"}, x);
  d.set_group("region", {"north", "north", "south", "south", "south"});
  d.set_group("level", {"a", "b", "a", "a", "b"});
  return d;
}
imputation spec(imputation_method m, std::string group = "") { return {m, std::move(group)}; }
}  // namespace

TEST_CASE("group mean and median fill from units of the same group") {
  // north: z1 = 10 -> z2 = 10; south: z3 = 4, z4 = 8 -> z5 = (4 + 8) / 2 = 6.
  const imputed_data r = impute(regions(), {spec(imputation_method::group_mean, "region")});
  check_vector(r.values.col(0), {10, 10, 4, 8, 6});
  CHECK(r.imputed.col(0).cast<int>().matrix() == Eigen::Vector<int, 5>(0, 1, 0, 0, 1));
  REQUIRE(r.cells.size() == 2);
  CHECK(r.cells[1].unit == "z5");
  CHECK(r.cells[1].basis == "mean of 2 value(s) with region = south");
  const imputed_data m = impute(regions(), {spec(imputation_method::group_median, "region")});
  check_vector(m.values.col(0), {10, 10, 4, 8, 6});
}

TEST_CASE("pool mean and median use the pool's observed reference values") {
  // all: observed 10, 4, 8 -> mean 22/3, median 8.
  check_vector(impute(regions(), {spec(imputation_method::mean)}).values.col(0), {10, 22.0 / 3, 4, 8, 22.0 / 3});
  check_vector(impute(regions(), {spec(imputation_method::median)}).values.col(0), {10, 8, 4, 8, 8});
  // Pools by level: a = z1, z3, z4 (10, 4, 8); b = z2, z5 with no observed value -> left missing, recorded.
  impute_options opt;
  opt.grouping = "level";
  opt.pool_labels = regions().group("level");
  const imputed_data r = impute(regions(), {spec(imputation_method::mean)}, opt);
  CHECK(r.cells.empty());
  REQUIRE(r.unfilled.size() == 2);
  CHECK(r.unfilled[0].pool == "level=b");
  CHECK(r.unfilled[0].basis == "no observed value in the pool");
  // Excluded units are not donors: without z1, the mean of 4 and 8 is 6.
  impute_options ex;
  ex.reference = {false, true, true, true, true};
  check_vector(impute(regions(), {spec(imputation_method::mean)}, ex).values.col(0), {10, 6, 4, 8, 6});
}

TEST_CASE("carry forward and growth from the previous year") {
  // Previous year: z1 10, z2 20, z3 40, z4 5 (z5 absent). Current: z1 11, z2 24, z3 NaN, z4 5.5, z5 NaN.
  // Growth ratios over units with both years: 11/10 = 1.1, 24/20 = 1.2, 5.5/5 = 1.1 -> median 1.1.
  // z3: 40 * 1.1 = 44; z5 has no previous value -> left missing.
  Eigen::MatrixXd prev_x(4, 1), now_x(5, 1);
  prev_x << 10, 20, 40, 5;
  now_x << 11, 24, NaN, 5.5, NaN;
  const dataset prev({"z1", "z2", "z3", "z4"}, {"x"}, prev_x);
  const dataset now({"z1", "z2", "z3", "z4", "z5"}, {"x"}, now_x);
  impute_options opt;
  opt.previous = &prev;
  const imputed_data g = impute(now, {spec(imputation_method::growth)}, opt);
  check_vector(g.values.col(0), {11, 24, 44, 5.5, NaN});
  CHECK(g.cells[0].basis == "previous year 40 x median growth ratio 1.1 (over 3 unit(s))");
  CHECK(g.unfilled[0].unit == "z5");
  const imputed_data c = impute(now, {spec(imputation_method::carry_forward)}, opt);
  check_vector(c.values.col(0), {11, 24, 40, 5.5, NaN});
  CHECK(c.imputed(2, 0));
  CHECK_FALSE(c.imputed(4, 0));
}

TEST_CASE("imputation errors name the indicator") {
  CHECK_THROWS_WITH_AS(impute(regions(), {spec(imputation_method::carry_forward)}),
                       "indicator 'x': imputation by carry_forward needs the previous year's data, but none were given",
                       data_error);
  CHECK_THROWS_WITH_AS(impute(regions(), {spec(imputation_method::group_mean, "province")}),
                       doctest::Contains("indicator 'x': imputation by group_mean needs the grouping column 'province'"),
                       data_error);
  CHECK_THROWS_WITH_AS(impute(regions(), {spec(imputation_method::group_mean)}),
                       "indicator 'x': imputation: group_mean needs a \"group\" column", schema_error);
}
