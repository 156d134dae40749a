#include <doctest/doctest.h>

#include <filesystem>

#include "fixtures.hpp"
#include "parkscore/error.hpp"
#include "parkscore/model/framework_io.hpp"

using namespace parkscore;

namespace {
const std::filesystem::path demo_file = std::filesystem::path(PARKSCORE_SOURCE_DIR) / "docs/examples/demo-framework.json";

// A minimal valid document with `node` spliced in as the only indicator.
std::string with_indicator(const std::string& node) {
  return R"({"format": "parkscore-framework", "version": 1, "id": "t",
             "index": {"id": "index", "children": [{"id": "C", "children": [)" +
         node + "]}]}}";
}
}  // namespace

TEST_CASE("the documented example loads with everything it states") {
  const framework fw = load_framework(demo_file);
  CHECK(fw.id == "demo");
  CHECK(fw.name == "示范开发区指数 (demo zone index)");
  CHECK(fw.pools == std::vector<std::string>{"", "level"});
  CHECK(fw.scores.scale == score_scale::points);
  CHECK(fw.rank_rule.round_decimals == 2);
  CHECK(fw.indicator_ids() == std::vector<std::string>{"gdp", "tax", "fdi", "energy", "land_tax"});
  const node& energy = fw.at(fw.index_of("energy"));
  CHECK(energy.dir == direction::lower_is_better);
  CHECK(energy.norm.method == normalisation_method::efficacy);  // from the defaults
  CHECK(energy.unit == "吨标煤/万元");
  const node& fdi = fw.at(fw.index_of("fdi"));
  CHECK(fdi.norm.method == normalisation_method::ratio_to_benchmark);
  CHECK(*fdi.norm.cap == 2);
  CHECK(fw.at(fw.index_of("ECO")).weight == 60);
}

TEST_CASE("round trip: load -> save -> load gives the same model") {
  const framework first = load_framework(demo_file);
  const framework second = parse_framework(to_json(first), "saved");
  CHECK(first == second);
  CHECK(to_json(second) == to_json(first));
  const framework built = parkscore::test::two_category_framework();
  CHECK(parse_framework(to_json(built)) == built);
}

TEST_CASE("errors name the file and the JSON path") {
  CHECK_THROWS_WITH_AS(parse_framework(with_indicator(R"({"id": "x", "direction": "higher", "wieght": 2})"), "f.json"),
                       doctest::Contains("f.json: /index/children/0/children/0/wieght: unknown key 'wieght'"),
                       schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(with_indicator(R"({"id": "x", "direction": "up"})"), "f.json"),
                       doctest::Contains("/index/children/0/children/0/direction: unknown value 'up' "
                                         "(expected one of: higher, lower)"),
                       schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(with_indicator(R"({"id": "x", "direction": "higher", "weight": "3"})"), "f.json"),
                       doctest::Contains("/index/children/0/children/0/weight: expected a number, got string"),
                       schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(with_indicator(R"({"id": "x", "direction": "higher", "weight": -2})"), "f.json"),
                       doctest::Contains("/weight: weights must be >= 0, got -2"), schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(with_indicator(R"({"id": "x"})"), "f.json"),
                       doctest::Contains("indicator 'x' needs a \"direction\""), schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(with_indicator(R"({"id": "x", "direction": "higher", "normalisation":
                                           {"method": "goalposts", "gp_min": 5}})"),
                                       "f.json"),
                       doctest::Contains("indicator 'x': normalisation 'goalposts': needs both goalposts"),
                       schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(with_indicator(R"({"id": "x", "direction": "higher"}, {"id": "x", "direction": "lower"})"),
                                       "f.json"),
                       doctest::Contains("/index/children/0/children/1: duplicate node id 'x'"), schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(R"({"format": "parkscore-framework", "version": 1, "index":
                                           {"id": "index", "children": [{"id": "C", "children": []}]}})",
                                       "f.json"),
                       doctest::Contains("/index/children/0/children: node 'C' has no children"), schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(R"({"format": "parkscore-framework", "version": 7, "index": {}})", "f.json"),
                       doctest::Contains("f.json: /version: unsupported version 7"), schema_error);
  CHECK_THROWS_WITH_AS(parse_framework("{\n  \"format\": \"parkscore-framework\",\n  oops\n}", "f.json"),
                       doctest::Contains("f.json:3:"), schema_error);
  CHECK_THROWS_WITH_AS(load_framework("/nonexistent/x.json"), doctest::Contains("/nonexistent/x.json: cannot open"),
                       schema_error);
}

TEST_CASE("presets are found by name, and an unknown name lists the known ones") {
  CHECK_THROWS_WITH_AS(load_preset("no-such-preset"), doctest::Contains("no preset named 'no-such-preset'"),
                       schema_error);
}

TEST_CASE("a root without children or written as an indicator: an error naming the file and the JSON path") {
  const auto doc = [](const std::string& index) {
    return R"({"format": "parkscore-framework", "version": 1, "id": "t", "index": )" + index + "}";
  };
  // Used to be nlohmann's bare "key 'children' not found", without file or path.
  CHECK_THROWS_WITH_AS(parse_framework(doc(R"({"id": "index"})"), "f.json"),
                       "f.json: /index: the index 'index' needs \"children\": the root aggregates categories or "
                       "indicators and cannot itself be an indicator",
                       schema_error);
  // Used to say that 'direction' belongs to indicators and that the root has children.
  CHECK_THROWS_WITH_AS(parse_framework(doc(R"({"id": "index", "direction": "higher"})"), "f.json"),
                       "f.json: /index: the index 'index' needs \"children\": the root aggregates categories or "
                       "indicators and cannot itself be an indicator (it has a \"direction\")",
                       schema_error);
  // A node with neither: both ways out named.
  CHECK_THROWS_WITH_AS(parse_framework(with_indicator(R"({"id": "x", "weight": 2})"), "f.json"),
                       "f.json: /index/children/0/children/0: indicator 'x' needs a \"direction\" (higher or lower); "
                       "a category needs \"children\" instead",
                       schema_error);
}
