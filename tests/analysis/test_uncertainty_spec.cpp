#include <doctest/doctest.h>

#include "analysis/analysis_fixtures.hpp"
#include "parkscore/analysis/uncertainty.hpp"
#include "parkscore/analysis/uncertainty_spec.hpp"

using namespace parkscore;

TEST_CASE("uncertainty spec: every input type reads, with pointers resolved") {
  const framework fw = test::five_indicator_framework();
  const auto spec = parse_uncertainty_spec(R"({"uncertainty": {"inputs": [
      {"type": "weights", "node": "*", "spread": 0.2},
      {"type": "weights", "node": "C1", "distribution": "dirichlet", "concentration": 50},
      {"type": "normalisation", "indicators": ["x1", "x4"], "options": [{"method": "min_max"}, {"method": "z_score"}]},
      {"type": "aggregation", "node": "index", "options": [{"method": "arithmetic"}, {"method": "geometric"}]},
      {"type": "treatment", "options": [null, {"method": "winsorise"}]},
      {"type": "exclude_indicator", "indicators": ["x2", "x5"]},
      {"type": "parameter", "pointer": "/scores/total_points", "values": [100, 50]},
      {"type": "parameter", "name": "tp", "pointer": "/scores/total_points", "uniform": [90, 110]}
  ]}})", fw, "spec.json");
  REQUIRE(spec.weights.size() == 2);
  CHECK(spec.weights[0].spread == 0.2);
  CHECK(spec.weights[1].draw == weight_draw::dirichlet);
  REQUIRE(spec.choices.size() == 5);
  CHECK(spec.choices[0].options[1].edits.size() == 2);
  CHECK(spec.choices[0].options[1].edits[0].pointer == node_pointer(fw, "x1") + "/normalisation");
  CHECK(node_pointer(fw, "x4") == "/index/children/1/children/0");
  CHECK(spec.choices[2].options[0].edits[0].op == "remove");
  CHECK(spec.choices[3].options.size() == 3);   // none, x2, x5
  CHECK(spec.parameters.size() == 1);
  CHECK(spec.input_names() == std::vector<std::string>{"weights:*", "weights:C1", "normalisation", "aggregation",
                                                       "treatment", "exclude_indicator", "/scores/total_points", "tp"});
}

TEST_CASE("uncertainty spec: errors name the file and the JSON path") {
  const framework fw = test::five_indicator_framework();
  auto message = [&](const char* text) {
    try {
      parse_uncertainty_spec(text, fw, "spec.json");
    } catch (const schema_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message(R"({"inputs": [{"type": "weights", "node": "nope"}]})") ==
        "spec.json: /inputs/0/node: no node 'nope' in framework 'index'");
  CHECK(message(R"({"inputs": [{"type": "weights", "spread": 1.5}]})") ==
        "spec.json: /inputs/0/spread: spread 1.5 must be in [0, 1)");
  CHECK(message(R"({"inputs": [{"type": "normalisation", "options": [{"method": "min_max"}]}]})") ==
        "spec.json: /inputs/0/options: a choice needs at least two options");
  CHECK(message(R"({"inputs": [{"type": "colour"}]})").find("/inputs/0/type: unknown input type 'colour'") !=
        std::string::npos);
  CHECK(message(R"({"inputs": [{"type": "weights", "sprad": 0.1}]})").find("unknown key 'sprad'") != std::string::npos);
}

TEST_CASE("uncertainty: excluding one indicator at a time evaluates each framework once") {
  const framework fw = test::five_indicator_framework();
  const dataset data = test::random_units(10, 9);
  const auto spec = parse_uncertainty_spec(
      R"({"inputs": [{"type": "weights", "spread": 0.1}, {"type": "exclude_indicator"}]})", fw);
  uncertainty_options opt;
  opt.replicates = 400;
  const auto res = run_uncertainty(fw, data, spec, opt);
  CHECK(res.scenarios == 6);   // none + each of the 5 indicators
  CHECK(res.partial.replicates == 400);
  // A bad edit is reported with the scenario that made it.
  const auto bad = parse_uncertainty_spec(
      R"({"inputs": [{"type": "parameter", "pointer": "/scores/scale", "values": ["mean", "furlongs"]}]})", fw);
  CHECK_THROWS_AS(run_uncertainty(fw, data, bad, opt), method_error);
}
