// Convention sets and options in framework files, each set checked end to end against
// numbers from the cited source: the UNDP HDI worked example, COINr's functions, SPSSAU's
// formulas, pymcdm's output. docs/conventions.md lists the options side by side.
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <cmath>
#include <filesystem>

#include "parkscore/engine/evaluate.hpp"
#include "parkscore/error.hpp"
#include "parkscore/model/framework_io.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using namespace parkscore::test;

namespace {

std::string message_of(const std::string& json) {
  try {
    (void)parse_framework(json, "f.json");
  } catch (const schema_error& e) {
    return e.what();
  }
  return "";
}

std::string header(const std::string& extra) {
  return R"({"format": "parkscore-framework", "version": 1, "id": "t", )" + extra;
}

const std::string one_indicator = R"("index": {"id": "index", "children": [{"id": "x", "direction": "higher"}]}})";

double score(const result& r, const std::string& unit, const std::string& node, const std::string& pool = "") {
  return r.pool(pool).scores(static_cast<Eigen::Index>(r.unit_index(unit)), r.model->index_of(node));
}
double rank(const result& r, const std::string& unit, const std::string& node, const std::string& pool = "") {
  return r.ranks_of(r.pool(pool), r.model->index_of(node))[static_cast<Eigen::Index>(r.unit_index(unit))];
}

}  // namespace

TEST_CASE("UNDP HDI from its framework file: geometric mean of clamped goalpost indices on [0, 1]") {
  // UNDP, Human Development Report 2020, Technical notes, technical note 1 (same goalposts in later
  // reports): life expectancy 20-85, expected schooling 0-18, mean schooling 0-15, GNI per capita
  // 100-75,000 in logs. Its worked example prints: income index (ln 3,829 - ln 100)/(ln 75,000 - ln 100)
  // = 0.5506 and HDI = (0.6971 * 0.3447 * 0.5506)^(1/3) = 0.510. The notes print inputs rounded to one
  // decimal, so life expectancy and schooling are given here as values that reproduce the printed
  // indices (65.31 -> 0.6971; 7.9 and 3.757 -> 0.3447); GNI is the printed 3,829.
  const framework fw = load_framework(std::filesystem::path(PARKSCORE_SOURCE_DIR) / "docs/examples/undp-hdi.json");
  Eigen::MatrixXd x(2, 4);
  x << 65.31, 7.9, 3.757, 3829,   // the worked example
      20.0, 12.0, 8.0, 12000;     // life expectancy at the lower goalpost: index 0
  const dataset d({"example", "at_lower_goalpost"}, {"life_expectancy", "expected_schooling", "mean_schooling", "gni_per_capita"}, x);
  // The framework validates although every child can score 0; the unit at 0 is what is checked.
  CHECK_THROWS_WITH_AS(evaluate(fw, d), "node 'hdi', unit 'at_lower_goalpost' (all): a geometric mean needs positive values, got 0",
                       method_error);

  const dataset example({"example"}, d.indicator_ids(), x.topRows(1));
  const result r = evaluate(fw, example);
  CHECK(std::round(score(r, "example", "life_expectancy") * 1e4) / 1e4 == 0.6971);
  CHECK(std::round(score(r, "example", "education") * 1e4) / 1e4 == 0.3447);
  CHECK(std::round(score(r, "example", "gni_per_capita") * 1e4) / 1e4 == 0.5506);
  CHECK(std::round(score(r, "example", "hdi") * 1e3) / 1e3 == 0.510);
  // The exact values behind the rounding: (45.31/65 * (7.9/18 + 3.757/15)/2 * ln(38.29)/ln(750))^(1/3).
  CHECK(score(r, "example", "hdi") ==
        approx(std::cbrt(45.31 / 65 * (7.9 / 18 + 3.757 / 15) / 2 * std::log(38.29) / std::log(750.0)), 1e-12));

  // Declared conventions for a zero: zero_score gives the HDI 0; a floor of 0.01 counts the index as 0.01.
  framework zero = fw;
  zero.at(0).agg.zeros = zero_policy::zero_score;
  CHECK(score(evaluate(zero, d), "at_lower_goalpost", "hdi") == 0);
  zero.at(0).agg.zeros = zero_policy::floor;
  zero.at(0).agg.floor = 0.01;
  // education (12/18 + 8/15)/2 = 0.6; income ln(120)/ln(750) = 0.7232...
  CHECK(score(evaluate(zero, d), "at_lower_goalpost", "hdi") ==
        approx(std::cbrt(0.01 * 0.6 * std::log(120.0) / std::log(750.0)), 1e-12));
}

TEST_CASE("conventions in the file: a set name, overrides, and errors naming the JSON path") {
  const framework coinr = parse_framework(header(R"("conventions": "coinr", )" + one_indicator), "f.json");
  CHECK(coinr.conventions == "coinr");
  const node& x = coinr.at(coinr.index_of("x"));
  CHECK(x.norm.zero_range == zero_range_rule::nan);
  CHECK(x.norm.ties == rank_ties::min);
  CHECK(x.treat.log == log_form::log_ct);
  CHECK(x.treat.budget == winsorise_budget::before_step);
  CHECK(coinr.screen.order == screening_order::after_imputation);
  CHECK(coinr.rank_rule.groups == group_scores::global);

  // An override of one option, then a node field that wins over both.
  const framework mixed = parse_framework(header(R"("conventions": {"set": "coinr", "zero_range": "midpoint"},
      "index": {"id": "index", "children": [{"id": "x", "direction": "higher"},
        {"id": "y", "direction": "higher", "normalisation": {"zero_range": "upper"}, "treatment": {"log_form": "log_ct_plus"}}]}})"),
                                          "f.json");
  CHECK(mixed.at(mixed.index_of("x")).norm.zero_range == zero_range_rule::midpoint);
  CHECK(mixed.at(mixed.index_of("x")).treat.log == log_form::log_ct);
  CHECK(mixed.at(mixed.index_of("y")).norm.zero_range == zero_range_rule::upper);
  CHECK(mixed.at(mixed.index_of("y")).treat.log == log_form::log_ct_plus);

  // Round trip: what the writer leaves out is the set's default, so the reread model is the same.
  CHECK(parse_framework(to_json(mixed), "again.json") == mixed);
  CHECK(parse_framework(to_json(coinr), "again.json") == coinr);
  const framework spssau = parse_framework(header(R"("conventions": "spssau", "index": {"id": "index",
      "aggregation": {"method": "topsis"}, "weighting": {"method": "entropy"},
      "children": [{"id": "x", "direction": "higher"}, {"id": "y", "direction": "lower"}]}})"), "f.json");
  CHECK(spssau.root().agg.topsis == topsis_weighting::linear);
  CHECK(spssau.root().weighting.entropy.policy == entropy_policy::shift_all);
  CHECK(parse_framework(to_json(spssau), "again.json") == spssau);

  CHECK(message_of(header(R"("conventions": "coinR", )" + one_indicator)) ==
        "f.json: /conventions: unknown convention set 'coinR' (known: parkscore, coinr, spssau, pymcdm)");
  CHECK(message_of(header(R"("conventions": {"set": "pymcdm!"}, )" + one_indicator)) ==
        "f.json: /conventions/set: unknown convention set 'pymcdm!' (known: parkscore, coinr, spssau, pymcdm)");
  const std::string unknown_option = message_of(header(R"("conventions": {"set": "coinr", "zero_rnage": "nan"}, )" + one_indicator));
  CHECK(unknown_option.find("f.json: /conventions") == 0);
  CHECK(unknown_option.find("zero_rnage") != std::string::npos);
  CHECK(message_of(header(R"("conventions": {"set": "coinr", "log_form": "log"}, )" + one_indicator)).find(
            "f.json: /conventions/log_form") == 0);
  CHECK(message_of(header(R"("conventions": {"zero_range": "nan"}, )" + one_indicator)).find("f.json: /conventions: ") == 0);
}

TEST_CASE("coinr set end to end: impute then screen, winsorise by steps, NaN for a constant, min ranks, group ranks") {
  // Expected numbers transcribed from COINr's source (bluefoxr/COINr b968203): i_mean (R/impute.R),
  // winsorise() with winmax 2 and check_SkewKurt (R/treat.R), n_minmax and n_rank(ties = "min")
  // (R/normalise.R), a_amean over the present values, rank_df(use_group) with ties "min" (R/DFtools.R).
  //   x1 = twenty 1s, 2, 5, 5, 9: winsorised in two steps (1 then 3 points: nwin 3 > winmax 2) to 1..2,
  //        then min-max: 0 for u01-u20, 100 for u21-u24.
  //   x2 = 7 everywhere: n_minmax gives NaN, so the index averages x1 and x3 only.
  //   x3 = i mod 5 for i = 1..23, u24 missing: imputed by the mean 46/23 = 2, then ranked with min ties:
  //        value 0 -> 1, 1 -> 5, 2 -> 10, 3 -> 16, 4 -> 21.
  //   index = (x1 + x3)/2: u01 (1, rank 5) = 2.5, u04 (4) = 10.5, u23 (x1 100, 3) = 58, u24 (100, 2) = 55.
  //   Ranked within group A (u01-u12) and B (u13-u24) with ties "min": A: 8 5 3 1 11 8 5 3 1 11 8 5;
  //   B: 7 5 11 10 9 7 5 11 4 2 1 2. Screening min_coverage 1 keeps u24: it is screened after imputation.
  const std::string file = header(R"("conventions": "coinr", "pools": ["group"],
      "imputation": {"method": "mean"}, "screening": {"min_coverage": 1},
      "index": {"id": "index", "children": [
        {"id": "x1", "direction": "higher", "treatment": {"method": "jrc", "max_winsorised": 2}},
        {"id": "x2", "direction": "higher"},
        {"id": "x3", "direction": "higher", "normalisation": {"method": "rank"}}]}})");
  const framework fw = parse_framework(file, "coinr.json");
  Eigen::MatrixXd x(24, 3);
  std::vector<std::string> ids, groups;
  for (int i = 0; i < 24; ++i) {
    ids.push_back(fmt::format("u{:02}", i + 1));
    groups.push_back(i < 12 ? "A" : "B");
    x(i, 0) = i < 20 ? 1.0 : (i == 20 ? 2.0 : (i == 23 ? 9.0 : 5.0));
    x(i, 1) = 7;
    x(i, 2) = i == 23 ? NAN : static_cast<double>((i + 1) % 5);
  }
  dataset d(ids, {"x1", "x2", "x3"}, x);
  d.set_group("group", groups);
  const result r = evaluate(fw, d);
  REQUIRE(r.unit_ids.size() == 24);
  CHECK(std::isnan(score(r, "u01", "x2")));
  CHECK(score(r, "u01", "index") == 2.5);
  CHECK(score(r, "u04", "index") == 10.5);
  CHECK(score(r, "u23", "index") == 58);
  CHECK(score(r, "u24", "index") == 55);
  const std::vector<double> a = {8, 5, 3, 1, 11, 8, 5, 3, 1, 11, 8, 5}, b = {7, 5, 11, 10, 9, 7, 5, 11, 4, 2, 1, 2};
  for (int i = 0; i < 12; ++i) {
    CAPTURE(i);
    CHECK(rank(r, ids[static_cast<std::size_t>(i)], "index", "group") == a[static_cast<std::size_t>(i)]);
    CHECK(rank(r, ids[static_cast<std::size_t>(i + 12)], "index", "group") == b[static_cast<std::size_t>(i)]);
  }
  // The group pooling carries the global scores; the all-units pooling ranks globally (u23 first).
  CHECK(score(r, "u24", "index", "group") == 55);
  CHECK(rank(r, "u23", "index") == 1);
  CHECK(rank(r, "u01", "index") == 17);

  // parkscore's own conventions on the same file: u24 is screened out before imputation, x2 scores the
  // midpoint 50, and the group pooling (the only one the file names) re-normalises within each group.
  std::string own = file;
  own.replace(own.find(R"("conventions": "coinr", )"), std::string(R"("conventions": "coinr", )").size(), "");
  const result p = evaluate(parse_framework(own, "own.json"), d);
  CHECK(p.unit_ids.size() == 23);
  CHECK(score(p, "u01", "x2", "group") == 50);
}

TEST_CASE("spssau set: entropy weights after shifting all data, TOPSIS with the weights inside the distance") {
  // SPSSAU help pages (spssau.net/helps/entropy.html, entropy_topsis.html, topsis.html): range-normalised
  // data; non-negative shift |min| + 0.01 of all data when a value <= 0; p = x/sum x, e = -sum p ln p / ln n,
  // w = (1 - e)/sum(1 - e); D = sqrt(sum w (z - z*)^2), C = D-/(D+ + D-). Computed with numpy from those
  // formulas (not SPSSAU output): w = 0.38911267999834054, 0.3398083506517168, 0.2710789693499427;
  // C = 0.49859704255712206, 0.4786282536804249, 0.6500062057152095, 0.4629669314699623.
  const framework fw = parse_framework(header(R"("conventions": "spssau",
      "defaults": {"normalisation": {"method": "min_max", "lo": 0, "hi": 1}},
      "index": {"id": "index", "aggregation": {"method": "topsis"}, "weighting": {"method": "entropy"},
        "children": [{"id": "c1", "direction": "higher"}, {"id": "c2", "direction": "higher"},
                     {"id": "c3", "direction": "lower"}]}})"), "spssau.json");
  Eigen::MatrixXd m(4, 3);
  m << 0, 3, 5, 2, 1, 5, 4, 2, 6, 1, 4, 9;
  const result r = evaluate(fw, dataset({"a", "b", "c", "d"}, {"c1", "c2", "c3"}, m));
  check_vector(r.pool().weights.front().weights.weights, {0.38911267999834054, 0.3398083506517168, 0.2710789693499427},
               1e-12);
  check_vector(r.pool().scores.col(0), {0.49859704255712206, 0.4786282536804249, 0.6500062057152095, 0.4629669314699623},
               1e-12);
}

TEST_CASE("pymcdm set: TOPSIS on min-max columns and entropy weights, against pymcdm's output") {
  // pymcdm 1.3.1 (kotbaton/pymcdm, tag v1.3.1, commit 63910f9), run with /usr/bin/python3 and numpy:
  //   TOPSIS()(m, [0.5, 0.3, 0.2], [1, 1, -1]) -> [0.3567891723253309, 0.4504999500099975,
  //     0.7205290208164349, 0.43333333333333335]; with column 3 constant (7) -> [0.28172904669025317,
  //     0.2709494886882599, 0.7182709533097468, 0.37499999999999994] (minmax_normalization gives ones);
  //   entropy_weights(m) -> [0.9090745026921607, 0.06979903818813936, 0.021126459119699903].
  const framework topsis = parse_framework(header(R"("conventions": "pymcdm",
      "defaults": {"normalisation": {"method": "min_max", "lo": 0, "hi": 1}},
      "index": {"id": "index", "aggregation": {"method": "topsis"},
        "children": [{"id": "c1", "direction": "higher", "weight": 0.5}, {"id": "c2", "direction": "higher", "weight": 0.3},
                     {"id": "c3", "direction": "lower", "weight": 0.2}]}})"), "pymcdm.json");
  Eigen::MatrixXd m(4, 3);
  m << 0, 3, 5, 2, 1, 5, 4, 2, 6, 1, 4, 9;
  const std::vector<std::string> units = {"a", "b", "c", "d"}, columns = {"c1", "c2", "c3"};
  check_vector(evaluate(topsis, dataset(units, columns, m)).pool().scores.col(0),
               {0.3567891723253309, 0.4504999500099975, 0.7205290208164349, 0.43333333333333335}, 1e-12);
  Eigen::MatrixXd constant = m;
  constant.col(0) << 1, 2, 4, 1;
  constant.col(2).setConstant(7);
  const result c = evaluate(topsis, dataset(units, columns, constant));
  check_vector(c.pool().scores.col(0), {0.28172904669025317, 0.2709494886882599, 0.7182709533097468, 0.37499999999999994},
               1e-12);
  CHECK(c.pool().normalised(0, 2) == 1);   // pymcdm's ones for a constant column (zero_range upper)

  const framework entropy = parse_framework(header(R"("conventions": "pymcdm",
      "defaults": {"normalisation": {"method": "none"}},
      "index": {"id": "index", "weighting": {"method": "entropy"},
        "children": [{"id": "c1", "direction": "higher"}, {"id": "c2", "direction": "higher"},
                     {"id": "c3", "direction": "higher"}]}})"), "pymcdm.json");
  check_vector(evaluate(entropy, dataset(units, columns, m)).pool().weights.front().weights.weights,
               {0.9090745026921607, 0.06979903818813936, 0.021126459119699903}, 1e-12);
}
