#include <doctest/doctest.h>

#include "fixtures.hpp"
#include "parkscore/error.hpp"
#include "parkscore/engine/evaluate.hpp"
#include "parkscore/model/framework_io.hpp"
#include "parkscore/model/weight_set.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using namespace parkscore::test;

namespace {
// The fixture's tree weights (A 2, B 1) are set "main"; "equal" weighs A and B 1:1.
framework with_sets() {
  framework fw = two_category_framework();
  fw.weight_sets.default_name = "main";
  fw.weight_sets.sets.push_back({"equal", "A and B alike", "assumed", {{"A", 1}, {"B", 1}}});
  return fw;
}
// A = 0, 62.5, 50, 100 and B = 0, 33.33, 66.67, 100 (test_evaluate.cpp).
// main:  (2A + B)/3 = 0, 52.7778, 55.5556, 100;  equal: (A + B)/2 = 0, 47.9167, 58.3333, 100.
const double main_u2 = (125 + 100.0 / 3) / 3, equal_u2 = (62.5 + 100.0 / 3) / 2, main_u3 = (100 + 200.0 / 3) / 3,
             equal_u3 = (50 + 200.0 / 3) / 2;
}  // namespace

TEST_CASE("a weight set chosen by name, in the options or applied to the framework") {
  evaluation_options opt;
  opt.weight_set = "equal";
  const result r = evaluate(with_sets(), four_units(), opt);
  CHECK(r.score("u2", "index") == approx(equal_u2));
  CHECK(r.score("u3", "index") == approx(equal_u3));
  CHECK(r.rule(1).weight_set == "equal");
  const framework applied = apply_weight_set(with_sets(), "equal");
  CHECK(applied.weight_sets.default_name == "equal");
  CHECK(applied.at(applied.index_of("A")).weight == 1);
  const result a = evaluate(applied, four_units());
  CHECK(a.pool().scores.isApprox(r.pool().scores));
  // The former tree weights survive as a set under their old name.
  CHECK(weight_set_weights(applied, "main")[static_cast<std::size_t>(applied.index_of("A"))] == 2);
  CHECK(apply_weight_set(applied, "main").at(1).weight == 2);
  CHECK(weight_set_names(with_sets()) == std::vector<std::string>{"main", "equal"});
  opt.weight_set = "nope";
  CHECK_THROWS_WITH_AS(evaluate(with_sets(), four_units(), opt), doctest::Contains("no weight set named 'nope' (known: main, equal)"),
                       schema_error);
}

TEST_CASE("weight set by group: each unit aggregated (and given points) with its group's set") {
  framework fw = with_sets();
  fw.weight_sets.by_group = weight_set_by_group{"level", {{"national", "equal"}}};  // provincial: default
  fw.scores.scale = score_scale::points;
  const result r = evaluate(fw, four_units());
  CHECK(r.score("u2", "index") == approx(main_u2));   // provincial
  CHECK(r.score("u3", "index") == approx(equal_u3));  // national
  CHECK(r.rule(2).weight_set == "equal");
  CHECK(r.rule(1).weight_set == "main");
  // Points: A carries 2/3 of 100 under main, 1/2 under equal: u2 62.5 x 2/3, u3 50 x 1/2.
  CHECK(r.score("u2", "A") == approx(62.5 * 2 / 3));
  CHECK(r.score("u3", "A") == approx(25));
  // The options override the framework's grouping.
  evaluation_options opt;
  opt.weights_by_group = weight_set_by_group{"level", {{"provincial", "equal"}, {"national", "main"}}};
  const result o = evaluate(fw, four_units(), opt);
  CHECK(o.score("u2", "index") == approx(equal_u2));
  CHECK(o.score("u3", "index") == approx(main_u3));
}

TEST_CASE("weight sets in the file format: round trip and errors with JSON paths") {
  framework fw = with_sets();
  fw.weight_sets.by_group = weight_set_by_group{"region", {{"苏南", "equal"}}};
  CHECK(parse_framework(to_json(fw)) == fw);
  const std::string head = R"({"format": "parkscore-framework", "version": 1, "id": "t",
    "index": {"id": "index", "children": [{"id": "x", "direction": "higher"}]}, "weight_sets": )";
  CHECK_THROWS_WITH_AS(parse_framework(head + R"({"sets": [{"name": "s", "weights": {"y": 1}}]}})", "f.json"),
                       "f.json: /weight_sets/sets/0/weights/y: weight set 's': no node with id 'y'", schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(head + R"({"by_group": {"column": "region", "sets": {"a": "s"}}}})", "f.json"),
                       doctest::Contains("f.json: /weight_sets: weight sets by 'region': label 'a' names unknown weight set 's'"),
                       schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(head + R"({"default": "d", "sets": [{"name": "d", "weights": {}}]}})", "f.json"),
                       doctest::Contains("weight set 'd' is defined twice"), schema_error);
}

namespace {
std::vector<std::string> weight_warnings(const result& r) {
  std::vector<std::string> out;
  for (const note& n : r.warnings())
    if (n.step == "weights") out.push_back(n.message);
  return out;
}
}  // namespace

TEST_CASE("a weight set of indicator weights only warns that the categories keep the tree's weights (issue 16)") {
  framework fw = with_sets();
  // a1 : a2 = 3 : 1 under A, but A and B not listed: they stay 2 : 1 from the tree.
  fw.weight_sets.sets.push_back({"indicators", "", "", {{"a1", 3}, {"a2", 1}}});
  evaluation_options opt;
  opt.weight_set = "indicators";
  const std::vector<std::string> w = weight_warnings(evaluate(fw, four_units(), opt));
  REQUIRE(w.size() == 1);
  CHECK(w[0] == "weight set 'indicators' does not list 2 node(s), which keep the framework's weights: A, B (list them, "
                "or mark the set \"complete\": true to have every node required)");
  // A set of the upper level only (the categories) is the usual alternative: no warning.
  opt.weight_set = "equal";
  CHECK(weight_warnings(evaluate(fw, four_units(), opt)).empty());
  // A sibling group half listed mixes the set's and the tree's weights: a2 is named.
  fw.weight_sets.sets.push_back({"half", "", "", {{"A", 1}, {"B", 1}, {"a1", 3}}});
  opt.weight_set = "half";
  CHECK(weight_warnings(evaluate(fw, four_units(), opt)) ==
        std::vector<std::string>{"weight set 'half' does not list 1 node(s), which keep the framework's weights: a2 (list "
                                 "them, or mark the set \"complete\": true to have every node required)"});
  // The default (the tree) never warns.
  CHECK(weight_warnings(evaluate(fw, four_units())).empty());
  CHECK(unlisted_nodes(fw, "indicators") == std::vector<std::string>{"A", "B", "b1"});
  CHECK(unlisted_nodes(fw, "main").empty());
}

TEST_CASE("a complete weight set must list every node but the root, named with the JSON path") {
  framework fw = with_sets();
  fw.weight_sets.sets.push_back({"all", "", "", {{"A", 1}, {"a1", 3}, {"a2", 1}}, true});
  CHECK_THROWS_WITH_AS(fw.validate(), "weight set 'all' is complete but does not list 2 node(s): B, b1", schema_error);
  fw.weight_sets.sets.back().weights.insert({{"B", 1}, {"b1", 1}});
  CHECK_NOTHROW(fw.validate());
  // Saved and read back with its flag.
  const framework back = parse_framework(to_json(fw), "f.json");
  CHECK(back.weight_sets.sets.back().complete);
  const std::string text = R"({"format": "parkscore-framework", "version": 1, "id": "t",
    "index": {"id": "index", "children": [{"id": "A", "children": [{"id": "x", "direction": "higher"}]},
                                          {"id": "y", "direction": "lower"}]},
    "weight_sets": {"sets": [{"name": "alt", "complete": true, "weights": {"x": 1, "y": 2}}]}})";
  CHECK_THROWS_WITH_AS(parse_framework(text, "f.json"),
                       "f.json: /weight_sets/sets/0/weights: weight set 'alt' is \"complete\" but does not list 1 "
                       "node(s): A",
                       schema_error);
}
