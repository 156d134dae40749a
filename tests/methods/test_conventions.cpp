// The conventions of issue 16 at the level of single methods: rank ties and percentile
// formulas, pool statistics as benchmarks, value tiers, zero policies of positive means,
// TOPSIS weighting, entropy shifts, sd divisors, the COINr treatment options.
// docs/conventions.md states each option; every expectation is worked in a comment.
#include <doctest/doctest.h>

#include <cmath>

#include "parkscore/error.hpp"
#include "parkscore/methods/aggregate.hpp"
#include "parkscore/methods/normalise.hpp"
#include "parkscore/methods/weight_data.hpp"
#include "parkscore/prepare/treat.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using namespace parkscore::test;

namespace {
normalisation spec(normalisation_method m) {
  normalisation s;
  s.method = m;
  return s;
}
}  // namespace

TEST_CASE("rank normaliser: the four tie rules") {
  // x = 10, 20, 20, 30: average 1, 2.5, 2.5, 4; min 1, 2, 2, 4; max 1, 3, 3, 4; dense 1, 2, 2, 3.
  const Eigen::VectorXd x = vec({10, 20, 20, 30});
  normalisation s = spec(normalisation_method::rank);
  check_vector(normalise(x, s, direction::higher_is_better), {1, 2.5, 2.5, 4});   // the default: average
  s.ties = rank_ties::min;
  check_vector(normalise(x, s, direction::higher_is_better), {1, 2, 2, 4});
  s.ties = rank_ties::max;
  check_vector(normalise(x, s, direction::higher_is_better), {1, 3, 3, 4});
  s.ties = rank_ties::dense;
  check_vector(normalise(x, s, direction::higher_is_better), {1, 2, 2, 3});
  // Lower is better ranks -x: 30 -> 1, 20 -> 2, 10 -> 3 (dense).
  check_vector(normalise(x, s, direction::lower_is_better), {3, 2, 2, 1});
  // A unit outside the reference set ranks as if inserted: 25 has the distinct values 10, 20 below (dense 3);
  // 35 is above all three distinct values (dense 4); 5 is below all (1).
  const fitted_normaliser f = fit_normaliser(x, s, direction::higher_is_better);
  CHECK(f.apply(25.0) == 3);
  CHECK(f.apply(35.0) == 4);
  CHECK(f.apply(5.0) == 1);
}

TEST_CASE("percentile_rank: (r-1)/(n-1), r/n (OECD/JRC Handbook Table 15) and Hazen, with min ties") {
  // Min ranks r = 1, 2, 2, 4 of x = 10, 20, 20, 30 (n = 4):
  //   percent_rank 100 (r - 1)/3 = 0, 33.33, 33.33, 100   (the default, as before)
  //   r_over_n     100 r/4      = 25, 50, 50, 100
  //   hazen        100 (r - 0.5)/4 = 12.5, 37.5, 37.5, 87.5
  const Eigen::VectorXd x = vec({10, 20, 20, 30});
  normalisation s = spec(normalisation_method::percentile_rank);
  check_vector(normalise(x, s, direction::higher_is_better), {0, 100.0 / 3, 100.0 / 3, 100});
  s.percentile = percentile_formula::r_over_n;
  check_vector(normalise(x, s, direction::higher_is_better), {25, 50, 50, 100});
  s.percentile = percentile_formula::hazen;
  check_vector(normalise(x, s, direction::higher_is_better), {12.5, 37.5, 37.5, 87.5});
  // With average ties the tied pair has r = 2.5: r/n = 62.5.
  s.percentile = percentile_formula::r_over_n;
  s.ties = rank_ties::average;
  check_vector(normalise(x, s, direction::higher_is_better), {25, 62.5, 62.5, 100});
}

TEST_CASE("pool statistics as benchmarks: ratio, change, fitted on the pool and applied to any unit") {
  // x = 2, 4, 6, 8: mean 5, median 5 (type 7: h = 1.5 -> 4 + 0.5 * 2), min 2, max 8,
  // quantile 0.25: h = 0.75 -> 2 + 0.75 * 2 = 3.5.
  const Eigen::VectorXd x = vec({2, 4, 6, 8});
  normalisation s = spec(normalisation_method::ratio_to_pool);
  check_vector(normalise(x, s, direction::higher_is_better), {40, 80, 120, 160});   // 100 x / 5
  s.cap = 1.5;
  check_vector(normalise(x, s, direction::higher_is_better), {40, 80, 120, 150});
  s.cap.reset();
  check_vector(normalise(x, s, direction::lower_is_better), {250, 125, 500.0 / 6, 62.5});   // 100 * 5 / x
  s.statistic = pool_statistic::quantile;
  s.quantile = 0.25;
  check_vector(normalise(x, s, direction::higher_is_better), {200 / 3.5, 400 / 3.5, 600 / 3.5, 800 / 3.5});
  s.statistic = pool_statistic::median;
  check_vector(normalise(x, s, direction::higher_is_better), {40, 80, 120, 160});

  normalisation c = spec(normalisation_method::change_from_pool);
  c.hi = 1;
  check_vector(normalise(x, c, direction::higher_is_better), {-0.6, -0.2, 0.2, 0.6});   // (x - 5)/5
  check_vector(normalise(x, c, direction::lower_is_better), {0.6, 0.2, -0.2, -0.6});    // (5 - x)/5
  c.statistic = pool_statistic::min;
  check_vector(normalise(x, c, direction::higher_is_better), {0, 1, 2, 3});   // (x - 2)/2
  c.statistic = pool_statistic::max;
  check_vector(normalise(x, c, direction::higher_is_better), {-0.75, -0.5, -0.25, 0});   // (x - 8)/8

  // Fit/apply: a unit left out of the pool (20) is scored with the pool's mean 5.
  const fitted_normaliser f = fit_normaliser(x, s = spec(normalisation_method::ratio_to_pool), direction::higher_is_better);
  CHECK(f.stat == 5);
  CHECK(f.apply(20.0) == approx(400));
  // A pool statistic of 0 leaves the ratio undefined: the zero-range rule (midpoint of [0, hi]).
  const fitted_normaliser zero = fit_normaliser(vec({0, 0, 0}), spec(normalisation_method::ratio_to_pool),
                                                direction::higher_is_better);
  CHECK(zero.zero_range);
  CHECK(zero.apply(0.0) == 50);
  CHECK(domain_problem(-1.0, spec(normalisation_method::ratio_to_pool), direction::higher_is_better) ==
        "ratio scoring of a negative value -1");
}

TEST_CASE("value tiers: absolute bands and bands relative to the pool mean (above/below mean +-20%)") {
  // Absolute thresholds 3, 7 with scores 0, 60, 100: 2 -> 0, 4 -> 60, 6 -> 60, 8 -> 100; 7 (on the bound,
  // higher is better) takes the better, upper band: 100.
  normalisation s = spec(normalisation_method::value_tier);
  s.thresholds = {3, 7};
  s.band_scores = {0, 60, 100};
  check_vector(normalise(vec({2, 4, 6, 8, 7}), s, direction::higher_is_better), {0, 60, 60, 100, 100});
  // Lower is better: a value on a bound takes the lower band (the better one): 3 -> first band.
  s.band_scores = {100, 60, 0};
  check_vector(normalise(vec({2, 3, 6, 8}), s, direction::lower_is_better), {100, 100, 60, 0});
  // Relative: bounds 0.8 and 1.2 times the mean 5 = 4 and 6; scores -1, 0, 1 (OECD/JRC Handbook, "above or
  // below the mean"): 2 -> -1, 4 -> 0, 5 -> 0, 8 -> 1.
  normalisation r = spec(normalisation_method::value_tier);
  r.relative = true;
  r.thresholds = {0.8, 1.2};
  r.band_scores = {-1, 0, 1};
  const fitted_normaliser f = fit_normaliser(vec({2, 4, 6, 8}), r, direction::higher_is_better);
  CHECK(f.apply(2.0) == -1);
  CHECK(f.apply(4.0) == 0);
  CHECK(f.apply(5.0) == 0);
  CHECK(f.apply(8.0) == 1);
}

TEST_CASE("zero-range rule nan (COINr's n_minmax) and sd over n for z-scores") {
  normalisation s;
  s.zero_range = zero_range_rule::nan;
  const Eigen::VectorXd constant = normalise(vec({7, 7, 7}), s, direction::higher_is_better);
  CHECK(std::isnan(constant[0]));
  CHECK(std::isnan(constant[2]));
  // x = 1, 2, 3: mean 2; sample sd 1 -> -1, 0, 1; population sd sqrt(2/3) -> -/+ 1.2247448714.
  normalisation z = spec(normalisation_method::z_score);
  check_vector(normalise(vec({1, 2, 3}), z, direction::higher_is_better), {-1, 0, 1});
  z.sd = sd_divisor::population;
  check_vector(normalise(vec({1, 2, 3}), z, direction::higher_is_better), {-std::sqrt(1.5), 0, std::sqrt(1.5)});
}

TEST_CASE("geometric and harmonic means: the values present decide, with the declared zero policy") {
  const Eigen::VectorXd v = vec({0.5, 0, 0.8}), w = vec({1, 1, 1});
  aggregation g;
  g.method = aggregation_method::geometric;
  CHECK_THROWS_WITH_AS(aggregate_one(v, w, g), doctest::Contains("geometric mean needs positive values, got 0"),
                       method_error);
  CHECK(aggregate_one(vec({0.5, 0.4, 0.8}), w, g) == approx(std::cbrt(0.16)));   // positive values: no policy needed
  g.zeros = zero_policy::zero_score;
  CHECK(aggregate_one(v, w, g) == 0);
  CHECK_THROWS_AS(aggregate_one(vec({0.5, -0.1, 0.8}), w, g), method_error);   // negatives stay errors
  g.zeros = zero_policy::floor;
  g.floor = 0.01;
  CHECK(aggregate_one(v, w, g) == approx(std::cbrt(0.5 * 0.01 * 0.8)));   // (0.004)^(1/3) = 0.1587401052
  aggregation h;
  h.method = aggregation_method::harmonic;
  h.zeros = zero_policy::floor;
  h.floor = 0.01;
  CHECK(aggregate_one(v, w, h) == approx(3 / (2 + 100 + 1.25)));   // 3 / (1/0.5 + 1/0.01 + 1/0.8)
  h.zeros = zero_policy::zero_score;
  CHECK(aggregate_one(v, w, h) == 0);
}

TEST_CASE("TOPSIS: weights squared (weighted matrix) or once (weighted Euclidean distance)") {
  // Children s = (0, 1), (1, 0), (0.5, 0.5); weights 3:1 -> w = 0.75, 0.25.
  // squared: v = w s, best (0.75, 0.25), worst (0, 0); u1: D+ = 0.75, D- = 0.25 -> 0.25; u2 -> 0.75; u3 -> 0.5.
  // linear: D = sqrt(sum w (s - s*)^2), best (1, 1), worst (0, 0); u1: D+ = sqrt(0.75), D- = sqrt(0.25) = 0.5
  //   -> 0.5 / (0.5 + 0.8660254038) = 0.3660254038; u2 -> 0.6339745962; u3: D+ = D- = 0.5 -> 0.5.
  Eigen::MatrixXd s(3, 2);
  s << 0, 1, 1, 0, 0.5, 0.5;
  check_vector(topsis_closeness(s, vec({3, 1})), {0.25, 0.75, 0.5});
  check_vector(topsis_closeness(s, vec({3, 1}), {}, topsis_weighting::linear),
               {0.5 / (0.5 + std::sqrt(0.75)), std::sqrt(0.75) / (0.5 + std::sqrt(0.75)), 0.5});
}

TEST_CASE("entropy weights: SPSSAU's shift of all columns, pymcdm's zero column") {
  // Columns A = -1, 2, 4, 1 and B = 3, 1, 2, 4. Expected numbers by numpy from SPSSAU's help page
  // (spssau.net/helps/entropy.html; SPSSAU blog "熵值法中的非负平移": if any value <= 0, add |min| + 0.01
  // to all the data): p = x'/sum x', e = -sum p ln p / ln 4, w = (1 - e)/sum(1 - e).
  Eigen::MatrixXd x(4, 2);
  x << -1, 3, 2, 1, 4, 2, 1, 4;
  entropy_options all;
  all.policy = entropy_policy::shift_all;
  const weight_result spssau = entropy_weights(x, all);
  check_vector(spssau.weights, {0.8699028080079083, 0.13009719199209166}, 1e-12);
  // parkscore's shift_min shifts column A only (by 1.01): other weights.
  const weight_result shift_min = entropy_weights(x, {});
  check_vector(shift_min.weights, {0.7664823910800593, 0.23351760891994064}, 1e-12);

  // pymcdm 1.3.1 (kotbaton/pymcdm tag v1.3.1, commit 63910f9): weights.entropy_weights on this matrix
  // printed [0.9090745026921607, 0.06979903818813936, 0.021126459119699903]: a column holding a 0
  // gets entropy 0 (its weight is the largest). pymcdm 1.4.0 refuses values <= 0 instead.
  Eigen::MatrixXd m(4, 3);
  m << 0, 3, 5, 2, 1, 5, 4, 2, 6, 1, 4, 9;
  entropy_options zero;
  zero.policy = entropy_policy::zero_column;
  check_vector(entropy_weights(m, zero).weights, {0.9090745026921607, 0.06979903818813936, 0.021126459119699903},
               1e-12);
  CHECK_THROWS_WITH_AS(entropy_weights(x, zero), doctest::Contains("column 0 has a negative value -1 (policy zero_column"),
                       method_error);
}

TEST_CASE("coefficient-of-variation weights: the sd divisor cancels in the weights, not in the record") {
  // Columns 1, 2, 3 (sd 1, or sqrt(2/3)) and 2, 4, 8 (sd 3.0550504633, or 2.4944382578); the n/(n-1)
  // factor is common to every column over the same rows, so the weights agree: 0.4330127019, 0.5669872981.
  Eigen::MatrixXd x(3, 2);
  x << 1, 2, 2, 4, 3, 8;
  const weight_result sample = variation_weights(x);
  variation_options population;
  population.sd = sd_divisor::population;
  const weight_result pop = variation_weights(x, {}, population);
  check_vector(sample.weights, {0.5 / (0.5 + std::sqrt(28.0 / 3) / (14.0 / 3)), 1 - 0.5 / (0.5 + std::sqrt(28.0 / 3) / (14.0 / 3))});
  CHECK(pop.weights.isApprox(sample.weights, 1e-14));
  CHECK(sample.variation->sd[0] == approx(1));
  CHECK(pop.variation->sd[0] == approx(std::sqrt(2.0 / 3)));
}

TEST_CASE("COINr's winsorisation budget counts steps, so a tied step may overshoot winmax") {
  // Twenty 1s, then 2, 5, 5, 9 (Excel SKEW/KURT = COINr's skew/kurt): skew 3.019, kurtosis 9.256 fails
  // (|skew| >= 2 and kurtosis >= 3.5); 9 -> 5 leaves 2, 5, 5, 5: skew 2.329, kurtosis 3.876, still failing;
  // the next step moves the three 5s to 2 (skew 1.910, kurtosis 1.792: passes).
  Eigen::VectorXd x = Eigen::VectorXd::Ones(24);
  x[20] = 2;
  x[21] = 5;
  x[22] = 5;
  x[23] = 9;
  treatment t;
  t.method = treatment_method::jrc;
  t.max_winsorised = 2;
  // strict (parkscore): the second step would leave 3 points changed > 2, so the log is used instead.
  CHECK(treat(x, t).record.fitted.applied == applied_treatment::shifted_log);
  // before_step (COINr's winsorise(): while nwin < winmax): 1 point changed < 2, the step is taken.
  t.budget = winsorise_budget::before_step;
  const treated_column coinr = treat(x, t);
  CHECK(coinr.record.fitted.applied == applied_treatment::winsorised);
  CHECK(coinr.record.fitted.upper_cap == 2);
  CHECK(coinr.record.winsorised == 3);
  CHECK(coinr.record.passes_after);
}

TEST_CASE("shifted log: log_ct_plus mirrors for negative skew, COINr's log_CT never does") {
  // x = 1, 9, 10, 10, 10 (negative skew), range 9, a = 0.09.
  // log_ct:      ln(x - 1 + 0.09)   = ln 0.09, ln 8.09, ln 9.09
  // log_ct_plus: -ln(10 - x + 0.09) = -ln 9.09, -ln 1.09, -ln 0.09
  const Eigen::VectorXd x = vec({1, 9, 10, 10, 10});
  treatment t;
  t.method = treatment_method::shifted_log;
  check_vector(treat(x, t).values, {-std::log(9.09), -std::log(1.09), -std::log(0.09), -std::log(0.09), -std::log(0.09)});
  t.log = log_form::log_ct;
  check_vector(treat(x, t).values, {std::log(0.09), std::log(8.09), std::log(9.09), std::log(9.09), std::log(9.09)});
}
