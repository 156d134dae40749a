#include <doctest/doctest.h>

#include "parkscore/error.hpp"
#include "parkscore/model/framework_io.hpp"

using namespace parkscore;

namespace {
// A document whose root has three indicator children and the given weighting.
std::string with_weighting(const std::string& weighting) {
  return R"({"format": "parkscore-framework", "version": 1, "id": "t",
             "index": {"id": "index", "weighting": )" +
         weighting + R"(, "children": [{"id": "a", "direction": "higher"}, {"id": "b", "direction": "higher"},
                                     {"id": "c", "direction": "higher"}]}})";
}
}  // namespace

TEST_CASE("weighting specs read from JSON and round-trip") {
  const framework ahp = parse_framework(with_weighting(
      R"({"method": "ahp", "matrix": [[1, 3, 5], ["1/3", 1, 2], [0.2, "1/2", 1]], "ri_table": "alternative"})"));
  const weighting_spec& w = ahp.root().weighting;
  CHECK(w.method == weighting_method::ahp);
  CHECK(w.matrix[1][0] == doctest::Approx(1.0 / 3));
  CHECK(w.ahp.ri == ri_table::alternative);
  CHECK(parse_framework(to_json(ahp)) == ahp);

  const framework combined = parse_framework(with_weighting(
      R"({"method": "combined", "combination": "multiplicative", "alpha": 0.7,
          "subjective": {"method": "ahp", "matrix": [[1, 2, 2], [0.5, 1, 1], [0.5, 1, 1]]},
          "objective": {"method": "entropy", "policy": "require_nonnegative"}})"));
  const weighting_spec& c = combined.root().weighting;
  REQUIRE(c.parts.size() == 2);
  CHECK(c.combine == combination::multiplicative);
  CHECK(c.parts[1].entropy.policy == entropy_policy::require_nonnegative);
  CHECK(c.uses_data());
  CHECK(parse_framework(to_json(combined)) == combined);
  CHECK(to_json(parse_framework(to_json(combined))) == to_json(combined));

  for (const char* spec : {R"({"method": "critic", "correlation": "abs_r"})", R"({"method": "variation"})",
                           R"({"method": "pca", "min_eigenvalue": 0.8, "min_cumulative": 0.6, "kaiser_normalise": false})",
                           R"({"method": "entropy", "shift": 0.5})", R"({"method": "equal"})"}) {
    CAPTURE(spec);
    const framework fw = parse_framework(with_weighting(spec));
    CHECK(fw.root().weighting.method != weighting_method::fixed);
    CHECK(parse_framework(to_json(fw)) == fw);
  }
}

TEST_CASE("weighting errors name the JSON path") {
  CHECK_THROWS_WITH_AS(parse_framework(with_weighting(R"({"method": "entropy", "polcy": "shift_min"})"), "f.json"),
                       doctest::Contains("f.json: /index/weighting/polcy: unknown key 'polcy'"), schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(with_weighting(R"({"method": "entropy", "matrix": [[1]]})"), "f.json"),
                       doctest::Contains("/index/weighting/matrix: unknown key 'matrix'"), schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(with_weighting(R"({"method": "topsis"})"), "f.json"),
                       doctest::Contains("/index/weighting/method: unknown value 'topsis'"), schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(with_weighting(R"({"method": "ahp", "matrix": [[1, 3], ["1/3", 1]]})"), "f.json"),
                       doctest::Contains("/index/weighting/matrix: the comparison matrix is 2 x 2 but node 'index' has 3 children"),
                       schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(with_weighting(R"({"method": "ahp", "matrix": [[1, 3, 5], ["1/x", 1, 2], [0.2, 0.5, 1]]})"), "f.json"),
                       doctest::Contains("/index/weighting/matrix/1/0: expected a number or a fraction such as \"1/3\", got \"1/x\""),
                       schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(with_weighting(R"({"method": "ahp", "matrix": [[1, 3, 5], [1, 1, 2], [0.2, 0.5, 1]]})"), "f.json"),
                       doctest::Contains("/index/weighting: AHP: not reciprocal: a(0, 1) = 3 but a(1, 0) = 1"), schema_error);
  // 1 > 9 > 1/9 ... a circular judgement: CR far above 0.10, the worst pair named (a, c)
  CHECK_THROWS_WITH_AS(parse_framework(with_weighting(R"({"method": "ahp", "matrix": [[1, 9, "1/9"], ["1/9", 1, 9], [9, "1/9", 1]]})"), "f.json"),
                       doctest::Contains("/index/weighting: AHP: inconsistent comparisons"), schema_error);
  CHECK_NOTHROW(parse_framework(with_weighting(R"({"method": "ahp", "allow_inconsistent": true, "matrix": [[1, 9, "1/9"], ["1/9", 1, 9], [9, "1/9", 1]]})")));
  CHECK_THROWS_WITH_AS(parse_framework(with_weighting(R"({"method": "combined", "subjective": {"method": "equal"}})"), "f.json"),
                       doctest::Contains("/index/weighting: a combined weighting needs \"objective\""), schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(with_weighting(R"({"method": "combined", "alpha": 2, "subjective": {"method": "equal"}, "objective": {"method": "critic"}})"), "f.json"),
                       doctest::Contains("/index/weighting/alpha: alpha must be in [0, 1], got 2"), schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(R"({"format": "parkscore-framework", "version": 1, "id": "t",
             "index": {"id": "index", "children": [{"id": "a", "direction": "higher", "weighting": {"method": "equal"}}]}})", "f.json"),
                       doctest::Contains("/index/children/0/weighting: 'weighting' belongs to nodes with children"),
                       schema_error);
}
