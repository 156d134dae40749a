#include <doctest/doctest.h>

#include "fixtures.hpp"
#include "parkscore/engine/evaluate.hpp"
#include "parkscore/error.hpp"
#include "parkscore/methods/mcda.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using parkscore::test::approx;
using parkscore::test::check_vector;

namespace {
// two_category_framework() on four_units(), all units in one pool, min-max 0-100:
//   a1 = 0, 10, 20, 40  -> 0, 25, 50, 100
//   a2 = 5, 1, 3, 1 (lower is better) -> 0, 100, 50, 100
//   b1 = 2, 4, 6, 8     -> 0, 33.3, 66.7, 100
// Nominal weights below the index: A 2/3 split over a1, a2; B 1/3 on b1: 1/3 each.
result evaluated() {
  evaluation_options o;
  o.pools = {""};
  return evaluate(test::two_category_framework(), test::four_units(), o);
}
}  // namespace

TEST_CASE("indicators below a node and their nominal weights") {
  const framework fw = test::two_category_framework();
  const node_indicators all = indicators_below(fw, "index");
  CHECK(all.ids == std::vector<std::string>{"a1", "a2", "b1"});
  check_vector(all.nominal, {1.0 / 3, 1.0 / 3, 1.0 / 3});
  const node_indicators a = indicators_below(fw, "A");
  CHECK(a.columns == std::vector<std::size_t>{0, 1});
  check_vector(a.nominal, {0.5, 0.5});
  CHECK_THROWS_AS(indicators_below(fw, "nope"), schema_error);
}

TEST_CASE("BoD on an evaluation") {
  // u4 = (100, 100, 100) dominates every unit, so each unit's best weights put everything on its
  // best indicator: score = max_j y_ij / 100: u1 0, u2 1 (a2 = 100), u3 2/3 (b1), u4 1.
  const result r = evaluated();
  const mcda_spec spec = parse_mcda_spec(R"({"method": "bod", "pool": "all"})", r.model);
  const mcda_result out = run_mcda(r, spec);
  REQUIRE(out.pools.size() == 1);
  REQUIRE(out.pools[0].bod);
  check_vector(out.pools[0].bod->scores, {0.0, 1.0, 2.0 / 3.0, 1.0}, 1e-9);
  // Every indicator's share of the unit's own score at most 1/2. u3 = (50, 50, 200/3): b1 pays most
  // per unit of weight, so its share goes to the bound: (200/3) w3 = 50 (w1 + w2) = S / 2, i.e.
  // w3 = 0.75 a with a = w1 + w2, and S = 100 a. u4's row 100 (a + 0.75 a) <= 1 gives a = 1/175:
  // S = 100 / 175 = 4/7 (u2's row 25 w1 + 100 w2 + (100/3) w3 stays below 1).
  const mcda_spec shares = parse_mcda_spec(
      R"({"method": "bod", "pool": "all", "restrictions": {"shares": {"*": {"max": 0.5}}}})", r.model);
  const mcda_result restricted = run_mcda(r, shares);
  CHECK(restricted.pools[0].bod->scores[2] == approx(4.0 / 7.0));
}

TEST_CASE("Kemeny on an evaluation, pool by pool") {
  // All units: u4 beats each other unit on a1 and b1 (and ties u2 on a2): first. u3 beats u2 on a1
  // and b1 (2/3), u1 loses everything: u4, u3, u2, u1.
  const result r = evaluated();
  const mcda_result out = run_mcda(r, parse_mcda_spec(R"({"method": "kemeny", "pool": "all"})", r.model));
  REQUIRE(out.pools[0].kemeny);
  CHECK(out.pools[0].kemeny->order == std::vector<std::size_t>{3, 2, 1, 0});
  CHECK(out.pools[0].outranking(3, 1) == approx(5.0 / 6.0));   // 1/3 + 1/3 + half of 1/3
  // By level: national {u1, u3}, provincial {u2, u4}, each normalised and ranked on its own.
  evaluation_options level;
  level.pools = {"level"};
  const result by_level = evaluate(test::two_category_framework(), test::four_units(), level);
  const mcda_result pools = run_mcda(by_level, parse_mcda_spec(R"({"method": "kemeny", "pool": "level"})", r.model));
  REQUIRE(pools.pools.size() == 2);
  CHECK(pools.pools[0].label == "national");
  CHECK(pools.pools[0].units == std::vector<std::size_t>{0, 2});
}

TEST_CASE("analysis spec errors name the JSON path") {
  const framework fw = test::two_category_framework();
  CHECK_THROWS_WITH_AS(parse_mcda_spec(R"({"method": "bod", "restriction": {}})", fw, "spec.json"),
                       doctest::Contains("spec.json: /restriction: unknown key"), schema_error);
  CHECK_THROWS_WITH_AS(
      parse_mcda_spec(R"({"method": "bod", "node": "B", "restrictions": {"shares": {"a1": {"max": 0.5}}}})", fw),
      doctest::Contains("/restrictions/shares/a1: 'a1' is not an indicator below node 'B'"), schema_error);
  CHECK_THROWS_WITH_AS(parse_mcda_spec(R"({"method": "bod", "solver": "exact"})", fw),
                       doctest::Contains("/solver: unknown key"), schema_error);
  CHECK_THROWS_WITH_AS(parse_mcda_spec(R"({"method": "bod", "peers": 5})", fw),
                       doctest::Contains("/peers: applies to the robust variant only"), schema_error);
  CHECK_THROWS_WITH_AS(parse_mcda_spec(R"({"method": "vote"})", fw), doctest::Contains("/method: unknown value 'vote'"),
                       schema_error);
  CHECK_THROWS_WITH_AS(
      parse_mcda_spec(R"({"method": "bod", "restrictions": {"weights": {"a1": {"min": 0.3, "max": 0.1}}}})", fw),
      doctest::Contains("/restrictions/weights/a1: min 0.3 is above max 0.1"), schema_error);
  CHECK_THROWS_WITH_AS(parse_mcda_spec(R"({"method": "kemeny", "node": "C"})", fw),
                       doctest::Contains("/node: no node 'C'"), schema_error);
  CHECK_THROWS_AS(parse_mcda_spec("{", fw), schema_error);
  // Overrides win over the file, before names are resolved.
  mcda_overrides over;
  over.method = mcda_method::kemeny;
  over.node = "A";
  over.pool = "level";
  const mcda_spec s = parse_mcda_spec(R"({"method": "bod", "node": "B"})", fw, "x", over);
  CHECK(s.method == mcda_method::kemeny);
  CHECK(s.node == "A");
  CHECK(s.pool == std::optional<std::string>("level"));
}

TEST_CASE("BoD on an evaluation refuses negative normalised values, naming pool, unit and indicator") {
  framework fw = test::two_category_framework();
  for (int k : fw.indicators()) fw.at(k).norm.method = normalisation_method::z_score;
  evaluation_options o;
  o.pools = {""};
  const result r = evaluate(fw, test::four_units(), o);
  CHECK_THROWS_WITH_AS(run_mcda(r, parse_mcda_spec(R"({"method": "bod"})", fw)),
                       doctest::Contains("all units: benefit of the doubt: unit 'u1', indicator 'a1'"), data_error);
}

TEST_CASE("units missing a value: an error, or left out and listed") {
  Eigen::MatrixXd x(4, 3);
  x << 0, 5, 2,  //
      10, 1, test::NaN,  //
      20, 3, 6,  //
      40, 1, 8;
  const dataset gap({"u1", "u2", "u3", "u4"}, {"a1", "a2", "b1"}, x);
  evaluation_options o;
  o.pools = {""};
  const result r = evaluate(test::two_category_framework(), gap, o);
  CHECK_THROWS_WITH_AS(run_mcda(r, parse_mcda_spec(R"({"method": "kemeny"})", r.model)),
                       doctest::Contains("unit 'u2', indicator 'b1'"), data_error);
  const mcda_result out = run_mcda(r, parse_mcda_spec(R"({"method": "kemeny", "missing": "drop_units"})", r.model));
  CHECK(out.pools[0].dropped == std::vector<std::size_t>{1});
  CHECK(out.pools[0].units == std::vector<std::size_t>{0, 2, 3});
  // Only the node's indicators count: below A (a1, a2) u2 is complete.
  const mcda_result a = run_mcda(r, parse_mcda_spec(R"({"method": "bod", "node": "A", "missing": "drop_units"})", r.model));
  CHECK(a.pools[0].dropped.empty());
}
