#include <doctest/doctest.h>

#include <limits>

#include "parkscore/methods/aggregate.hpp"
#include "parkscore/error.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using parkscore::test::approx;
using parkscore::test::check_vector;
using parkscore::test::vec;

namespace {
constexpr double NaN = std::numeric_limits<double>::quiet_NaN();

aggregation with(aggregation_method m, double p = 1.0) {
  aggregation a;
  a.method = m;
  a.power = p;
  return a;
}
}  // namespace

TEST_CASE("weighted means of one unit's children") {
  CHECK(aggregate_one(vec({50, 80}), vec({1, 3}), {}) == approx(72.5));  // (50 + 240) / 4
  CHECK(aggregate_one(vec({10, 1000}), vec({1, 1}), with(aggregation_method::geometric)) == approx(100));
  CHECK(aggregate_one(vec({1, 3}), vec({1, 1}), with(aggregation_method::harmonic)) == approx(1.5));  // 2 / (1 + 1/3)
  CHECK(aggregate_one(vec({3, 4}), vec({1, 1}), with(aggregation_method::power, 2)) == approx(std::sqrt(12.5)));
  CHECK(aggregate_one(vec({10, 1000}), vec({1, 1}), with(aggregation_method::power, 0)) == approx(100));
  // weights 1:2 geometric: exp((ln 2 + 2 ln 16)/3) = (2 * 256)^(1/3) = 8
  CHECK(aggregate_one(vec({2, 16}), vec({1, 2}), with(aggregation_method::geometric)) == approx(8));
}

TEST_CASE("missing children: weights renormalised, coverage threshold applies") {
  // present weight 4 of 5 (80%): (50 + 3*80) / 4
  CHECK(aggregate_one(vec({50, NaN, 80}), vec({1, 1, 3}), {}) == approx(72.5));
  aggregation strict;
  strict.min_coverage = 0.9;
  CHECK(std::isnan(aggregate_one(vec({50, NaN, 80}), vec({1, 1, 3}), strict)));
  CHECK(std::isnan(aggregate_one(vec({NaN, NaN}), vec({1, 1}), {})));
  check_vector(weight_coverage((Eigen::MatrixXd(2, 3) << 1, NaN, 1, 1, 1, 1).finished(), vec({1, 1, 3})), {0.8, 1});
}

TEST_CASE("non-positive values under geometric and harmonic means fail loudly") {
  CHECK_THROWS_WITH_AS(aggregate_one(vec({0, 5}), vec({1, 1}), with(aggregation_method::geometric)),
                       doctest::Contains("positive values, got 0"), method_error);
  CHECK_THROWS_AS(aggregate_one(vec({-1, 5}), vec({1, 1}), with(aggregation_method::harmonic)), method_error);
  CHECK_THROWS_AS(aggregate_one(vec({-1, 5}), vec({1, 1}), with(aggregation_method::power, 0.5)), method_error);
}

TEST_CASE("scaling sibling weights by a constant changes nothing") {
  const auto x = vec({12.5, 80, 41});
  for (auto m : {aggregation_method::arithmetic, aggregation_method::geometric, aggregation_method::harmonic}) {
    CAPTURE(to_string(m));
    CHECK(aggregate_one(x, vec({1, 2, 3}), with(m)) == approx(aggregate_one(x, vec({7, 14, 21}), with(m))));
  }
}

TEST_CASE("TOPSIS closeness to the ideal point") {
  // weights 0.5 each: v = [[.5,.5],[0,0],[.5,0]]; ideal best (.5,.5), worst (0,0)
  Eigen::MatrixXd z(3, 2);
  z << 1, 1, 0, 0, 1, 0;
  check_vector(topsis_closeness(z, vec({1, 1})), {1, 0, 0.5});
  // Ideals from the first two rows only: the third row is judged against them.
  check_vector(topsis_closeness(z, vec({1, 1}), {true, true, false}), {1, 0, 0.5});
  check_vector(aggregate_rows(z, vec({1, 1}), with(aggregation_method::topsis)), {1, 0, 0.5});
}

TEST_CASE("rescaling after aggregation") {
  rescaling best;
  best.method = rescale_method::best_is_100;
  check_vector(rescale_scores(vec({20, 40, 80}), best), {25, 50, 100});
  rescaling mm;
  mm.method = rescale_method::min_max;
  check_vector(rescale_scores(vec({20, 40, 80, NaN}), mm), {0, 100.0 / 3, 100, NaN});
  // Reference rows set the scale; the others follow it.
  check_vector(rescale_scores(vec({20, 40, 80}), best, {true, true, false}), {50, 100, 200});
}
