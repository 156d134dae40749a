#include <doctest/doctest.h>

#include "parkscore/error.hpp"
#include "parkscore/methods/weight.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using namespace parkscore::test;

TEST_CASE("fixed, points, equal and multiplier weights") {
  // Points 30, 20, 50 -> 0.3, 0.2, 0.5
  check_vector(fixed_weights(vec({30, 20, 50})).weights, {0.3, 0.2, 0.5});
  check_vector(equal_weights(4).weights, {0.25, 0.25, 0.25, 0.25});
  // A category worth 20% of the index with multipliers 3, 1, 1: 0.2 x 3/5, 0.2 x 1/5, 0.2 x 1/5
  check_vector(multiplier_weights(0.2, vec({3, 1, 1})), {0.12, 0.04, 0.04});
  CHECK_THROWS_WITH_AS(fixed_weights(vec({1, -1})), doctest::Contains("weight -1 of child 1"), method_error);
  CHECK_THROWS_WITH_AS(fixed_weights(vec({0, 0})), doctest::Contains("sum to 0"), method_error);
  CHECK_THROWS_AS(equal_weights(0), method_error);
}

TEST_CASE("combined weights: linear and multiplicative") {
  weight_result s = fixed_weights(vec({0.5, 0.3, 0.2}));
  weight_result o = fixed_weights(vec({0.2, 0.2, 0.6}));
  // linear, alpha 0.6: 0.6 x 0.5 + 0.4 x 0.2 = 0.38; 0.18 + 0.08 = 0.26; 0.12 + 0.24 = 0.36
  const weight_result lin = combine_weights(s, o, combination::linear, 0.6);
  check_vector(lin.weights, {0.38, 0.26, 0.36});
  CHECK(lin.parts.size() == 2);
  // multiplicative: 0.10, 0.06, 0.12 / 0.28
  check_vector(combine_weights(s, o, combination::multiplicative).weights, {0.1 / 0.28, 0.06 / 0.28, 0.12 / 0.28});
  CHECK_THROWS_WITH_AS(combine_weights(s, o, combination::linear, 1.5), doctest::Contains("alpha must be in [0, 1]"),
                       method_error);
  CHECK_THROWS_AS(combine_weights(s, equal_weights(2), combination::linear), method_error);
  CHECK_THROWS_WITH_AS(combine_weights(fixed_weights(vec({1, 0})), fixed_weights(vec({0, 1})),
                                       combination::multiplicative),
                       doctest::Contains("products w_s w_o are all 0"), method_error);
}

TEST_CASE("derive_weights dispatches on the spec") {
  Eigen::MatrixXd x(3, 2);
  x << 0, 10, 50, 10, 100, 40;
  weighting_spec spec;
  check_vector(derive_weights(spec, x, vec({1, 3})).weights, {0.25, 0.75});
  spec.method = weighting_method::equal;
  check_vector(derive_weights(spec, x, vec({1, 3})).weights, {0.5, 0.5});
  spec.method = weighting_method::ahp;
  spec.matrix = {{1, 3}, {1. / 3, 1}};
  check_vector(derive_weights(spec, x, vec({1, 3})).weights, {0.75, 0.25});
  CHECK_FALSE(spec.uses_data());
  weighting_spec combined;
  combined.method = weighting_method::combined;
  combined.parts = {spec, weighting_spec{}};
  combined.parts[1].method = weighting_method::variation;
  CHECK(combined.uses_data());
  // variation: cv1 = 50/50 = 1; x2 = 10, 10, 40: mean 20, sd sqrt(300) -> cv 0.8660254; w_o = 1/1.8660254, ...
  // alpha 0.5: 0.5 x 0.75 + 0.5 x 0.5358984 = 0.6429492
  check_vector(derive_weights(combined, x, vec({1, 1})).weights, {0.6429491924, 0.3570508076}, 1e-9);
  spec.matrix = {{1, 3, 5}, {1. / 3, 1, 2}, {1. / 5, 1. / 2, 1}};
  CHECK_THROWS_WITH_AS(derive_weights(spec, x, vec({1, 1})), doctest::Contains("3 rows for 2 children"), method_error);
}
