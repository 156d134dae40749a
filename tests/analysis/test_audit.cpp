#include <doctest/doctest.h>

#include <cmath>

#include "fixtures.hpp"
#include "parkscore/analysis/audit.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using parkscore::test::approx;
using parkscore::test::NaN;
using parkscore::test::vec;

TEST_CASE("pearson and spearman: hand-computed, pairs with a missing value dropped") {
  // x = 1 2 3 4, y = 2 4 5 9: dx = -1.5 -.5 .5 1.5, dy = -3 -1 0 4; sxy = 11, sxx = 5, syy = 26,
  // r = 11 / sqrt(130) = 0.96476; the ranks agree: rho = 1.
  CHECK(pearson(vec({1, 2, 3, 4, 7}), vec({2, 4, 5, 9, NaN})) == approx(11 / std::sqrt(130.0)));
  CHECK(spearman(vec({1, 2, 3, 4}), vec({2, 4, 5, 9})) == approx(1));
  // Ties take the average rank: x ranks 1 2.5 2.5 4, y ranks 1 3 2 4; sxy = 4.5, sxx = 4.5, syy = 5,
  // rho = 4.5 / sqrt(22.5) = 0.94868.
  CHECK(spearman(vec({1, 2, 2, 3}), vec({1, 3, 2, 4})) == approx(4.5 / std::sqrt(22.5)));
  CHECK(std::isnan(pearson(vec({1, 1, 1}), vec({1, 2, 3}))));   // constant
  CHECK(std::isnan(pearson(vec({1, 2}), vec({1, 2}))));         // fewer than 3 pairs
}

TEST_CASE("Cronbach's alpha and PCA: hand-computed") {
  // c1 = 1 2 3 (var 1), c2 = 1 3 5 (var 4); row sums 2 5 8 (var 9): alpha = 2/1 (1 - 5/9) = 8/9.
  Eigen::MatrixXd x(4, 2);
  x << 1, 1, 2, 3, 3, 5, NaN, 2;   // the incomplete row is left out
  CHECK(cronbach_alpha(x) == approx(8.0 / 9));
  // c1 and c2 are perfectly correlated: eigenvalues 2 and 0, loadings of PC1 = (1, 1) / sqrt 2 x sqrt 2.
  const pca_result p = principal_components(x);
  CHECK(p.rows_used == 3);
  CHECK(p.eigenvalues[0] == approx(2));
  CHECK(std::abs(p.eigenvalues[1]) < 1e-12);
  CHECK(p.explained[0] == approx(1));
  CHECK(p.loadings(0, 0) == approx(1));
  CHECK(p.loadings(1, 0) == approx(1));
  // Three items, alpha = k/(k-1) (1 - sum var / var total): columns 2 4 6 | 1 2 4 | 3 3 6:
  // vars 4, 2.3333, 3; sums 6 9 16, var 26.3333; alpha = 1.5 (1 - 9.3333 / 26.3333) = 0.96835.
  Eigen::MatrixXd y(3, 3);
  y << 2, 1, 3, 4, 2, 3, 6, 4, 6;
  CHECK(cronbach_alpha(y) == approx(1.5 * (1 - (4 + 7.0 / 3 + 3) / (79.0 / 3))));
}

TEST_CASE("audit: flags, coverage, categories and per-method invariance") {
  // a1 = 1 2 3 4 and a2 (lower is better) = 1 2 3 4 normalise to opposite orders (r = -1) inside A;
  // b1 = 2 4 6 8 duplicates a1 (r = 1). u4 lacks a2.
  Eigen::MatrixXd x(4, 3);
  x << 1, 1, 2, 2, 2, 4, 3, 3, 6, 4, NaN, 8;
  const dataset d({"u1", "u2", "u3", "u4"}, {"a1", "a2", "b1"}, x);
  audit_options o;
  o.missing_share = 0.2;
  const audit_report a = audit_index(test::two_category_framework(), d, o);
  CHECK(a.units == 4);
  CHECK(a.pearson(0, 1) == approx(-1));   // a1, a2 over u1..u3
  CHECK(a.pearson(0, 2) == approx(1));
  bool negative = false, duplicate = false;
  for (const correlation_flag& f : a.flags) {
    negative = negative || (f.a == "a1" && f.b == "a2" && f.reason == "negative within a category");
    duplicate = duplicate || (f.a == "a1" && f.b == "b1" && f.reason.find("near duplicate") == 0);
  }
  CHECK(negative);
  CHECK(duplicate);
  CHECK(a.indicators[1].present == 3);
  CHECK(a.indicators[1].missing_share == approx(0.25));
  CHECK(a.indicators[1].many_missing);
  CHECK_FALSE(a.indicators[0].many_missing);
  CHECK(a.coverage[3].present == 2);
  CHECK(a.coverage[3].share == approx(2.0 / 3));
  // raw a1 = 1 2 3 4: mean 2.5, sd 1.291, cv 0.516 (not low); skewness 0.
  CHECK(a.indicators[0].cv == approx(std::sqrt(5.0 / 3) / 2.5));
  CHECK(a.indicators[0].skew_before == approx(0).epsilon(1e-12));
  REQUIRE(a.categories.size() == 3);   // index, A, B
  CHECK(a.categories[0].id == "index");
  CHECK(a.categories[1].children == std::vector<std::string>{"a1", "a2"});
  REQUIRE_FALSE(a.invariance.empty());
  CHECK_FALSE(a.invariance.front().invariant);   // min-max is pool-relative
  REQUIRE(a.rank_reversal.size() == 4);
  for (const rank_reversal_check& c : a.rank_reversal) CHECK(c.pairs > 0);
}

TEST_CASE("audit: fixed goalposts and weights are invariant by construction, and no check reverses a pair") {
  framework fw = test::two_category_framework();
  for (int k : fw.indicators()) {
    fw.at(k).norm.method = normalisation_method::goalposts;
    fw.at(k).norm.gp_min = 0;
    fw.at(k).norm.gp_max = 50;
  }
  const audit_report a = audit_index(fw, test::four_units());
  REQUIRE(a.invariance.size() == 1);
  CHECK(a.invariance.front().invariant);
  REQUIRE(a.rank_reversal.size() == 4);
  for (const rank_reversal_check& c : a.rank_reversal) {
    CAPTURE(c.description);
    CHECK(c.pairs >= 1);
    CHECK(c.reversed == 0);
  }
}

TEST_CASE("audit: min-max normalisation reverses pairs when the best unit leaves (hand-computed)") {
  // index = (x + y) / 2, min-max 0-100.     with S                     without S
  //        x    y                   x_n  y_n  index            x_n  y_n      index
  //   S  100  100                   100  100  100
  //   T   20    0                    20    0   10              100    0      50
  //   P   10    1                    10    1    5.5             50   11.11   30.56
  //   Q    0    9                     0    9    4.5              0  100      50
  // Without S: T and Q tie (a change), Q passes P; T stays above P: 2 of 3 pairs reversed.
  framework fw("index", "xy");
  fw.add_indicator("index", test::indicator("x", 1));
  fw.add_indicator("index", test::indicator("y", 1));
  Eigen::MatrixXd v(4, 2);
  v << 100, 100, 20, 0, 10, 1, 0, 9;
  const audit_report a = audit_index(fw, dataset({"S", "T", "P", "Q"}, {"x", "y"}, v));
  const rank_reversal_check& removed = a.rank_reversal[1];
  CHECK(removed.kind == perturbation::remove_best_unit);
  CHECK(removed.pairs == 3);
  CHECK(removed.reversed == 2);
  REQUIRE(removed.examples.size() == 2);
  CHECK(removed.examples[0] == "T above Q -> tied");
  CHECK(removed.examples[1] == "P above Q -> Q above P");
}
