#include <doctest/doctest.h>

#include <cmath>

#include "fixtures.hpp"
#include "parkscore/engine/evaluate.hpp"
#include "parkscore/report/contributions.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using parkscore::test::approx;

namespace {

// Sum of the indicator contributions of unit u plus the rescaling term (and, on the
// score scale, the bonus/deduction).
double parts(const framework& fw, const contribution_table& t, Eigen::Index u) {
  double sum = t.rescaling[u];
  if (t.scale == contribution_scale::score) sum += t.adjustment[u];
  for (int k : fw.indicators()) sum += t.node(u, k);
  return sum;
}

}  // namespace

// two_category_framework on four_units, pool "all": index = (2 A + B) / 3, A = (a1 + a2) / 2, B = b1.
// u2: a1 = 25, a2 = 100, b1 = 33.333; contributions 2/3 x 1/2 x 25 = 8.3333, 2/3 x 1/2 x 100 = 33.333,
// 1/3 x 33.333 = 11.111; sum 52.778 = the index; A's part 41.667 = 2/3 x 62.5.
TEST_CASE("contributions: arithmetic tree, hand-computed parts add up to the score to 1e-12") {
  const framework fw = test::two_category_framework();
  const result r = evaluate(fw, test::four_units());
  const contribution_table t = contributions(r);
  CHECK(t.scale == contribution_scale::score);
  const int a1 = fw.index_of("a1"), a2 = fw.index_of("a2"), b1 = fw.index_of("b1"), A = fw.index_of("A");
  CHECK(t.node(1, a1) == approx(25.0 / 3));
  CHECK(t.node(1, a2) == approx(100.0 / 3));
  CHECK(t.node(1, b1) == approx(100.0 / 9));
  CHECK(t.node(1, A) == approx(125.0 / 3));
  CHECK(t.factor(1, a1) == approx(1.0 / 3));   // d(contribution)/d(normalised) = 2/3 x 1/2
  for (Eigen::Index u = 0; u < 4; ++u) {
    CAPTURE(u);
    CHECK(std::abs(parts(fw, t, u) - r.pool().scores(u, 0)) < 1e-12);
    CHECK(t.total(static_cast<std::size_t>(u)) == r.pool().scores(u, 0));
  }
}

TEST_CASE("contributions: points scale and a min-max rescaled index per pool") {
  // Pool "level", national = u1, u3: every indicator normalises to 0 and 100, so index = 0 and 100;
  // rescaled to [10, 90]: b = 80 / 100 = 0.8, a = 10. u3: each indicator part 0.8 x 1/3 x 100 = 26.667,
  // rescaling term 10, sum 90. Points scale x2 (total 200): parts double, the sum is the shown 180.
  framework fw = test::two_category_framework();
  fw.root().rescale = {rescale_method::min_max, 10, 90};
  fw.scores = {score_scale::points, 200};
  evaluation_options options;
  options.pools = {"level"};
  const result r = evaluate(fw, test::four_units(), options);
  const contribution_table t = contributions(r, "level");
  CHECK(r.pool("level").scores(2, 0) == approx(180));
  CHECK(t.node(2, fw.index_of("a1")) == approx(2 * 80.0 / 3));
  CHECK(t.node(2, fw.index_of("b1")) == approx(2 * 80.0 / 3));
  CHECK(t.rescaling[2] == approx(20));
  CHECK(t.mean_score(2, fw.index_of("A")) == approx(100));
  for (Eigen::Index u = 0; u < 4; ++u) CHECK(std::abs(parts(fw, t, u) - r.pool("level").scores(u, 0)) < 1e-12);
}

// Normalised to [10, 100] so that the geometric and harmonic means are defined:
// a1 = 10, 32.5, 55, 100; a2 = 10, 100, 55, 100; b1 = 10, 40, 70, 100.
namespace {
framework floored_framework() {
  framework fw = test::two_category_framework();
  for (int k : fw.indicators()) fw.at(k).norm.lo = 10;
  return fw;
}
}  // namespace

TEST_CASE("contributions: a geometric index splits ln(score); categories split in proportion") {
  // u2: A = (32.5 + 100) / 2 = 66.25, B = 40, index = A^(2/3) B^(1/3); ln index = 2/3 ln 66.25 + 1/3 ln 40.
  // A's part is split over a1 and a2 in proportion to their arithmetic terms 16.25 and 50 (of 66.25).
  framework fw = floored_framework();
  fw.root().agg.method = aggregation_method::geometric;
  const result r = evaluate(fw, test::four_units());
  const contribution_table t = contributions(r);
  CHECK(t.scale == contribution_scale::log_score);
  const double lnA = 2.0 / 3 * std::log(66.25), lnB = 1.0 / 3 * std::log(40.0);
  CHECK(t.total(1) == approx(lnA + lnB));
  CHECK(t.node(1, fw.index_of("a1")) == approx(lnA * 16.25 / 66.25));
  CHECK(t.node(1, fw.index_of("a2")) == approx(lnA * 50 / 66.25));
  CHECK(t.node(1, fw.index_of("b1")) == approx(lnB));
  CHECK(std::isnan(t.factor(1, fw.index_of("a1"))));   // not a linear path
  for (Eigen::Index u = 0; u < 4; ++u) CHECK(std::abs(parts(fw, t, u) - std::log(r.pool().scores(u, 0))) < 1e-12);
}

TEST_CASE("contributions: a harmonic node is reported as not additive") {
  framework fw = floored_framework();
  fw.at(fw.index_of("B")).agg.method = aggregation_method::harmonic;
  const result r = evaluate(fw, test::four_units());
  const contribution_table t = contributions(r);
  CHECK(t.scale == contribution_scale::not_additive);
  CHECK(t.reason.find("'B'") != std::string::npos);
  CHECK(std::isnan(t.node(1, 0)));
}
