#include <doctest/doctest.h>

#include <cmath>

#include "fixtures.hpp"
#include "parkscore/error.hpp"
#include "parkscore/methods/normalise.hpp"
#include "parkscore/methods/weight_data.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using namespace parkscore::test;

namespace {
Eigen::MatrixXd mat(Eigen::Index rows, Eigen::Index cols, std::initializer_list<double> values) {
  Eigen::MatrixXd m(rows, cols);
  auto it = values.begin();
  for (Eigen::Index i = 0; i < rows; ++i)
    for (Eigen::Index j = 0; j < cols; ++j) m(i, j) = *it++;
  return m;
}
entropy_options nonnegative() { return {entropy_policy::require_nonnegative, 0.01}; }
}  // namespace

TEST_CASE("entropy weights, hand-computed (require_nonnegative, 0 ln 0 = 0)") {
  // columns: (1,2,3), (1,1,2), (0,0,1); n = 3
  const Eigen::MatrixXd x = mat(3, 3, {1, 1, 0, 2, 1, 0, 3, 2, 1});
  const weight_result r = entropy_weights(x, nonnegative());
  // p1 = 1/6, 1/3, 1/2: e1 = (ln6/6 + ln3/3 + ln2/2) / ln3 = (0.298627 + 0.366204 + 0.346574) / 1.098612 = 0.9206198
  // p2 = 1/4, 1/4, 1/2: e2 = (2 ln4/4 + ln2/2) / ln3 = 1.039721 / 1.098612 = 0.9463946
  // p3 = 0, 0, 1:       e3 = 0 (0 ln 0 = 0)
  // g = 0.0793802, 0.0536054, 1; sum 1.1329856
  REQUIRE(r.entropy);
  check_vector(r.entropy->entropy, {0.920619835714, 0.946394630357, 0.0}, 1e-10);
  check_vector(r.entropy->divergence, {0.079380164286, 0.053605369643, 1.0}, 1e-9);
  check_vector(r.weights, {0.070062822436, 0.047313375182, 0.882623802382}, 1e-9);
  CHECK(r.rows_used == 3);
  CHECK(r.entropy->shift.isZero());
}

TEST_CASE("entropy weights: the shift_min policy is applied and recorded") {
  // column 1 = 0, 50, 100 has min 0 -> shifted by |0| + 0.01 to 0.01, 50.01, 100.01;
  // column 2 = 1, 2, 4 is positive and left alone.
  const Eigen::MatrixXd x = mat(3, 2, {0, 1, 50, 2, 100, 4});
  const weight_result r = entropy_weights(x);
  check_vector(r.entropy->shift, {0.01, 0.0});
  // p1 = (0.01, 50.01, 100.01)/150.03; e1 = 0.579999639647 (numpy); p2 = (1,2,4)/7, e2 = 0.869915529774
  check_vector(r.entropy->entropy, {0.579999639647, 0.869915529774}, 1e-10);
  check_vector(r.weights, {0.763519255586, 0.236480744414}, 1e-9);
}

TEST_CASE("entropy weights: errors and the constant column") {
  const Eigen::MatrixXd neg = mat(3, 2, {1, -2, 2, 3, 3, 4});
  CHECK_THROWS_WITH_AS(entropy_weights(neg, nonnegative(), {"gdp", "tax"}),
                       doctest::Contains("column 'tax' has a negative value -2 (policy require_nonnegative"),
                       method_error);
  // a constant column: e = 1, g = 0, weight 0, named in the diagnostics
  const Eigen::MatrixXd c = mat(3, 2, {5, 1, 5, 2, 5, 3});
  const weight_result r = entropy_weights(c, nonnegative());
  check_vector(r.weights, {0.0, 1.0});
  CHECK(r.constant_columns == std::vector<int>{0});
  CHECK(r.entropy->entropy[0] == 1.0);
  CHECK_THROWS_WITH_AS(entropy_weights(mat(3, 2, {5, 0, 5, 0, 5, 0}), nonnegative()),
                       doctest::Contains("every column is constant over the 3 rows"), method_error);
  CHECK_THROWS_WITH_AS(entropy_weights(mat(1, 2, {1, 2})), doctest::Contains("at least 2 complete rows, got 1"),
                       method_error);
}

TEST_CASE("entropy weights are unchanged by rescaling a raw column under min-max; missing rows are dropped") {
  const Eigen::MatrixXd raw = mat(4, 3, {1, 10, 3, 4, 12, 1, 2, 30, 8, 9, 11, 2});
  normalisation mm;   // min_max 0-100
  const auto normalised = [&](const Eigen::MatrixXd& m) {
    Eigen::MatrixXd z(m.rows(), m.cols());
    for (Eigen::Index j = 0; j < m.cols(); ++j) z.col(j) = normalise(m.col(j), mm, direction::higher_is_better);
    return z;
  };
  Eigen::MatrixXd scaled = raw;
  scaled.col(1) *= 1000;   // e.g. 万元 -> 元
  scaled.col(2) *= 0.01;
  const Eigen::VectorXd w = entropy_weights(normalised(raw)).weights;
  CHECK(entropy_weights(normalised(scaled)).weights.isApprox(w, 1e-12));
  // p = z / Σz is scale-free, so on non-negative data the weights ignore the unit as well
  CHECK(entropy_weights(scaled, nonnegative()).weights.isApprox(entropy_weights(raw, nonnegative()).weights, 1e-12));

  Eigen::MatrixXd gap = raw;
  gap(1, 2) = NaN;
  const weight_result r = entropy_weights(gap, nonnegative());
  CHECK(r.rows_used == 3);
  CHECK(r.rows_incomplete == 1);
  Eigen::MatrixXd without(3, 3);
  without << raw.row(0), raw.row(2), raw.row(3);
  CHECK(r.weights.isApprox(entropy_weights(without, nonnegative()).weights, 1e-12));
}

TEST_CASE("CRITIC weights, hand-computed, with r and |r|") {
  // x1 = 0, 50, 100; x2 = 0, 100, 50; x3 = 100, 50, 0; every s_j = 50 (n - 1)
  // r12 = 1250 / 2500 = 0.5, r13 = -1, r23 = -1250 / 2500 = -0.5
  const Eigen::MatrixXd x = mat(3, 3, {0, 0, 100, 50, 100, 50, 100, 50, 0});
  const weight_result r = critic_weights(x);
  REQUIRE(r.critic);
  check_vector(r.critic->sd, {50, 50, 50});
  CHECK(r.critic->r(0, 1) == approx(0.5));
  CHECK(r.critic->r(0, 2) == approx(-1.0));
  // conflict: 0.5 + 2 = 2.5; 0.5 + 1.5 = 2; 2 + 1.5 = 3.5 -> C = 125, 100, 175 / 400
  check_vector(r.critic->conflict, {2.5, 2.0, 3.5});
  check_vector(r.weights, {0.3125, 0.25, 0.4375});
  // |r|: 0.5 + 0 = 0.5; 0.5 + 0.5 = 1; 0 + 0.5 = 0.5 -> C = 25, 50, 25 / 100
  const weight_result a = critic_weights(x, {critic_correlation::absolute_r});
  check_vector(a.weights, {0.25, 0.5, 0.25});
}

TEST_CASE("CRITIC weights: constant columns and perfectly correlated data") {
  // x2 constant: s2 = 0, r with it taken as 0. x1 = 0, 50, 100; x3 = 100, 0, 50:
  // r13 = (0 - 2500 ... ) cov = (-50*50 + 0 + 50*0)/2 = -1250 -> r = -0.5
  // conflict1 = (1 - 0) + (1 + 0.5) = 2.5 = conflict3; C = 125, 0, 125
  const Eigen::MatrixXd x = mat(3, 3, {0, 7, 100, 50, 7, 0, 100, 7, 50});
  const weight_result r = critic_weights(x);
  check_vector(r.weights, {0.5, 0.0, 0.5});
  CHECK(r.constant_columns == std::vector<int>{1});
  CHECK_THROWS_WITH_AS(critic_weights(mat(3, 2, {1, 2, 2, 4, 3, 6})), doctest::Contains("perfectly correlated"),
                       method_error);
  CHECK_THROWS_WITH_AS(critic_weights(mat(3, 2, {1, 2, 1, 2, 1, 2})), doctest::Contains("every column is constant"),
                       method_error);
}

TEST_CASE("coefficient-of-variation weights, hand-computed") {
  // x1 = 1, 2, 3: mean 2, s 1, cv 0.5; x2 = 2, 4, 6: cv 0.5;
  // x3 = 10, 10, 40: mean 20, s = sqrt((100 + 100 + 400)/2) = sqrt(300), cv = 0.8660254
  // sum 1.8660254 -> 0.2679492, 0.2679492, 0.4641016
  const Eigen::MatrixXd x = mat(3, 3, {1, 2, 10, 2, 4, 10, 3, 6, 40});
  const weight_result r = variation_weights(x);
  check_vector(r.variation->cv, {0.5, 0.5, std::sqrt(300.0) / 20});
  check_vector(r.weights, {0.5 / (1 + std::sqrt(0.75)), 0.5 / (1 + std::sqrt(0.75)),
                           std::sqrt(0.75) / (1 + std::sqrt(0.75))});
  CHECK_THROWS_WITH_AS(variation_weights(mat(3, 2, {1, -3, 2, -1, 3, 1}), {"gdp", "balance"}),
                       doctest::Contains("column 'balance' has mean -1 <= 0"), method_error);
}

TEST_CASE("varimax recovers a rotated simple structure and keeps communalities") {
  // A simple structure S (each row loads on one factor) rotated by 30 degrees: varimax must undo it.
  Eigen::MatrixXd s(4, 2);
  s << 0.9, 0, 0.8, 0, 0, 0.7, 0, 0.6;
  const double t = std::acos(-1.0) / 6;
  Eigen::MatrixXd rot(2, 2);
  rot << std::cos(t), -std::sin(t), std::sin(t), std::cos(t);
  for (bool kaiser : {true, false}) {
    const Eigen::MatrixXd v = varimax(s * rot, kaiser);
    CHECK(v.cwiseAbs().isApprox(s, 1e-8));
    CHECK(v.rowwise().squaredNorm().isApprox(s.rowwise().squaredNorm(), 1e-12));
  }
}

TEST_CASE("PCA weights in the OECD handbook manner, checked against numpy") {
  // Reference computed once with /usr/bin/python3 (numpy), varimax by Kaiser's (1958)
  // pairwise planar rotations on row-normalised loadings, a different algorithm from
  // the SVD iteration used here:
  //   R = np.corrcoef(X, rowvar=False); lam, V = eigh(R) sorted descending; m = #(lam > 1)
  //   L = V[:, :m] * sqrt(lam[:m]); h = row norms; A = L / h
  //   repeat: for each pair (a, b): u = x² - y², v = 2xy,
  //     phi = atan2(2(k Σuv - Σu Σv), k Σ(u² - v²) - ((Σu)² - (Σv)²)) / 4, rotate by phi
  //   (cross-checked with the SVD iteration of R's stats::varimax: same loadings to 12 digits)
  //   Rot = A * h; fv = Σ_j Rot²; th = Rot² / fv; f = argmax_f th; w = fv[f]/Σfv * th[j, f]; w /= Σw
  const Eigen::MatrixXd x = mat(10, 5, {12, 30, 22, 5, 7, 15, 34, 25, 4, 9, 11, 29, 19, 8, 3, 18, 41, 30, 6, 6,
                                        14, 33, 27, 9, 2, 20, 44, 31, 3, 10, 9, 26, 18, 7, 5, 16, 37, 24, 2, 11,
                                        13, 31, 26, 6, 4, 17, 36, 28, 8, 8});
  const weight_result r = pca_weights(x);
  REQUIRE(r.pca);
  const pca_diagnostics& d = *r.pca;
  check_vector(d.eigenvalues, {3.537179975361, 1.234377861199, 0.153110390682, 0.071122670584, 0.004209102175}, 1e-9);
  CHECK(d.retained == 2);
  CHECK(d.explained.head(2).sum() == approx((3.537179975361 + 1.234377861199) / 5, 1e-9));
  const Eigen::MatrixXd sq = d.rotated.array().square();
  check_vector(sq.col(0), {0.879677347716, 0.83683156059, 0.956941029613, 0.019429691218, 0.084237652107}, 1e-8);
  check_vector(sq.col(1), {0.110799988165, 0.130664453611, 0.001740633003, 0.909996639037, 0.8412388415}, 1e-8);
  check_vector(d.factor_variance, {2.777117281244, 1.994440555316}, 1e-8);
  CHECK(d.factor_of == std::vector<int>{0, 0, 0, 1, 1});
  check_vector(r.weights, {0.198811274593, 0.189127922428, 0.216273235069, 0.205663578984, 0.190123988926}, 1e-8);
  CHECK(r.weights.sum() == approx(1.0));
}

TEST_CASE("PCA weights: retention options and errors") {
  const Eigen::MatrixXd x = mat(10, 5, {12, 30, 22, 5, 7, 15, 34, 25, 4, 9, 11, 29, 19, 8, 3, 18, 41, 30, 6, 6,
                                        14, 33, 27, 9, 2, 20, 44, 31, 3, 10, 9, 26, 18, 7, 5, 16, 37, 24, 2, 11,
                                        13, 31, 26, 6, 4, 17, 36, 28, 8, 8});
  pca_options o;
  o.min_eigenvalue = 2.0;   // only the first factor: w_j = L_j1² / Σ L² = v_j² (squared eigenvector)
  const weight_result one = pca_weights(x, o);
  CHECK(one.pca->retained == 1);
  CHECK(one.weights.isApprox(one.pca->loadings.col(0).array().square().matrix() / one.pca->eigenvalues[0], 1e-12));
  o.min_cumulative = 0.97;  // 0.7074 + 0.2469 = 0.9543 < 0.97 -> a third factor
  CHECK(pca_weights(x, o).pca->retained == 3);
  Eigen::MatrixXd c = x;
  c.col(2).setConstant(4);
  CHECK_THROWS_WITH_AS(pca_weights(c, {}, {"a", "b", "c", "d", "e"}), doctest::Contains("column 'c' is constant"),
                       method_error);
  CHECK_THROWS_WITH_AS(pca_weights(x.topRows(5)), doctest::Contains("at least 6 complete rows, got 5"), method_error);
}
