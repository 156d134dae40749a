#include <doctest/doctest.h>

#include <cmath>

#include "parkscore/methods/ahp.hpp"
#include "parkscore/error.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using namespace parkscore::test;

namespace {
// Saaty, T. L. (1977), "A scaling method for priorities in hierarchical structures",
// J. Mathematical Psychology 15(3), 234-281: the illuminance of four chairs judged by
// eye. Published: eigenvector (0.61, 0.24, 0.10, 0.05), lambda_max = 4.39.
Eigen::MatrixXd saaty_chairs() {
  Eigen::MatrixXd a(4, 4);
  a << 1, 5, 6, 7,        //
      1. / 5, 1, 4, 6,    //
      1. / 6, 1. / 4, 1, 4,  //
      1. / 7, 1. / 6, 1. / 4, 1;
  return a;
}
ahp_options allowing() {
  ahp_options o;
  o.allow_inconsistent = true;
  return o;
}
}  // namespace

TEST_CASE("AHP: Saaty's 1977 chairs example gives the published eigenvector and lambda_max") {
  const weight_result r = ahp_weights(saaty_chairs(), allowing());
  // Published values (2 decimals).
  CHECK(std::abs(r.weights[0] - 0.61) < 0.01);
  CHECK(std::abs(r.weights[1] - 0.24) < 0.01);
  CHECK(std::abs(r.weights[2] - 0.10) < 0.01);
  CHECK(std::abs(r.weights[3] - 0.05) < 0.01);
  REQUIRE(r.ahp);
  CHECK(std::abs(r.ahp->lambda_max - 4.39) < 0.005);
  // Full digits from numpy.linalg.eig (independent of Eigen):
  //   lambda = 4.3907302185762, w = 0.61866878 0.23532282 0.10093397 0.04507443
  //   CI = 0.39073/3 = 0.1302434062, CR = CI / 0.90 = 0.1447148958
  check_vector(r.weights, {0.61866878, 0.23532282, 0.10093397, 0.04507443}, 1e-7);
  CHECK(r.ahp->lambda_max == approx(4.3907302185762));
  CHECK(r.ahp->ci == approx(0.13024340619206676));
  CHECK(r.ahp->ri == 0.90);
  CHECK(r.ahp->cr == approx(0.14471489576896307));
  CHECK_FALSE(r.ahp->consistent);
  CHECK(r.weights.sum() == approx(1.0));
  // |ln(a_ij w_j / w_i)|: (0,3) 0.6733, (0,1) 0.6428, (2,3) 0.5801 are the largest
  REQUIRE(r.ahp->least_consistent.size() == 6);
  CHECK(r.ahp->least_consistent[0] == std::pair{0, 3});
  CHECK(r.ahp->least_consistent[1] == std::pair{0, 1});
  CHECK(r.ahp->least_consistent[2] == std::pair{2, 3});
}

TEST_CASE("AHP: CR >= 0.10 is an error naming the least consistent comparisons") {
  CHECK_THROWS_WITH_AS(ahp_weights(saaty_chairs(), {}, {"c1", "c2", "c3", "c4"}),
                       doctest::Contains("CR = 0.1447 >= 0.1"), method_error);
  CHECK_THROWS_WITH_AS(ahp_weights(saaty_chairs(), {}, {"c1", "c2", "c3", "c4"}),
                       doctest::Contains("least consistent: (0 (c1), 3 (c4)) = 7 vs w_i/w_j = 13.73; "
                                         "(0 (c1), 1 (c2)) = 5"),
                       method_error);
}

TEST_CASE("AHP: the alternative RI table and the geometric-mean method") {
  ahp_options o = allowing();
  o.ri = ri_table::alternative;
  const weight_result alt = ahp_weights(saaty_chairs(), o);
  CHECK(alt.ahp->ri == 0.89);
  CHECK(alt.ahp->cr == approx(0.13024340619206676 / 0.89));   // 0.14634090583378287
  o.method = ahp_method::geometric_mean;
  o.ri = ri_table::saaty;
  const weight_result gm = ahp_weights(saaty_chairs(), o);
  // numpy: g_i = exp(mean_j ln a_ij), normalised; lambda = mean((A g)_i / g_i)
  check_vector(gm.weights, {0.61363385, 0.2385969, 0.10299513, 0.04477413}, 1e-7);
  CHECK(gm.ahp->lambda_max == approx(4.390264069889245));
  CHECK(gm.ahp->cr == approx(0.14454224810712768));
  CHECK(random_index(3) == 0.58);
  CHECK(random_index(10, ri_table::alternative) == 1.49);
  CHECK(random_index(2) == 0.0);
  CHECK_THROWS_WITH_AS(random_index(11), doctest::Contains("no random index for n = 11"), method_error);
}

TEST_CASE("AHP: a consistent matrix returns its weight vector with CR = 0") {
  const Eigen::VectorXd w = vec({0.4, 0.3, 0.2, 0.1});
  const Eigen::MatrixXd a = consistent_matrix(w);   // a_ij = w_i / w_j, e.g. a_03 = 4
  CHECK(a(0, 3) == approx(4.0));
  for (ahp_method m : {ahp_method::eigenvector, ahp_method::geometric_mean}) {
    ahp_options o;
    o.method = m;
    const weight_result r = ahp_weights(a, o);
    check_vector(r.weights, {0.4, 0.3, 0.2, 0.1}, 1e-12);
    CHECK(r.ahp->lambda_max == approx(4.0, 1e-12));
    CHECK(std::abs(r.ahp->cr) < 1e-12);
    CHECK(r.ahp->consistent);
  }
  // n = 2: always consistent, CR = 0 by definition.
  Eigen::MatrixXd two(2, 2);
  two << 1, 3, 1. / 3, 1;
  const weight_result r2 = ahp_weights(two);
  check_vector(r2.weights, {0.75, 0.25});
  CHECK(r2.ahp->cr == 0.0);
}

TEST_CASE("AHP: invalid matrices are errors naming the entry") {
  Eigen::MatrixXd a(3, 3);
  a << 1, 3, 5, 1. / 2, 1, 2, 1. / 5, 1. / 2, 1;
  CHECK_THROWS_WITH_AS(ahp_weights(a), doctest::Contains("not reciprocal: a(0, 1) = 3 but a(1, 0) = 0.5"),
                       method_error);
  a(1, 0) = 0.333;   // 0.333 x 3 = 0.999: within the default tolerance 0.01
  CHECK_NOTHROW(ahp_weights(a));
  a(2, 1) = -0.5;
  CHECK_THROWS_WITH_AS(ahp_weights(a), doctest::Contains("entry (2, 1) = -0.5 must be positive"), method_error);
  CHECK_THROWS_WITH_AS(ahp_weights(Eigen::MatrixXd::Ones(2, 3)), doctest::Contains("must be square"), method_error);
  Eigen::MatrixXd d = Eigen::MatrixXd::Ones(2, 2);
  d(1, 1) = 2;
  CHECK_THROWS_WITH_AS(ahp_weights(d), doctest::Contains("diagonal entry (1, 1) = 2 must be 1"), method_error);
}
