// Values, weights and parameters near the ends of a double (docs/reliability.md,
// "numeric conventions"): every score of present data is finite and the ranking
// is the one exact arithmetic gives, or the input is refused naming the place.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "parkscore/engine/evaluate.hpp"
#include "parkscore/error.hpp"
#include "parkscore/methods/aggregate.hpp"
#include "parkscore/methods/normalise.hpp"
#include "parkscore/model/framework_io.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using parkscore::test::approx;
using parkscore::test::vec;

namespace {
constexpr double big = 1e308;

normalisation method(normalisation_method m) {
  normalisation n;
  n.method = m;
  return n;
}
aggregation power_mean(double p) {
  aggregation a;
  a.method = aggregation_method::power;
  a.power = p;
  return a;
}
}  // namespace

TEST_CASE("min-max over ±1e308: max - min overflows, so the statistics are taken on x / 2^1023") {
  const fitted_normaliser f = fit_normaliser(vec({big, -big, 0.0}), method(normalisation_method::min_max),
                                             direction::higher_is_better);
  CHECK(f.scale == std::ldexp(1.0, 1023));   // 2^ilogb(1e308)
  // t = (x/S - min/S) / (max/S - min/S): 1e308 -> 1, -1e308 -> 0, 0 -> m / 2m = 1/2 exactly.
  CHECK(f.apply(big) == 100.0);
  CHECK(f.apply(-big) == 0.0);
  CHECK(f.apply(0.0) == 50.0);
}

TEST_CASE("the overflow-safe form gives the same bits as the plain formula when nothing overflows") {
  const Eigen::VectorXd x = vec({3.7, -1.25, 1e-3, 12345.678, 0.1});
  const fitted_normaliser f = fit_normaliser(x, method(normalisation_method::min_max), direction::higher_is_better);
  CHECK(f.scale == 1.0);
  for (Eigen::Index i = 0; i < x.size(); ++i)
    CHECK(f.apply(x[i]) == 0.0 + 100.0 * ((x[i] - f.min) / (f.max - f.min)));
  const fitted_normaliser z = fit_normaliser(x, method(normalisation_method::z_score), direction::lower_is_better);
  CHECK(z.scale == 1.0);
  for (Eigen::Index i = 0; i < x.size(); ++i) CHECK(z.apply(x[i]) == 0.0 + 1.0 * -1.0 * (x[i] - z.mean) / z.sd);
}

TEST_CASE("z-score with one value of 1e200: the variance overflows, the scores do not") {
  // mean = 1e200/3; squared deviations (2/3)^2 + 2 (1/3)^2 = 2/3 (x 1e400), / (n - 1) -> sd = 1e200 / sqrt 3.
  // z(1e200) = (2/3) / (1/sqrt 3) = 2/sqrt 3; z(0) = -(1/3) sqrt 3 = -1/sqrt 3. Before: every unit 0.
  const Eigen::VectorXd z = normalise(vec({1e200, 0.0, 0.0}), method(normalisation_method::z_score),
                                      direction::higher_is_better);
  CHECK(z[0] == approx(2.0 / std::sqrt(3.0), 1e-12));
  CHECK(z[1] == approx(-1.0 / std::sqrt(3.0), 1e-12));
  CHECK(z[2] == z[1]);
}

TEST_CASE("z-score with target_sd 1e100 over values near 1e250: target_sd (x - mean) would overflow") {
  // As above scaled by 1e250: z(1e250) = 2/sqrt 3, times target_sd 1e100.
  normalisation n = method(normalisation_method::z_score);
  n.target_sd = 1e100;
  const Eigen::VectorXd z = normalise(vec({1e250, 0.0, 0.0}), n, direction::higher_is_better);
  CHECK(z[0] == approx(1e100 * 2.0 / std::sqrt(3.0), 1e-12));
  CHECK(z[1] == approx(-1e100 / std::sqrt(3.0), 1e-12));
}

TEST_CASE("vector normalisation: the norm of 1e200 values and of 1e-200 values") {
  // ||(1e200, 1e200)|| = sqrt 2 e200 overflows as a sum of squares; x / norm = 1/sqrt 2.
  const Eigen::VectorXd a = normalise(vec({1e200, 1e200}), method(normalisation_method::vector), direction::higher_is_better);
  CHECK(a[0] == approx(1.0 / std::sqrt(2.0), 1e-12));
  // The squares of 1e-200 underflow to 0: before, a zero norm (every unit 0).
  const Eigen::VectorXd b = normalise(vec({3e-200, 4e-200}), method(normalisation_method::vector), direction::higher_is_better);
  CHECK(b[0] == approx(0.6, 1e-12));   // 3-4-5 triangle
  CHECK(b[1] == approx(0.8, 1e-12));
}

TEST_CASE("a power mean with p = 400 of scores 50 and 100 is computed in log space, not as inf") {
  // M = ((50^400 + 100^400) / 2)^(1/400) = 100 ((2^-400 + 1)/2)^(1/400) = 99.82686325973926 (Python floats).
  CHECK(aggregate_one(vec({50.0, 100.0}), vec({1.0, 1.0}), power_mean(400)) == approx(99.82686325973926, 1e-12));
  // p = -400: 50^-400 underflows to 0. M = 50 ((1 + 2^-400)/2)^(-1/400) = 50.086718511734794.
  CHECK(aggregate_one(vec({50.0, 100.0}), vec({1.0, 1.0}), power_mean(-400)) == approx(50.086718511734794, 1e-12));
  // Small p keeps the plain formula: p = 2 of (3, 4) = sqrt(12.5).
  CHECK(aggregate_one(vec({3.0, 4.0}), vec({1.0, 1.0}), power_mean(2)) == std::pow(12.5, 0.5));
}

TEST_CASE("weights of 1e308 and values of 1e308 give the weighted mean, not inf or NaN") {
  aggregation mean;
  // (1e308 x 2 + 1e308 x 4) / 2e308 = 3: the weight sum overflows.
  CHECK(aggregate_one(vec({2.0, 4.0}), vec({big, big}), mean) == approx(3.0, 1e-15));
  // (1e308 + 1e308) / 2 = 1e308: the value sum overflows.
  CHECK(aggregate_one(vec({big, big}), vec({1.0, 1.0}), mean) == approx(big, 1e-15));
  // Geometric mean of 4 and 16 with weights 1e308: sqrt(64) = 8.
  aggregation geo;
  geo.method = aggregation_method::geometric;
  CHECK(aggregate_one(vec({4.0, 16.0}), vec({big, big}), geo) == approx(8.0, 1e-12));
  // Coverage with weights 1e308: one of two equal weights present = 1/2 < 0.6 -> missing.
  mean.min_coverage = 0.6;
  CHECK(std::isnan(aggregate_one(vec({2.0, std::nan("")}), vec({big, big}), mean)));
}

TEST_CASE("rescaling scores of ±1e308 takes halves, so the ends still map to lo and hi") {
  rescaling r;
  r.method = rescale_method::min_max;
  parkscore::test::check_vector(rescale_scores(vec({big, -big, 0.0}), r), {100.0, 0.0, 50.0}, 1e-15);
}

TEST_CASE("TOPSIS with scores near 1e200 measures distances with hypot") {
  // Two children, equal weights (w = 1/2): unit 0 = (1e200, 0), unit 1 = (0, 1e200), unit 2 = (1e200, 1e200).
  // Unit 2 is the ideal best (closeness 1); units 0 and 1 are at equal distances (closeness 1/2).
  Eigen::MatrixXd c(3, 2);
  c << 1e200, 0, 0, 1e200, 1e200, 1e200;
  const Eigen::VectorXd t = topsis_closeness(c, vec({1.0, 1.0}));
  CHECK(t[0] == approx(0.5, 1e-12));
  CHECK(t[1] == approx(0.5, 1e-12));
  CHECK(t[2] == approx(1.0, 1e-12));
}

TEST_CASE("the issue's cases end to end: ranks follow the values and no score is inf or NaN") {
  const auto one_indicator = [](const std::string& norm) {
    return parse_framework(R"({"format": "parkscore-framework", "version": 1, "id": "t",
      "index": {"id": "index", "children": [{"id": "x", "direction": "higher", "normalisation": )" + norm + "}]}}");
  };
  Eigen::MatrixXd v(3, 1);
  v << big, -big, 0.0;
  const dataset d({"top", "bottom", "middle"}, {"x"}, v);
  for (const char* norm : {R"({"method": "min_max"})", R"({"method": "z_score"})", R"({"method": "vector"})",
                           R"({"method": "efficacy"})", R"({"method": "distance_to_target", "target": 0})"}) {
    CAPTURE(norm);
    const result r = evaluate(one_indicator(norm), d);
    const pool_result& p = r.pools.front();
    CHECK(p.scores.allFinite());
    CHECK(p.index_rank(0) == 1);
    CHECK(p.index_rank(2) == 2);
    CHECK(p.index_rank(1) == 3);
  }
}

TEST_CASE("parameters that would overflow a score are refused with their JSON path") {
  const auto read = [](const std::string& node) {
    return parse_framework(R"({"format": "parkscore-framework", "version": 1, "id": "t",
      "index": {"id": "index", "children": [)" + node + "]}}", "f.json");
  };
  CHECK_THROWS_WITH_AS(read(R"({"id": "x", "direction": "higher", "normalisation": {"method": "efficacy", "d0": 1e308, "c": 1e308}})"),
                       doctest::Contains("f.json: /index/children/0/normalisation/d0: indicator 'x'"), schema_error);
  CHECK_THROWS_WITH_AS(read(R"({"id": "a", "direction": "higher", "weight": 1e308}, {"id": "b", "direction": "higher", "weight": 1e308})"),
                       doctest::Contains("f.json: /index/children: node 'index': the weights of its children sum beyond"),
                       schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(R"({"format": "parkscore-framework", "version": 1, "id": "t",
      "index": {"id": "index", "aggregation": {"method": "power", "power": 1e6}, "children": [{"id": "x", "direction": "higher"}]}})", "f.json"),
                       doctest::Contains("f.json: /index/aggregation/power: node 'index': a power mean needs a finite p within ±1000"),
                       schema_error);
}

TEST_CASE("a fixed-scale score that overflows is a data error naming the value") {
  normalisation n = method(normalisation_method::ratio_to_benchmark);
  n.benchmark = 1e-300;
  CHECK(domain_problem(1e10, n, direction::higher_is_better).find("beyond the range of a double") != std::string::npos);
  CHECK(domain_problem(1.0, n, direction::higher_is_better).empty());   // 1 / 1e-300 x 100 = 1e302 is a double
  n.cap = 2.0;
  CHECK(domain_problem(1e10, n, direction::higher_is_better).empty());  // capped at 2 x 100
}
