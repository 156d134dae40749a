// The warning when a bound of the method changes many of a pool's values (issue 11).
#include <doctest/doctest.h>

#include <parkscore/methods/clip_check.hpp>

#include "tolerance.hpp"

using namespace parkscore;
using parkscore::test::vec;

TEST_CASE("clipping more than 20% of a pool's values is a warning naming indicator, pool and count") {
  normalisation spec;
  spec.method = normalisation_method::efficacy;
  spec.clip_lo = -0.2;
  spec.clip_hi = 0.5;
  // Per-cent points read as fractions: 12.5, 4.2, 0.3, 8 -> three above 0.5 are clipped (3 of 4 = 75%).
  const Eigen::VectorXd points = vec({12.5, 4.2, 0.3, 8.0});
  const fitted_normaliser f = fit_normaliser(points, spec, direction::higher_is_better);
  CHECK(f.clipped == 3);
  CHECK(bounded_count(f, points) == 3);
  const auto w = bounded_share_warning(f, points, "E1_growth", "level = provincial");
  REQUIRE(w);
  CHECK(*w == "indicator 'E1_growth', level = provincial: clipping to [-0.2, 0.5] changes 3 of 4 values (75%, more "
              "than 20%): are the data on the scale the method expects (a fraction or per-cent points)?");
  // Fractions: one of five clipped (20%) is not more than the share.
  const Eigen::VectorXd fractions = vec({0.125, 0.042, 0.003, 0.08, 0.9});
  const fitted_normaliser g = fit_normaliser(fractions, spec, direction::higher_is_better);
  CHECK_FALSE(bounded_share_warning(g, fractions, "E1_growth", "all"));
  CHECK(bounded_share_warning(g, fractions, "E1_growth", "all", 0.1));   // a lower share: 20% > 10%
}

TEST_CASE("a ratio cap and goalpost clamps count too") {
  normalisation cap;
  cap.method = normalisation_method::ratio_to_benchmark;
  cap.benchmark = 10.0;
  cap.cap = 2.0;
  const Eigen::VectorXd x = vec({5.0, 25.0, 30.0, 12.0});   // ratios 0.5, 2.5, 3, 1.2: two above the cap
  const fitted_normaliser f = fit_normaliser(x, cap, direction::higher_is_better);
  CHECK(bounded_count(f, x) == 2);
  const auto w = bounded_share_warning(f, x, "", "");
  REQUIRE(w);
  CHECK(w->rfind("the cap of 2 x the benchmark changes 2 of 4 values (50%", 0) == 0);

  normalisation gp;
  gp.method = normalisation_method::goalposts;
  gp.gp_min = 0.0;
  gp.gp_max = 10.0;
  gp.clamp = true;
  const Eigen::VectorXd y = vec({-1.0, 5.0, 11.0, 3.0, 4.0});   // two outside [0, 10]: 40%
  CHECK(bounded_count(fit_normaliser(y, gp, direction::higher_is_better), y) == 2);
}
