#include <doctest/doctest.h>

#include "fixtures.hpp"
#include "parkscore/error.hpp"
#include "parkscore/engine/evaluate.hpp"
#include "parkscore/model/framework_io.hpp"
#include "parkscore/prepare/prepare.hpp"
#include "parkscore/prepare/screen.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using namespace parkscore::test;

namespace {
// index -> a, b (equal weights, min-max 0-100); ten units.
// a = 1..9, 100 (one extreme outlier); b = 10, 0, 0, 0, 0, 0, 0, 0, 6, 1.
framework outlier_framework() {
  framework fw("index", "outlier demo");
  fw.add_indicator("index", indicator("a", 1));
  fw.add_indicator("index", indicator("b", 1));
  return fw;
}
dataset outlier_data() {
  Eigen::MatrixXd x(10, 2);
  x.col(0) << 1, 2, 3, 4, 5, 6, 7, 8, 9, 100;
  x.col(1) << 10, 0, 0, 0, 0, 0, 0, 0, 6, 1;
  std::vector<std::string> ids;
  for (int i = 1; i <= 10; ++i) ids.push_back("u" + std::to_string(i));
  return dataset(ids, {"a", "b"}, x);
}
std::string document(const std::string& top, const std::string& indicator_extra) {
  return R"({"format": "parkscore-framework", "version": 1, "id": "t", )" + top +
         R"("index": {"id": "index", "children": [{"id": "C", "children": [{"id": "x", "direction": "higher")" +
         indicator_extra + "}]}]}}";
}
}  // namespace

TEST_CASE("coverage screening drops units below the threshold and lists them") {
  dataset d = four_units();
  Eigen::MatrixXd x = d.values();
  x(1, 0) = NaN;  // u2: 2 of 3 present
  x(3, 0) = NaN;
  x(3, 2) = NaN;  // u4: 1 of 3
  dataset gaps(d.unit_ids(), d.indicator_ids(), x);
  gaps.set_group("level", d.group("level"));
  const screened_data s = screen(gaps, {"a1", "a2", "b1"}, {0.9});
  CHECK(s.data.unit_ids() == std::vector<std::string>{"u1", "u3"});
  CHECK(s.data.group("level") == std::vector<std::string>{"national", "national"});
  REQUIRE(s.record.dropped.size() == 2);
  CHECK(s.record.dropped[0] == screened_unit{"u2", 2, 3, 2.0 / 3});
  CHECK(s.record.dropped[1] == screened_unit{"u4", 1, 3, 1.0 / 3});
  // At 0.6 only u4 (33%) goes; at 0 nobody does.
  CHECK(screen(gaps, {"a1", "a2", "b1"}, {0.6}).record.dropped.size() == 1);
  CHECK(screen(gaps, {"a1", "a2", "b1"}, {}).data.unit_count() == 4);
  const dataset empty({"u1", "u2"}, {"a1"}, Eigen::MatrixXd::Constant(2, 1, NaN));
  CHECK_THROWS_WITH_AS(screen(empty, {"a1"}, {0.5}), "screening: every unit has coverage below 50% (min_coverage 0.5)",
                       data_error);
}

TEST_CASE("evaluate: screening, imputation flags and notes end to end") {
  framework fw = two_category_framework();
  fw.screen.min_coverage = 0.9;
  fw.impute.method = imputation_method::mean;
  dataset d = four_units();
  Eigen::MatrixXd x(5, 3);
  x.topRows(4) = d.values();
  x(2, 2) = NaN;               // u3 misses b1 -> coverage 2/3 < 0.9 -> dropped
  x.row(4) << NaN, NaN, NaN;   // u5 has nothing
  const dataset data({"u1", "u2", "u3", "u4", "u5"}, d.indicator_ids(), x);
  evaluation_options opt;
  opt.excluded = {{"u5", "no report"}};  // dropped by screening: not an error
  const result r = evaluate(fw, data, opt);
  CHECK(r.unit_ids == std::vector<std::string>{"u1", "u2", "u4"});
  REQUIRE(r.preparation.screening.dropped.size() == 2);
  CHECK(r.preparation.screening.dropped[0].unit == "u3");
  CHECK(r.preparation.pool().imputed.count() == 0);
  CHECK(r.excluded.empty());

  // Now let u3 stay and impute its b1 with the pool mean of u1, u2, u4: (2 + 4 + 8) / 3.
  fw.screen.min_coverage = 0.5;
  const result k = evaluate(fw, dataset({"u1", "u2", "u3", "u4"}, d.indicator_ids(), x.topRows(4)));
  const pool_preparation& p = k.preparation.pool();
  CHECK(p.imputed(2, 2));
  CHECK(p.imputed.count() == 1);
  REQUIRE(p.imputations.size() == 1);
  CHECK(p.imputations[0].value == approx(14.0 / 3));
  // b1 = 2, 4, 14/3, 8 -> min-max: u3 = (14/3 - 2) / 6 * 100 = 44.44
  CHECK(k.pool().normalised(2, 2) == approx(400.0 / 9));
  bool noted = false;
  for (const note& n : k.notes) noted = noted || (n.step == "impute" && n.unit == "u3" && n.node == "b1");
  CHECK(noted);
}

TEST_CASE("evaluate: a treated indicator changes the ranking as computed by hand") {
  // Untreated: a -> (a - 1) / 99 * 100; b -> b / 10 * 100; index = (a' + b') / 2.
  //   u1: (0 + 100) / 2 = 50;  u9: (800/99 + 60) / 2 = 34.04;  u10: (100 + 10) / 2 = 55
  //   -> u10 first, u1 second, u9 third.
  const result plain = evaluate(outlier_framework(), outlier_data());
  CHECK(plain.score("u9", "index") == approx((800.0 / 99 + 60) / 2));
  CHECK(plain.rank("u10", "index") == 1);
  CHECK(plain.rank("u1", "index") == 2);
  CHECK(plain.rank("u9", "index") == 3);
  // JRC treatment of a: 100 -> 9 (one step, see test_treat), then a -> (a - 1) / 8 * 100.
  //   u1: (0 + 100) / 2 = 50;  u9: (100 + 60) / 2 = 80;  u10: (100 + 10) / 2 = 55;  u8: 87.5 / 2 = 43.75
  //   -> u9 first, u10 second, u1 third.
  framework fw = outlier_framework();
  fw.at(fw.index_of("a")).treat.method = treatment_method::jrc;
  const result treated = evaluate(fw, outlier_data());
  CHECK(treated.score("u9", "index") == approx(80));
  CHECK(treated.score("u8", "index") == approx(43.75));
  CHECK(treated.rank("u9", "index") == 1);
  CHECK(treated.rank("u10", "index") == 2);
  CHECK(treated.rank("u1", "index") == 3);
  const auto& records = treated.preparation.pool().treatments;
  REQUIRE(records.size() == 1);
  CHECK(records[0].indicator == "a");
  CHECK(records[0].points == std::vector<treated_point>{{"u10", 100, 9}});
  CHECK(treated.pool().normalisation[0].fitted.max == 9);  // normalised on the treated values
}

TEST_CASE("treatment runs within each pool of each pooling") {
  framework fw = outlier_framework();
  fw.at(fw.index_of("a")).treat.method = treatment_method::jrc;
  dataset d = outlier_data();
  d.set_group("half", {"x", "x", "x", "x", "x", "y", "y", "y", "y", "y"});
  evaluation_options opt;
  opt.pools = {"", "half"};
  const result r = evaluate(fw, d, opt);
  REQUIRE(r.preparation.pools.size() == 2);
  CHECK(r.preparation.pool("").treatments.size() == 1);
  const auto& by_half = r.preparation.pool("half").treatments;
  REQUIRE(by_half.size() == 2);  // one record per pool label
  CHECK(by_half[0].pool == "half=x");
  // x = 1..5 passes; y = 6, 7, 8, 9, 100 is judged on its five units only: SKEW 2.2320, KURT 4.9854 -> fails.
  CHECK(by_half[0].fitted.applied == applied_treatment::none);
  CHECK(by_half[1].count == 5);
  CHECK(by_half[1].skew_before == approx(2.2319886040876087));
  CHECK(by_half[1].kurtosis_before == approx(4.98540955831424));
  CHECK(by_half[1].fitted.applied == applied_treatment::winsorised);
}

TEST_CASE("evaluate with derived indicators and the previous year") {
  // index -> tax_per_mu (tax / land), growth (gdp / lag(gdp) - 1); raw columns tax, land, gdp are inputs only.
  framework fw("index", "derived demo");
  fw.derived = {{"tax_per_mu", "tax / land", "亩均税收"}, {"growth", "gdp / lag(gdp) - 1", ""}};
  fw.add_indicator("index", indicator("tax_per_mu", 1));
  fw.add_indicator("index", indicator("growth", 1));
  Eigen::MatrixXd now(3, 3), before(3, 1);
  now << 100, 10, 110,  //
      60, 3, 240,       //
      50, 0, 300;
  before << 100, 200, 200;
  const dataset data({"z1", "z2", "z3"}, {"tax", "land", "gdp"}, now);
  evaluation_options opt;
  CHECK_THROWS_WITH_AS(evaluate(fw, data, opt), doctest::Contains("lag(gdp) needs the previous year's data"),
                       data_error);
  opt.previous = dataset({"z1", "z2", "z3"}, {"gdp"}, before);
  const result r = evaluate(fw, data, opt);
  // tax_per_mu = 10, 20, NaN (division by zero) -> min-max 0, 100, NaN
  // growth = 0.1, 0.2, 0.5 -> min-max 0, 25, 100
  check_vector(r.pool().normalised.col(0), {0, 100, NaN});
  check_vector(r.pool().normalised.col(1), {0, 25, 100});
  CHECK(r.preparation.derived == std::vector<std::string>{"tax_per_mu", "growth"});
  REQUIRE(r.preparation.derive_warnings.size() == 1);
  CHECK(r.preparation.derive_warnings[0].unit == "z3");
  bool warned = false;
  for (const note& n : r.warnings())
    warned = warned || (n.step == "derive" && n.unit == "z3" && n.node == "tax_per_mu" &&
                        n.message.find("division by zero") != std::string::npos);
  CHECK(warned);
  // Carry forward of a derived indicator reads the previous year derived the same way.
  framework carry = fw;
  carry.derived[1].expression = "gdp / 100";
  carry.impute.method = imputation_method::carry_forward;
  opt.previous = dataset({"z1", "z2", "z3"}, {"tax", "land", "gdp"}, Eigen::Matrix3d{{80, 10, 1}, {1, 1, 1}, {90, 3, 1}});
  const prepared p = prepare(carry, data, {"", {}, &*opt.previous});
  // z3's tax_per_mu last year: 90 / 3 = 30.
  CHECK(p.data.value(2, 0) == approx(30));
  CHECK(p.record.pool().imputed(2, 0));
}

TEST_CASE("framework file: preparation keys round trip exactly") {
  const std::string text = document(
      R"("derived": [{"id": "x", "expression": "tax / land", "name": "亩均税收"}],
         "imputation": {"method": "group_median", "group": "region"}, "screening": {"min_coverage": 0.9},
         "defaults": {"treatment": {"method": "jrc", "max_winsorised": 3}}, )",
      R"(, "imputation": {"method": "growth"}, "treatment": {"method": "box_cox", "lambda": 0.5})");
  const framework fw = parse_framework(text, "f.json");
  CHECK(fw.derived == std::vector<derived_indicator>{{"x", "tax / land", "亩均税收"}});
  CHECK(fw.impute == imputation{imputation_method::group_median, "region"});
  CHECK(fw.screen.min_coverage == 0.9);
  const node& x = fw.at(fw.index_of("x"));
  CHECK(x.impute->method == imputation_method::growth);
  CHECK(x.treat.method == treatment_method::box_cox);
  CHECK(*x.treat.lambda == 0.5);
  CHECK(x.treat.max_winsorised == 3);  // from the defaults, overridden method only
  const framework again = parse_framework(to_json(fw), "saved");
  CHECK(again == fw);
  CHECK(to_json(again) == to_json(fw));
  // Defaults reach indicators without their own treatment.
  const framework d = parse_framework(document(R"("defaults": {"treatment": {"method": "winsorise",
      "lower_quantile": 0.1}}, )", ""));
  CHECK(d.at(d.index_of("x")).treat.method == treatment_method::winsorise);
  CHECK(d.at(d.index_of("x")).treat.lower_quantile == 0.1);
  CHECK(parse_framework(to_json(d)) == d);
}

TEST_CASE("framework file: preparation errors name the JSON path") {
  CHECK_THROWS_WITH_AS(parse_framework(document(R"("derived": [{"id": "y", "expression": "tax / "}], )", ""), "f.json"),
                       "f.json: /derived/0/expression: derived indicator 'y': expression 'tax / ', position 7: "
                       "unexpected end: expected a number, a column id, a function call or '('",
                       schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(document(R"("derived": [{"id": "y", "expr": "tax"}], )", ""), "f.json"),
                       doctest::Contains("f.json: /derived/0/expr: unknown key 'expr'"), schema_error);
  CHECK_THROWS_WITH_AS(
      parse_framework(document(R"("derived": [{"id": "y", "expression": "1"}, {"id": "y", "expression": "2"}], )", ""),
                      "f.json"),
      "f.json: /derived/1/id: duplicate derived indicator id 'y'", schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(document("", R"(, "treatment": {"method": "trim"})"), "f.json"),
                       doctest::Contains("f.json: /index/children/0/children/0/treatment/method: unknown value 'trim' "
                                         "(expected one of: none, jrc, winsorise, log, shifted_log, box_cox)"),
                       schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(document("", R"(, "treatment": {"method": "box_cox"})"), "f.json"),
                       "f.json: /index/children/0/children/0/treatment: box_cox needs a \"lambda\"", schema_error);
  CHECK_THROWS_WITH_AS(
      parse_framework(document("", R"(, "treatment": {"method": "winsorise", "upper_quantile": 1.5})"), "f.json"),
      doctest::Contains("/children/0/treatment: quantiles must satisfy"), schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(document(R"("imputation": {"method": "group_mean"}, )", ""), "f.json"),
                       "f.json: /imputation: group_mean needs a \"group\" column", schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(document(R"("screening": {"min_coverage": 90}, )", ""), "f.json"),
                       "f.json: /screening/min_coverage: min_coverage must lie in [0, 1], got 90", schema_error);
  CHECK_THROWS_WITH_AS(
      parse_framework(R"({"format": "parkscore-framework", "version": 1, "index": {"id": "index",
          "children": [{"id": "C", "treatment": {"method": "log"}, "children": [{"id": "x", "direction": "higher"}]}]}})",
                      "f.json"),
      "f.json: /index/children/0/treatment: 'treatment' belongs to indicators; node 'C' has children", schema_error);
}
