// The zone-evaluation rules on a tiny hand-computed case: clipping, compound
// indicators, rank tiers, ratio to a previous-year benchmark (and the 2x cap),
// veto, bonus/deduction with caps, and their file format.
#include <doctest/doctest.h>

#include "fixtures.hpp"
#include "parkscore/error.hpp"
#include "parkscore/engine/evaluate.hpp"
#include "parkscore/model/framework_io.hpp"
#include "parkscore/methods/normalise.hpp"
#include "parkscore/rules/rules.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using namespace parkscore::test;

namespace {

// index -> A (60): g = compound (g_level 1, g_growth 1 clipped to [-0.2, 0.5]), t (rank tiers);
//          B (40): e (lower is better), r (2 x previous pool mean, cap 2). Efficacy 60 + 40 by default.
framework zone_framework() {
  framework fw("index", "zones");
  fw.scores.scale = score_scale::points;
  fw.add_category("index", category("A", 60));
  fw.add_category("A", category("g", 2));
  node level = indicator("g_level", 1, direction::higher_is_better, normalisation_method::efficacy);
  node growth = level;
  growth.id = "g_growth";
  growth.norm.clip_lo = -0.2;
  growth.norm.clip_hi = 0.5;
  fw.add_indicator("g", level);
  fw.add_indicator("g", growth);
  node t = indicator("t", 1, direction::higher_is_better, normalisation_method::rank_tier);
  t.norm.tiers = {{0.3, 100}, {0.7, 50}, {1.0, 0}};
  fw.add_indicator("A", t);
  fw.add_category("index", category("B", 40));
  fw.add_indicator("B", indicator("e", 1, direction::lower_is_better, normalisation_method::efficacy));
  node r = indicator("r", 1, direction::higher_is_better, normalisation_method::ratio_to_benchmark);
  r.norm.benchmark_factor = 2;
  r.norm.cap = 2;
  fw.add_indicator("B", r);
  fw.rules.events = {{"acc", "重大事故", "major accident", "起", ""},
                     {"dep", "扣分事项", "deduction", "个", ""},
                     {"env", "督察问题", "inspection problem", "个", ""},
                     {"bon", "加分事项", "bonus", "个", ""}};
  fw.rules.veto = {{"acc", comparison::greater, 0, "重大事故", ""}};
  fw.rules.adjustments.items = {{"dep", "扣分", "dep", -1, 1.5, ""},
                                {"env", "督察", "env", -0.3, std::nullopt, ""},
                                {"bon", "加分", "bon", 2, std::nullopt, ""}};
  fw.rules.adjustments.max_deduction = 2;
  fw.rules.adjustments.max_bonus = 3;
  return fw;
}

const std::vector<std::string> columns = {"g_level", "g_growth", "t", "e", "r", "acc", "dep", "env", "bon"};

// Five zones, no events (columns acc..bon zero); level: z1, z2 national, z3..z5 provincial.
dataset zones(Eigen::MatrixXd events = Eigen::MatrixXd::Zero(5, 4)) {
  Eigen::MatrixXd x(5, 9);
  x.leftCols(5) << 10, -0.5, 9, 4, 5,  //
      20, 0.0, 7, 2, 30,               //
      30, 0.1, 7, 1, 2,                //
      40, 0.5, 3, 1, 4,                //
      50, 0.9, 1, 3, 10;
  x.rightCols(4) = events;
  dataset d({"z1", "z2", "z3", "z4", "z5"}, columns, x);
  d.set_group("level", {"national", "national", "provincial", "provincial", "provincial"});
  return d;
}

// Last year's r: national 4, 6 (mean 5 -> benchmark 10); provincial 1, 2, 3 (mean 2 -> benchmark 4).
dataset previous_year() {
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(5, 9);
  x.col(4) << 4, 6, 1, 2, 3;
  dataset d({"z1", "z2", "z3", "z4", "z5"}, columns, x);
  d.set_group("level", {"national", "national", "provincial", "provincial", "provincial"});
  d.set_group("all", {"x", "x", "x", "x", "x"});
  return d;
}

evaluation_options with_previous(std::vector<std::string> pools = {""}) {
  evaluation_options opt;
  opt.pools = std::move(pools);
  opt.previous = previous_year();
  return opt;
}

Eigen::VectorXd column(const result& r, const std::string& node, const std::string& grouping = "") {
  return r.pool(grouping).scores.col(r.model->index_of(node));
}

}  // namespace

TEST_CASE("clipping: growth rates are capped before fitting and applying") {
  const result r = evaluate(zone_framework(), zones(), with_previous());
  // g_growth -0.5, 0, 0.1, 0.5, 0.9 -> clipped -0.2, 0, 0.1, 0.5, 0.5 (2 values moved); range 0.7:
  //   60 + 40 (x + 0.2) / 0.7 = 60, 71.4286, 77.1429, 100, 100
  check_vector(r.pool().normalised.col(1), {60, 60 + 8 / 0.7, 60 + 12 / 0.7, 100, 100});
  CHECK(r.pool().normalisation[1].fitted.clipped == 2);
  CHECK(r.pool().normalisation[1].fitted.min == -0.2);
  CHECK(clip_value(-3, r.model->at(r.model->index_of("g_growth")).norm) == -0.2);
}

TEST_CASE("compound indicator: level and growth 50/50, reported in points") {
  const result r = evaluate(zone_framework(), zones(), with_previous());
  // g_level 10..50 -> 60, 70, 80, 90, 100; g = mean(level, growth):
  //   60, (70 + 71.4286)/2, (80 + 77.1429)/2, 95, 100. g carries 60 x 2/3 = 40 points: score x 0.4.
  const double g2 = (70 + 60 + 8 / 0.7) / 2, g3 = (80 + 60 + 12 / 0.7) / 2;
  check_vector(column(r, "g"), {24, 0.4 * g2, 0.4 * g3, 38, 40});
  check_vector(column(r, "g_level"), {12, 14, 16, 18, 20});  // 20 points each
}

TEST_CASE("rank tiers: top 30% full, 30-70% half, the rest zero") {
  const result r = evaluate(zone_framework(), zones(), with_previous());
  // t = 9, 7, 7, 3, 1: competition ranks 1, 2, 2, 4, 5 of 5; shares 0.2, 0.4, 0.4, 0.8, 1.0
  check_vector(r.pool().normalised.col(2), {100, 50, 50, 0, 0});
  // Lower is better reverses the order: ranks 5, 3, 3, 2, 1 -> shares 1, 0.6, 0.6, 0.4, 0.2
  normalisation spec = zone_framework().at(zone_framework().index_of("t")).norm;
  check_vector(normalise(vec({9, 7, 7, 3, 1}), spec, direction::lower_is_better), {0, 50, 50, 50, 100});
}

TEST_CASE("ratio to benchmark: k x last year's pool mean, capped at 2 x the points") {
  const result r = evaluate(zone_framework(), zones(), with_previous({"level", ""}));
  // level pools: national benchmark 2 x 5 = 10: r = 5, 30 -> 50, 300 capped 200;
  //              provincial benchmark 2 x 2 = 4: r = 2, 4, 10 -> 50, 100, 250 capped 200.
  check_vector(r.pool("level").normalised.col(4), {50, 200, 50, 100, 200});
  // all units: last year's mean 16/5 = 3.2 -> benchmark 6.4: 5/6.4 = 78.125, capped, 31.25, 62.5, 156.25
  check_vector(r.pool().normalised.col(4), {78.125, 200, 31.25, 62.5, 156.25});
  // r carries 40 x 1/2 = 20 points: the cap means at most 2 x 20 = 40 points.
  CHECK(r.score("z2", "r", "level") == approx(40));
  CHECK(r.pool("level").normalisation[4].fitted.spec.benchmark == approx(10));
  CHECK_THROWS_WITH_AS(evaluate(zone_framework(), zones()), doctest::Contains("no previous-year data"), data_error);
}

TEST_CASE("veto: scored with the others' constants, no rank, reason given, others unchanged") {
  Eigen::MatrixXd events = Eigen::MatrixXd::Zero(5, 4);
  events(4, 0) = 1;  // z5: a major accident
  const result r = evaluate(zone_framework(), zones(events), with_previous({"level"}));
  CHECK(r.rules[4].vetoed());
  CHECK(r.excluded.at("z5").find("重大事故 (acc = 1 > 0)") != std::string::npos);
  CHECK(std::isnan(r.rank("z5", "index", "level")));
  // provincial pool without z5: g_level 30, 40 -> 60, 100; z5 (50) -> 60 + 40 x 20/10 = 140.
  CHECK(r.pool("level").normalised(4, 0) == approx(140));
  // Others: identical to an evaluation of the data without z5.
  dataset d = zones();
  Eigen::MatrixXd x = d.values().topRows(4);
  dataset four({"z1", "z2", "z3", "z4"}, columns, x);
  four.set_group("level", {"national", "national", "provincial", "provincial"});
  evaluation_options opt = with_previous({"level"});
  const result without = evaluate(zone_framework(), four, opt);
  CHECK(r.pool("level").scores.topRows(4).isApprox(without.pool("level").scores));
  CHECK(r.rank_matrix(r.pool("level")).topRows(4) == without.rank_matrix(without.pool("level")));
  // A user exclusion and a veto on the same unit keep both reasons.
  opt.excluded = {{"z5", "late data"}};
  const result both = evaluate(zone_framework(), zones(events), opt);
  CHECK(both.excluded.at("z5").rfind("late data; veto: 重大事故", 0) == 0);
}

TEST_CASE("bonus and deduction: per-event points, item caps, overall caps, added before ranking") {
  Eigen::MatrixXd events = Eigen::MatrixXd::Zero(5, 4);
  events.row(0) << 0, 1, 0, 0;  // z1: dep 1 -> -1
  events.row(1) << 0, 3, 2, 0;  // z2: dep 3 -> -3 capped -1.5; env 2 -> -0.6; -2.1 capped at -2
  events.row(2) << 0, 1, 0, 2;  // z3: bon 2 -> +4 capped at +3; dep -1 -> +2
  const result plain = evaluate(zone_framework(), zones(), with_previous());
  const result r = evaluate(zone_framework(), zones(events), with_previous());
  CHECK(r.rules[0].adjustment() == approx(-1));
  CHECK(r.rules[1].deduction == approx(-2));
  REQUIRE(r.rules[1].adjustments.size() == 2);
  CHECK(r.rules[1].adjustments[0].points == approx(-1.5));
  CHECK(r.rules[1].adjustments[1].points == approx(-0.6));
  CHECK(r.rules[2].bonus == approx(3));
  CHECK(r.rules[2].adjustment() == approx(2));
  const Eigen::VectorXd delta = column(r, "index") - column(plain, "index");
  check_vector(delta, {-1, -2, 2, 0, 0});
  // Categories are untouched; only the total moves.
  CHECK(column(r, "A").isApprox(column(plain, "A")));
  // Ranks follow the adjusted totals.
  CHECK(r.rank("z3", "index") <= plain.rank("z3", "index"));
  // A negative count is an error naming unit and column.
  events(3, 2) = -1;
  CHECK_THROWS_WITH_AS(evaluate(zone_framework(), zones(events), with_previous()),
                       "unit 'z4', event column 'env': a count cannot be negative, got -1", data_error);
}

TEST_CASE("event columns are not indicators, but undeclared extra columns still are errors") {
  framework fw = zone_framework();
  fw.rules.adjustments.items.pop_back();
  fw.rules.events.pop_back();  // "bon" no longer declared
  CHECK_THROWS_WITH_AS(evaluate(fw, zones(), with_previous()), doctest::Contains("data column(s) bon are not indicators"),
                       data_error);
  framework missing = zone_framework();
  Eigen::MatrixXd x = zones().values().leftCols(8);
  dataset d({"z1", "z2", "z3", "z4", "z5"}, {"g_level", "g_growth", "t", "e", "r", "acc", "dep", "env"}, x);
  CHECK_THROWS_WITH_AS(evaluate(missing, d, with_previous()), doctest::Contains("event column 'bon' named by the framework"),
                       data_error);
}

TEST_CASE("the rules round-trip through the file format") {
  const framework fw = zone_framework();
  const framework back = parse_framework(to_json(fw));
  CHECK(back == fw);
}

TEST_CASE("bad rules are schema errors that name the JSON path") {
  const std::string head = R"({"format": "parkscore-framework", "version": 1, "id": "t",
    "index": {"id": "index", "children": [{"id": "C", "children": [{"id": "x", "direction": "higher")";
  auto doc = [&](const std::string& norm, const std::string& rest) {
    return head + norm + "}]}]}" + rest + "}";
  };
  CHECK_NOTHROW(parse_framework(doc("", R"(, "events": [{"id": "acc"}], "veto": [{"column": "acc", "reason": "r"}])")));
  CHECK_THROWS_WITH_AS(parse_framework(doc("", R"(, "veto": [{"column": "acc", "reason": "r"}])"), "f.json"),
                       doctest::Contains("f.json: /veto/0/column: 'acc' is not a declared event column"), schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(doc("", R"(, "events": [{"id": "x"}])"), "f.json"),
                       doctest::Contains("f.json: /events/0/id: 'x' is already a node"), schema_error);
  CHECK_THROWS_WITH_AS(
      parse_framework(doc("", R"(, "events": [{"id": "a"}], "adjustments": {"items": [{"column": "a"}]})"), "f.json"),
      doctest::Contains("f.json: /adjustments/items/0: needs \"points\""), schema_error);
  CHECK_THROWS_WITH_AS(
      parse_framework(doc("", R"(, "events": [{"id": "a"}], "veto": [{"column": "a", "op": "=>", "reason": "r"}])"), "f.json"),
      doctest::Contains("f.json: /veto/0/op: unknown value '=>'"), schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(doc(R"(, "normalisation": {"clip": [0.5, -0.2]})", ""), "f.json"),
                       doctest::Contains("/index/children/0/children/0/normalisation/clip: upper bound -0.2 must exceed"),
                       schema_error);
  CHECK_THROWS_WITH_AS(
      parse_framework(doc(R"(, "normalisation": {"method": "rank_tier", "tiers": [{"top": 0.3, "score": 100}]})", ""),
                      "f.json"),
      doctest::Contains("the last tier must reach 1"), schema_error);
  CHECK_THROWS_WITH_AS(
      parse_framework(doc(R"(, "normalisation": {"method": "ratio_to_benchmark"})", ""), "f.json"),
      doctest::Contains("needs either a benchmark or a benchmark_factor"), schema_error);
}

TEST_CASE("benchmark_factor on a derived indicator: the previous year's derived values, not its raw columns (issue 16)") {
  // index -> d = a / b (ratio to 1 x the previous year's mean of d, cap 2), y (min-max).
  framework fw("index", "derived benchmark");
  node d = indicator("d", 1, direction::higher_is_better, normalisation_method::ratio_to_benchmark);
  d.norm.benchmark_factor = 1;
  d.norm.cap = 2;
  fw.add_indicator("index", d);
  fw.add_indicator("index", indicator("y", 1));
  fw.derived.push_back({"d", "a / b", ""});
  Eigen::MatrixXd now(3, 3), before(3, 2);
  now << 10, 5, 1,  //   d = 2
      30, 10, 2,    //   d = 3
      20, 4, 3;     //   d = 5
  before << 8, 4,   //   d = 2
      9, 3,         //   d = 3
      30, 10;       //   d = 3
  evaluation_options opt;
  opt.previous = dataset({"u1", "u2", "u3"}, {"a", "b"}, before);
  const result r = evaluate(fw, dataset({"u1", "u2", "u3"}, {"a", "b", "y"}, now), opt);
  // Benchmark = mean(2, 3, 3) = 8/3 (the raw previous data have no column d at all; the mean of
  // a would be 47/3). d / (8/3) x 100: 2 -> 75, 3 -> 112.5, 5 -> 187.5 (under the cap 2).
  const Eigen::MatrixXd& z = r.pool().normalised;
  CHECK(z(0, 0) == approx(75));
  CHECK(z(1, 0) == approx(112.5));
  CHECK(z(2, 0) == approx(187.5));
  CHECK(r.pool().normalisation.front().fitted.spec.benchmark.value() == approx(8.0 / 3));
  // A derived indicator that uses lag() has no previous-year value: said so, with the way out.
  framework lagged = fw;
  lagged.derived.front().expression = "a / lag(a)";
  opt.allow_extra_columns = true;   // b is no longer read
  CHECK_THROWS_WITH_AS(evaluate(lagged, dataset({"u1", "u2", "u3"}, {"a", "b", "y"}, now), opt),
                       doctest::Contains("cannot derive it (a derived indicator that uses lag() has no previous-year "
                                         "value)"),
                       data_error);
  // Without previous-year data, the message says what to give (not a C++ field).
  CHECK_THROWS_WITH_AS(evaluate(fw, dataset({"u1", "u2", "u3"}, {"a", "b", "y"}, now)),
                       doctest::Contains("no previous-year data were given (CLI: --previous FILE; Python: previous=...)"),
                       data_error);
}
