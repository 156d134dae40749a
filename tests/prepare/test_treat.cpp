#include <doctest/doctest.h>

#include <cmath>

#include "fixtures.hpp"
#include "parkscore/error.hpp"
#include "parkscore/methods/stats.hpp"
#include "parkscore/prepare/treat.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using namespace parkscore::test;

namespace {
treatment jrc() {
  treatment t;
  t.method = treatment_method::jrc;
  return t;
}
Eigen::VectorXd range(int from, int to) {  // from..to inclusive
  Eigen::VectorXd v(to - from + 1);
  for (int i = from; i <= to; ++i) v[i - from] = i;
  return v;
}
Eigen::VectorXd join(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  Eigen::VectorXd v(a.size() + b.size());
  v << a, b;
  return v;
}
}  // namespace

TEST_CASE("skewness and kurtosis as Excel's SKEW and KURT") {
  // x = 1, 2, 3, 4, 10: mean 4, deviations -3 -2 -1 0 6, sum of squares 50, s^2 = 12.5.
  // SKEW = n/((n-1)(n-2)) sum(d^3)/s^3 = 5/12 * 180 / 12.5^1.5 = 6 / sqrt(12.5) = 1.2 sqrt(2)
  // KURT = n(n+1)/((n-1)(n-2)(n-3)) sum(d^4)/s^4 - 3(n-1)^2/((n-2)(n-3))
  //      = 30/24 * 1394/156.25 - 3*16/6 = 1.25 * 8.9216 - 8 = 3.152
  const Eigen::VectorXd x = vec({1, 2, 3, 4, 10});
  CHECK(nan_skewness(x) == approx(1.2 * std::sqrt(2.0)));
  CHECK(nan_kurtosis(x) == approx(3.152));
  // Missing values are skipped; too few values or a constant give NaN (Excel: #DIV/0!).
  CHECK(nan_skewness(vec({1, NaN, 2, 3, 4, 10})) == approx(1.2 * std::sqrt(2.0)));
  CHECK(std::isnan(nan_skewness(vec({1, 2}))));
  CHECK(std::isnan(nan_kurtosis(vec({1, 2, 3}))));
  CHECK(std::isnan(nan_kurtosis(vec({5, 5, 5, 5}))));
  // A symmetric vector has zero skew; 1..5: KURT = 1.25 * (2*16+2*1)/6.25 ... = 1.25 * 5.44 - 8 = -1.2
  CHECK(nan_skewness(vec({1, 2, 3, 4, 5})) == approx(0.0));
  CHECK(nan_kurtosis(vec({1, 2, 3, 4, 5})) == approx(-1.2));
  // Quantiles, type 7: 1..11 at p = 0.1 -> h = 1 -> 2; p = 0.25 -> h = 2.5 -> 3.5
  CHECK(nan_quantile(range(1, 11), 0.1) == approx(2));
  CHECK(nan_quantile(range(1, 11), 0.25) == approx(3.5));
}

TEST_CASE("JRC rule: one extreme outlier is winsorised in one step") {
  // 1..9, 100: SKEW 3.1189, KURT 9.7992 -> fails; 100 -> 9 gives 1..9, 9: SKEW -0.1515, KURT -1.3570 -> passes
  // (values from the SKEW/KURT formulas above, evaluated independently in Python).
  const Eigen::VectorXd x = join(range(1, 9), vec({100}));
  treat_options opt;
  opt.indicator = "tax";
  opt.unit_ids = {"u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u9", "u10"};
  const treated_column t = treat(x, jrc(), opt);
  CHECK(t.values[9] == 9);
  CHECK(t.values.head(9) == x.head(9));
  const treatment_record& r = t.record;
  CHECK(r.failed_before);
  CHECK(r.passes_after);
  CHECK(r.fitted.applied == applied_treatment::winsorised);
  CHECK(r.fitted.upper_cap == 9);
  CHECK(r.winsorised == 1);
  REQUIRE(r.points.size() == 1);
  CHECK(r.points[0] == treated_point{"u10", 100, 9});
  CHECK(r.skew_before == approx(3.118895745239087));
  CHECK(r.kurtosis_before == approx(9.799244716163663));
  CHECK(r.skew_after == approx(-0.15146310708295874));
  CHECK(r.kurtosis_after == approx(-1.35698491155047));
}

TEST_CASE("JRC rule: ties at the maximum are winsorised together") {
  // 1..12, 100, 100: SKEW 2.2494, KURT 3.6622 -> fails; both 100s -> 12 in one step:
  // 1..12, 12, 12: SKEW -0.2062, KURT -1.3566 -> passes with 2 points.
  const Eigen::VectorXd x = join(range(1, 12), vec({100, 100}));
  const treated_column t = treat(x, jrc());
  CHECK(t.record.winsorised == 2);
  CHECK(t.values[12] == 12);
  CHECK(t.values[13] == 12);
  CHECK(t.record.points[0].unit == "#13");
  CHECK(t.record.skew_after == approx(-0.2062182136225768));
  // A budget of one point cannot take the tied pair: the original values get the shifted log
  // ln(x - 1 + 0.01 (100 - 1)) = ln(x - 0.01): SKEW 0.8144, KURT 1.0149 -> passes.
  treatment one = jrc();
  one.max_winsorised = 1;
  const treated_column l = treat(x, one);
  CHECK(l.record.fitted.applied == applied_treatment::shifted_log);
  CHECK(l.record.winsorised == 0);
  CHECK(l.values[0] == approx(std::log(0.99)));
  CHECK(l.values[13] == approx(std::log(99.99)));
  CHECK(l.record.skew_after == approx(0.8143551865601766));
  CHECK(l.record.kurtosis_after == approx(1.014893949641884));
  CHECK(l.record.passes_after);
}

TEST_CASE("JRC rule: a heavy tail of six points needs the log fallback") {
  // 1..54 and 1000..1005 (n = 60): SKEW 2.7225, KURT 5.6282. Five distinct points may change: after
  // 1005, 1004, ... the five top points sit at 1000 with the original 1000; the next step would move
  // a sixth point, so winsorisation stops failing and the original values get
  // ln(x - 1 + 0.01 * 1004): SKEW 1.8288, KURT 3.0920 -> passes.
  const Eigen::VectorXd x = join(range(1, 54), range(1000, 1005));
  const treated_column t = treat(x, jrc());
  CHECK(t.record.fitted.applied == applied_treatment::shifted_log);
  CHECK_FALSE(t.record.fitted.reflected);
  CHECK(t.values[0] == approx(std::log(10.04)));
  CHECK(t.record.skew_before == approx(2.722489816567407));
  CHECK(t.record.skew_after == approx(1.8287518916799468));
  CHECK(t.record.kurtosis_after == approx(3.0919675457496285));
  CHECK(t.record.passes_after);
  CHECK(t.record.points.empty());
  // Negative skew: the mirror image, -ln(max - x + 0.01 (max - min)), keeps the order.
  const treated_column m = treat(-x, jrc());
  CHECK(m.record.fitted.reflected);
  CHECK(m.values[0] == approx(-std::log(10.04)));
  CHECK(m.record.skew_after == approx(-1.8287518916799468));
}

TEST_CASE("an indicator that passes, or has too few values, is left alone") {
  const treated_column t = treat(vec({1, 2, 3, 4, 10}), jrc());  // SKEW 1.70 < 2
  CHECK(t.record.fitted.applied == applied_treatment::none);
  CHECK_FALSE(t.record.failed_before);
  CHECK(t.values == vec({1, 2, 3, 4, 10}));
  CHECK(treat(vec({1, 2, 1000}), jrc()).record.fitted.applied == applied_treatment::none);  // KURT undefined
}

TEST_CASE("excluded units are treated with the reference units' caps") {
  // Reference 1..9, 100 -> cap 9; the excluded unit at 500 is capped too, NaN stays NaN.
  Eigen::VectorXd x = join(join(range(1, 9), vec({100})), vec({500, NaN}));
  treat_options opt;
  opt.reference = std::vector<bool>(12, true);
  opt.reference[10] = false;
  const treated_column t = treat(x, jrc(), opt);
  CHECK(t.values[10] == 9);
  CHECK(std::isnan(t.values[11]));
  CHECK(t.record.winsorised == 1);     // reference points only
  CHECK(t.record.points.size() == 2);  // but every changed unit is listed
}

TEST_CASE("alternatives: quantile winsorising, log, Box-Cox") {
  // 1..10, 100 at quantiles 0.1 and 0.9 (type 7, n = 11): h = 1 -> 2, h = 9 -> 10.
  treatment w;
  w.method = treatment_method::winsorise;
  w.lower_quantile = 0.1;
  w.upper_quantile = 0.9;
  const treated_column q = treat(join(range(1, 10), vec({100})), w);
  check_vector(q.values, {2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10});
  CHECK(q.record.points.size() == 2);

  treatment l;
  l.method = treatment_method::log;
  check_vector(treat(vec({1, std::exp(1.0), NaN}), l).values, {0, 1, NaN});

  treatment b;
  b.method = treatment_method::box_cox;
  b.lambda = 0.5;  // (x^0.5 - 1) / 0.5: 4 -> 2, 9 -> 4, 1 -> 0
  check_vector(treat(vec({4, 9, 1}), b).values, {2, 4, 0});
  b.lambda = 0.0;  // ln x
  check_vector(treat(vec({1, std::exp(2.0)}), b).values, {0, 2});

  treatment none;
  CHECK(treat(vec({1, 2, 1000}), none).values == vec({1, 2, 1000}));
}

TEST_CASE("treatment errors name the indicator, the unit and the value") {
  treatment l;
  l.method = treatment_method::log;
  treat_options opt;
  opt.indicator = "fdi";
  opt.unit_ids = {"a", "b"};
  CHECK_THROWS_WITH_AS(treat(vec({3, 0}), l, opt),
                       "indicator 'fdi', unit 'b' (all): log treatment is undefined for the value 0 (needs a positive value)",
                       data_error);
  treatment b;
  b.method = treatment_method::box_cox;
  CHECK_THROWS_WITH_AS(treat(vec({3, 1}), b, opt), "indicator 'fdi': treatment: box_cox needs a \"lambda\"",
                       schema_error);
  treatment w;
  w.method = treatment_method::winsorise;
  w.lower_quantile = 0.9;
  w.upper_quantile = 0.1;
  CHECK(treatment_problem(w).find("0 <= lower_quantile < upper_quantile <= 1") != std::string::npos);
}
