#include <doctest/doctest.h>

#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <vector>

#include "parkscore/error.hpp"
#include "parkscore/methods/normalise.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using parkscore::test::check_vector;
using parkscore::test::vec;

namespace {
constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
constexpr auto higher = direction::higher_is_better;
constexpr auto lower = direction::lower_is_better;

normalisation method(normalisation_method m) {
  normalisation n;
  n.method = m;
  return n;
}
}  // namespace

TEST_CASE("min-max maps the pool onto [lo, hi] and mirrors for lower-is-better") {
  const auto spec = method(normalisation_method::min_max);
  check_vector(normalise(vec({1, 3, 5}), spec, higher), {0, 50, 100});   // (x-1)/4*100
  check_vector(normalise(vec({1, 3, 5}), spec, lower), {100, 50, 0});    // (5-x)/4*100
  auto ranged = spec;
  ranged.lo = 1;
  ranged.hi = 100;
  check_vector(normalise(vec({1, 3, 5}), ranged, higher), {1, 50.5, 100});  // 1 + 99*(x-1)/4
  check_vector(normalise(vec({1, NaN, 5}), spec, higher), {0, NaN, 100});
}

TEST_CASE("a zero-range indicator takes the documented constant, never NaN") {
  auto spec = method(normalisation_method::min_max);
  const auto fitted = fit_normaliser(vec({2, 2, 2}), spec, higher);
  CHECK(fitted.zero_range);
  CHECK(fitted.apply(2.0) == 50);
  spec.zero_range = zero_range_rule::upper;
  check_vector(normalise(vec({2, 2}), spec, higher), {100, 100});
  auto eff = method(normalisation_method::efficacy);
  check_vector(normalise(vec({7, 7}), eff, lower), {80, 80});  // 60 + 40/2
  check_vector(normalise(vec({3, 3}), method(normalisation_method::z_score), higher), {0, 0});
  check_vector(normalise(vec({0, 0}), method(normalisation_method::vector), higher), {0, 0});
}

TEST_CASE("z-score uses the sample sd and can be rescaled") {
  check_vector(normalise(vec({1, 2, 3}), method(normalisation_method::z_score), higher), {-1, 0, 1});  // mean 2, sd 1
  auto spec = method(normalisation_method::z_score);
  spec.target_mean = 100;
  spec.target_sd = 10;
  check_vector(normalise(vec({1, 2, 3}), spec, lower), {110, 100, 90});
}

TEST_CASE("rank, percentile rank and Borda count ties as published") {
  const auto x = vec({10, 30, 20, 30});
  check_vector(normalise(x, method(normalisation_method::rank), higher), {1, 3.5, 2, 3.5});
  check_vector(normalise(x, method(normalisation_method::rank), lower), {4, 1.5, 3, 1.5});  // 5 - r
  // percentile: 100 * (#strictly worse) / (n - 1)
  check_vector(normalise(x, method(normalisation_method::percentile_rank), higher), {0, 200.0 / 3, 100.0 / 3, 200.0 / 3});
  check_vector(normalise(x, method(normalisation_method::borda), higher), {0, 2, 1, 2});
  check_vector(normalise(x, method(normalisation_method::borda), lower), {3, 0, 2, 0});
}

TEST_CASE("goalposts are fixed bounds, optionally clamped and on a log scale") {
  auto spec = method(normalisation_method::goalposts);
  spec.gp_min = 0;
  spec.gp_max = 200;
  check_vector(normalise(vec({50, 250}), spec, higher), {25, 125});
  spec.clamp = true;
  check_vector(normalise(vec({50, 250}), spec, higher), {25, 100});
  check_vector(normalise(vec({50, 250}), spec, lower), {75, 0});  // (200 - x)/200
  auto logged = method(normalisation_method::goalposts);
  logged.gp_min = 1;
  logged.gp_max = 100;
  logged.log = true;
  check_vector(normalise(vec({10}), logged, higher), {50});  // ln 10 / ln 100
  CHECK_THROWS_WITH_AS(normalise(vec({10, -1}), logged, higher), doctest::Contains("log of a non-positive value -1"),
                       data_error);
}

TEST_CASE("distance to target, ratio to max and ratio to benchmark") {
  auto dist = method(normalisation_method::distance_to_target);
  dist.target = 10;
  check_vector(normalise(vec({2, 4, 6, 12}), dist, higher), {0, 25, 50, 125});  // (x-2)/8
  dist.clamp = true;
  check_vector(normalise(vec({2, 4, 6, 12}), dist, higher), {0, 25, 50, 100});
  check_vector(normalise(vec({2, 4, 8}), method(normalisation_method::ratio_to_max), higher), {25, 50, 100});
  check_vector(normalise(vec({2, 4, 8}), method(normalisation_method::ratio_to_max), lower), {100, 50, 25});
  auto bench = method(normalisation_method::ratio_to_benchmark);
  bench.benchmark = 4;
  bench.cap = 2;  // at most 2x the points (Wuxi)
  check_vector(normalise(vec({2, 4, 10}), bench, higher), {50, 100, 200});
  check_vector(normalise(vec({2, 8}), bench, lower), {200, 50});
  CHECK_THROWS_AS(normalise(vec({-1, 4}), bench, higher), data_error);
}

TEST_CASE("efficacy coefficient, pool-relative and anchored") {
  check_vector(normalise(vec({1, 3, 5}), method(normalisation_method::efficacy), higher), {60, 80, 100});
  check_vector(normalise(vec({1, 3, 5}), method(normalisation_method::efficacy), lower), {100, 80, 60});
  auto anchored = method(normalisation_method::efficacy_anchored);
  anchored.x_s = 6;
  anchored.x_h = 12;
  // Worked example: 60 + 40 (5.81 - 6) / (12 - 6) = 60 - 1.2666... = 58.7333...
  check_vector(normalise(vec({5.81, 12, 15}), anchored, higher), {58.733333333333, 100, 120});
  anchored.clamp = true;
  check_vector(normalise(vec({5.81, 15}), anchored, higher), {58.733333333333, 100});
}

TEST_CASE("vector normalisation divides by the Euclidean norm") {
  check_vector(normalise(vec({3, 4}), method(normalisation_method::vector), higher), {0.6, 0.8});
  check_vector(normalise(vec({3, 4}), method(normalisation_method::vector), lower), {-0.6, -0.8});
}

TEST_CASE("units outside the reference set are scored with the pool's constants") {
  const auto fitted = fit_normaliser(vec({1, 3, 5}), method(normalisation_method::min_max), higher);
  CHECK(fitted.apply(7.0) == 150);
  const auto ranks = fit_normaliser(vec({1, 3, 5}), method(normalisation_method::rank), higher);
  CHECK(ranks.apply(4.0) == 3);  // two below it: inserted as the third
  CHECK(ranks.apply(3.0) == 2);  // ties with a member: shares its rank
}

TEST_CASE("flipping direction mirrors every normaliser") {
  const auto x = vec({3.5, 1.25, 9, 4, 7.75});
  struct mirror_case {
    normalisation_method m;
    double centre_times_two;  // lower(x) = centre_times_two - higher(x)
  };
  for (const mirror_case& c : {mirror_case{normalisation_method::min_max, 100}, mirror_case{normalisation_method::efficacy, 160},
                               mirror_case{normalisation_method::z_score, 0}, mirror_case{normalisation_method::rank, 6},
                               mirror_case{normalisation_method::percentile_rank, 100},
                               mirror_case{normalisation_method::vector, 0}}) {
    // Not a structured binding: clang 14 (the sanitizer build) cannot capture one in CAPTURE's lambda.
    const normalisation_method m = c.m;
    const double twice = c.centre_times_two;
    CAPTURE(to_string(m));
    const Eigen::VectorXd up = normalise(x, method(m), higher);
    const Eigen::VectorXd down = normalise(x, method(m), lower);
    for (Eigen::Index i = 0; i < x.size(); ++i) CHECK(down[i] == parkscore::test::approx(twice - up[i]));
  }
}

namespace {

// Every member, bit for bit (NaN equal to NaN): sizeof pins the list, so that a member added
// to fitted_normaliser fails here until fit_from_stats resets it and this compares it.
bool same_fit(const fitted_normaliser& a, const fitted_normaliser& b) {
  // 9 doubles, 2 counts, direction and zero_range (each padded to 8 bytes on x86-64), 2 vectors.
  static_assert(sizeof(fitted_normaliser) == sizeof(normalisation) + 9 * sizeof(double) + 2 * sizeof(std::size_t) +
                                                 2 * 8 + sizeof(std::vector<double>) + sizeof(std::vector<std::uint32_t>),
                "a new member of fitted_normaliser: reset it in fit_plain and compare it here");
  const auto bits = [](double x) {
    std::uint64_t u;
    std::memcpy(&u, &x, sizeof u);
    return x != x ? 0 : u;   // any NaN
  };
  return a.spec == b.spec && a.dir == b.dir && a.count == b.count && bits(a.min) == bits(b.min) &&
         bits(a.max) == bits(b.max) && bits(a.mean) == bits(b.mean) && bits(a.sd) == bits(b.sd) &&
         bits(a.norm) == bits(b.norm) && a.zero_range == b.zero_range && a.clipped == b.clipped &&
         a.sorted == b.sorted && a.distinct_before == b.distinct_before && bits(a.stat) == bits(b.stat) &&
         bits(a.scale) == bits(b.scale) && bits(a.sd_scaled) == bits(b.sd_scaled) &&
         bits(a.norm_scaled) == bits(b.norm_scaled);
}

column_stats stats_of(const std::vector<double>& values) {
  column_stats s;
  for (double v : values) s.add(v, v);
  const double mean = s.sum / static_cast<double>(s.count);
  s.centred_squares = 0.0;
  for (double v : values) s.centred_squares += (v - mean) * (v - mean);
  return s;
}

}  // namespace

TEST_CASE("a normaliser fitted into a used one is the fresh fit, whatever it held") {
  // The engine fits into a reused result's records: nothing of the earlier fit may remain.
  normalisation dense_rank = method(normalisation_method::percentile_rank);
  dense_rank.ties = rank_ties::dense;   // sorted values and distinct counts
  const fitted_normaliser used_rank = fit_normaliser(vec({4, 1, 1, 9}), dense_rank, lower);
  // Values near 1.8e308 overflow max - min: fitted on x / 2^1023, scale != 1.
  const fitted_normaliser used_scaled = fit_normaliser(vec({-1.7e308, 1.7e308}), method(normalisation_method::z_score), higher);
  REQUIRE(used_rank.sorted.size() == 4);
  REQUIRE(used_scaled.scale != 1.0);
  const column_stats plain = stats_of({2, 3, 7, 7, 11}), equal = stats_of({5, 5, 5});
  for (normalisation_method m : {normalisation_method::min_max, normalisation_method::z_score, normalisation_method::vector,
                                 normalisation_method::ratio_to_max, normalisation_method::goalposts,
                                 normalisation_method::distance_to_target, normalisation_method::efficacy}) {
    normalisation spec = method(m);
    spec.gp_min = 0.0;
    spec.gp_max = 20.0;
    spec.target = 10.0;
    for (const column_stats* stats : {&plain, &equal})
      for (direction dir : {higher, lower}) {
        CAPTURE(to_string(m));
        const std::optional<fitted_normaliser> fresh = fit_from_stats(*stats, spec, dir);
        REQUIRE(fresh);
        for (fitted_normaliser into : {used_rank, used_scaled}) {
          REQUIRE(fit_from_stats(*stats, spec, dir, into));
          CHECK(same_fit(into, *fresh));
        }
      }
  }
}
