// Strict reading of framework files: duplicate keys, nesting depth, numbers
// outside a double, and validation errors that point at the key, not at "/".
#include <doctest/doctest.h>

#include <string>

#include "parkscore/error.hpp"
#include "parkscore/model/framework_io.hpp"

using namespace parkscore;

namespace {
std::string with_children(const std::string& children, const std::string& extra = "") {
  return R"({"format": "parkscore-framework", "version": 1, "id": "t",)" + extra +
         R"( "index": {"id": "index", "children": [)" + children + "]}}";
}
}  // namespace

TEST_CASE("a key repeated in one object is an error naming its JSON path") {
  // nlohmann alone keeps the last value: "weight": 3 would silently become 0.001.
  CHECK_THROWS_WITH_AS(
      parse_framework(with_children(R"({"id": "x", "direction": "higher", "weight": 3, "weight": 0.001})"), "f.json"),
      "f.json: /index/children/0/weight: duplicate key 'weight' (each key may appear once per object)", schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(R"({"format": "a", "format": "b"})", "f.json"),
                       "f.json: /format: duplicate key 'format' (each key may appear once per object)", schema_error);
  // The same key in two different objects is fine.
  CHECK(parse_framework(with_children(R"({"id": "x", "direction": "higher"}, {"id": "y", "direction": "lower"})"))
            .indicator_ids() == std::vector<std::string>{"x", "y"});
}

TEST_CASE("nesting deeper than 128 levels is refused before any recursive reader sees it") {
  // 3 500 levels overflowed the stack of the recursive node reader.
  std::string deep = R"({"format": "parkscore-framework", "version": 1, "id": "t", "index": )";
  for (int i = 0; i < 3500; ++i) deep += R"({"id": "n)" + std::to_string(i) + R"(", "children": [)";
  CHECK_THROWS_WITH_AS(parse_framework(deep, "deep.json"),
                       doctest::Contains("deep.json: /index/children/0/children/0/"), schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(deep, "deep.json"),
                       doctest::Contains(": nested deeper than 128 levels of objects and arrays"), schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(std::string(100000, '['), "a.json"),
                       doctest::Contains("nested deeper than 128 levels"), schema_error);
}

TEST_CASE("a number outside the range of a double names file, line and column") {
  CHECK_THROWS_WITH_AS(parse_framework("{\n  \"format\": \"parkscore-framework\",\n  \"version\": 1e400\n}", "w.json"),
                       "w.json:3:14: the number 1e400 is outside the range of a double (about ±1.8e308)", schema_error);
  CHECK_THROWS_WITH_AS(parse_framework("{\"a\": [1, 2,]}", "s.json"), doctest::Contains("s.json:1:13: invalid JSON"),
                       schema_error);
  // An integer beyond int is not wrapped: 4294967297 would read as version 1.
  CHECK_THROWS_WITH_AS(parse_framework(R"({"format": "parkscore-framework", "version": 4294967297})", "v.json"),
                       "v.json: /version: the integer 4294967297 is out of range (at most ±2147483647)", schema_error);
}

TEST_CASE("validation errors point at the node's key, not at the root") {
  auto message = [](const std::string& text) {
    try {
      (void)parse_framework(text, "f.json");
    } catch (const schema_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message(with_children(R"({"id": "x", "direction": "higher", "normalisation": {"method": "min_max", "lo": 5, "hi": 1}})")) ==
        "f.json: /index/children/0/normalisation/hi: indicator 'x': normalisation 'min_max': hi (1) must exceed lo (5)");
  CHECK(message(with_children(R"({"id": "x", "direction": "higher", "weight": 0}, {"id": "y", "direction": "higher", "weight": 0})")) ==
        "f.json: /index/children: node 'index': the weights of its children are all zero");
  CHECK(message(with_children(R"({"id": "x", "direction": "higher", "normalisation": {"method": "goalposts", "gp_min": 1}})")) ==
        "f.json: /index/children/0/normalisation: indicator 'x': normalisation 'goalposts': needs both goalposts, gp_min and gp_max");
  // A setting inherited from "defaults" points there.
  CHECK(message(with_children(R"({"id": "x", "direction": "higher"})",
                              R"( "defaults": {"normalisation": {"method": "z_score", "target_sd": -1}},)")) ==
        "f.json: /defaults/normalisation/target_sd: indicator 'x': normalisation 'z_score': target_sd must be positive, got -1");
  CHECK(message(R"({"format": "parkscore-framework", "version": 1, "id": "t", "index": {"id": "index",
      "aggregation": {"method": "arithmetic", "min_coverage": 2}, "children": [{"id": "x", "direction": "higher"}]}})") ==
        "f.json: /index/aggregation/min_coverage: node 'index': min_coverage must lie in [0, 1], got 2");
  // Checks of a whole section point at the section.
  CHECK(message(with_children(R"({"id": "x", "direction": "higher"})", R"( "pools": ["level", "level"],)")) ==
        "f.json: /pools: framework 't': pool 'level' is listed twice");
  CHECK(message(with_children(R"({"id": "x", "direction": "higher"})", R"( "scores": {"total_points": -1},)")) ==
        "f.json: /scores/total_points: framework 't': total_points must be positive and at most 1e+100, got -1");
  CHECK(message(R"({"format": "parkscore-framework", "version": 1, "id": "t", "index": {"id": "index",
      "aggregation": {"method": "geometric", "zero_policy": "floor"}, "children": [{"id": "x", "direction": "higher"}]}})") ==
        "f.json: /index/aggregation: node 'index': zero_policy floor needs a floor > 0, got 0");
}

TEST_CASE("a missing framework file is reported as a missing file, with the preset folders") {
  CHECK_THROWS_WITH_AS(load_framework_or_preset("no/such/x.json"),
                       doctest::Contains("framework file 'no/such/x.json' does not exist"), schema_error);
  CHECK_THROWS_WITH_AS(load_framework_or_preset("x.json"), doctest::Contains("presets are searched in: "), schema_error);
  CHECK_THROWS_WITH_AS(load_framework_or_preset("no-such-preset"), doctest::Contains("no preset named 'no-such-preset'"),
                       schema_error);
}
