#include <doctest/doctest.h>

#include <random>

#include "parkscore/error.hpp"
#include "parkscore/methods/bod.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using parkscore::test::approx;
using parkscore::test::check_vector;

namespace {

// Four units, two indicators (normalised, higher is better):
//   A = (4, 1), B = (1, 4), C = (2, 2), D = (1, 1).
// Unrestricted BoD, solved by hand (max y_i . w s.t. y_k . w <= 1 for all k, w >= 0):
//   A: w = (1/4, 0) gives A = 1 (B = 1/4, C = 1/2, D = 1/4 <= 1): score 1, peers {A}.
//   B: by symmetry w = (0, 1/4): score 1.
//   C: A's and B's rows add to 5 (w1 + w2) <= 2, so 2 (w1 + w2) <= 0.8; w = (0.2, 0.2) attains it
//      (A = 1, B = 1): score 0.8, peers {A, B}.
//   D: w1 + w2 <= 0.4 likewise: score 0.4, peers {A, B}.
Eigen::MatrixXd four_units() {
  Eigen::MatrixXd y(4, 2);
  y << 4, 1,  //
      1, 4,   //
      2, 2,   //
      1, 1;
  return y;
}

const std::vector<std::string> units{"A", "B", "C", "D"};
const std::vector<std::string> indicators{"x1", "x2"};

}  // namespace

TEST_CASE("BoD without restrictions: a unit best on one indicator scores 1") {
  const bod_result r = benefit_of_the_doubt(four_units(), {}, units, indicators);
  check_vector(r.scores, {1.0, 1.0, 0.8, 0.4}, 1e-9);
  CHECK(r.weights(0, 0) == approx(0.25));
  CHECK(r.weights(0, 1) == approx(0.0));
  CHECK(r.weights(2, 0) == approx(0.2));
  CHECK(r.weights(2, 1) == approx(0.2));
  CHECK(r.peers[2] == std::vector<std::size_t>{0, 1});
  CHECK(r.peers[3] == std::vector<std::size_t>{0, 1});
  // Scores are invariant to the scale of an indicator (the weights absorb it).
  Eigen::MatrixXd scaled = four_units();
  scaled.col(1) *= 10.0;
  check_vector(benefit_of_the_doubt(scaled).scores, {1.0, 1.0, 0.8, 0.4}, 1e-9);
}

TEST_CASE("BoD share restriction that binds") {
  // x1's share of the unit's own score at most 1/2: 4 w1 <= (4 w1 + w2) / 2, i.e. w2 >= 4 w1 for A.
  // A: max 4 w1 + w2 with w2 = 4 w1 and B's row w1 + 4 w2 = 17 w1 = 1: w = (1/17, 4/17),
  //    score 8/17 = 0.470588... (C = 10/17 <= 1; the other vertex w = (0, 1/4) gives only 1/4).
  //    The peer is B (1/17 + 16/17 = 1).
  // B (w1 <= 4 w2) and C (w1 <= w2) keep their unrestricted optima: 1 and 0.8; D: w1 <= w2, 0.4.
  bod_options o;
  o.restrictions.shares.push_back({0, 0.0, 0.5});
  const bod_result r = benefit_of_the_doubt(four_units(), o, units, indicators);
  check_vector(r.scores, {8.0 / 17.0, 1.0, 0.8, 0.4}, 1e-9);
  CHECK(r.weights(0, 0) == approx(1.0 / 17.0));
  CHECK(r.weights(0, 1) == approx(4.0 / 17.0));
  CHECK(r.peers[0] == std::vector<std::size_t>{1});
  // The share really is at its bound.
  CHECK(4.0 * r.weights(0, 0) / r.scores[0] == approx(0.5));
}

TEST_CASE("BoD absolute weight bound that binds") {
  // w1 <= 0.1. A: lowering w1 by d lets w2 rise by d/4 at most (B's row), so w1 = 0.1 and
  // w2 = min((1 - 0.4) / 1 [A], (1 - 0.1) / 4 [B], (1 - 0.2) / 2 [C]) = 0.225: score 0.4 + 0.225 = 0.625.
  bod_options o;
  o.restrictions.weights.push_back({0, 0.0, 0.1});
  const bod_result r = benefit_of_the_doubt(four_units(), o, units, indicators);
  CHECK(r.scores[0] == approx(0.625));
  CHECK(r.scores[1] == approx(1.0));
  CHECK(r.peers[0] == std::vector<std::size_t>{1});
}

TEST_CASE("BoD assurance regions relative to the nominal weights") {
  // Nominal weights equal, pair (x1, x2) with w1 / w2 in [2, 3]. B: max w1 + 4 w2.
  // On w1 = 2 w2: rows A 9 w2, B 6 w2, C 6 w2 <= 1, so w2 = 1/9 and B = 2/9 + 4/9 = 2/3 (peer A).
  // On w1 = 3 w2: A's row 13 w2 <= 1 gives B = 7/13 < 2/3. A keeps 1 (w = (2/9, 1/9)).
  bod_options o;
  o.nominal = parkscore::test::vec({0.5, 0.5});
  o.restrictions.assurance_pairs.push_back({0, 1, 2.0, 3.0});
  const bod_result r = benefit_of_the_doubt(four_units(), o, units, indicators);
  CHECK(r.scores[1] == approx(2.0 / 3.0));
  CHECK(r.scores[0] == approx(1.0));
  CHECK(r.peers[1] == std::vector<std::size_t>{0});
  // A factor of 1 forces the nominal proportions: w1 = w2, so every score is the
  // equal-weight sum over the best such sum (A and B: 5): 1, 1, 0.8, 0.4.
  bod_options f;
  f.nominal = parkscore::test::vec({1.0, 1.0});
  f.restrictions.assurance_factor = 1.0;
  const bod_result equal = benefit_of_the_doubt(four_units(), f, units, indicators);
  check_vector(equal.scores, {1.0, 1.0, 0.8, 0.4}, 1e-9);
  CHECK(equal.weights(0, 0) == approx(equal.weights(0, 1)));
}

TEST_CASE("BoD common weights maximise the sum of scores") {
  // max 8 w1 + 8 w2 (column sums) s.t. the unit rows: w1 + w2 <= 0.4 from A + B, attained only at
  // (0.2, 0.2): scores 1, 1, 0.8, 0.4 and the frontier {A, B} as every unit's peers.
  bod_options o;
  o.variant = bod_variant::common_weights;
  const bod_result r = benefit_of_the_doubt(four_units(), o, units, indicators);
  check_vector(r.scores, {1.0, 1.0, 0.8, 0.4}, 1e-9);
  for (Eigen::Index i = 0; i < 4; ++i) {
    CHECK(r.weights(i, 0) == approx(0.2));
    CHECK(r.weights(i, 1) == approx(0.2));
  }
  CHECK(r.peers[3] == std::vector<std::size_t>{0, 1});
  CHECK(r.lp_solves == 1);
}

TEST_CASE("robust BoD: order-m scores are at least the full scores, reproducible, and equal them for large m") {
  std::mt19937_64 gen(7);
  std::uniform_real_distribution<double> u(0.0, 100.0);
  Eigen::MatrixXd y(40, 5);
  for (Eigen::Index i = 0; i < y.rows(); ++i)
    for (Eigen::Index j = 0; j < y.cols(); ++j) y(i, j) = u(gen);
  bod_options o;
  o.variant = bod_variant::robust;
  o.peers = 5;
  o.replicates = 30;
  o.seed = 11;
  const bod_result r = benefit_of_the_doubt(y, o);
  const bod_result again = benefit_of_the_doubt(y, o);
  CHECK((r.scores.array() == again.scores.array()).all());   // same seed, same bits
  const Eigen::VectorXd full = benefit_of_the_doubt(y).scores;
  CHECK((r.full_scores - full).cwiseAbs().maxCoeff() < 1e-9);
  // A smaller reference set can only relax the LP: every replicate scores >= the full score, <= 1.
  CHECK((r.scores.array() >= full.array() - 1e-9).all());
  CHECK((r.scores.array() <= 1.0 + 1e-9).all());
  CHECK((r.scores - full).maxCoeff() > 1e-3);   // with 5 peers of 40, some unit gains
  // With m = 2000 draws every unit is (almost surely: 39/40^2000) in each reference set.
  o.peers = 2000;
  o.replicates = 3;
  CHECK((benefit_of_the_doubt(y, o).scores - full).cwiseAbs().maxCoeff() < 1e-9);
}

TEST_CASE("BoD errors name the unit and indicator") {
  Eigen::MatrixXd y = four_units();
  y(2, 1) = -0.5;
  CHECK_THROWS_WITH_AS(benefit_of_the_doubt(y, {}, units, indicators),
                       doctest::Contains("unit 'C', indicator 'x2': value -0.5"), data_error);
  y(2, 1) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_AS(benefit_of_the_doubt(y, {}, units, indicators), data_error);
  // w2 >= 0.5 puts B at 4 * 0.5 = 2 > 1 whatever w1: no feasible weights.
  bod_options o;
  o.restrictions.weights.push_back({1, 0.5, 1.0});
  CHECK_THROWS_WITH_AS(benefit_of_the_doubt(four_units(), o, units, indicators),
                       doctest::Contains("no weights satisfy the restrictions for unit 'A'"), method_error);
  bod_options bad;
  bad.restrictions.shares.push_back({1, 0.6, 0.4});
  CHECK_THROWS_WITH_AS(benefit_of_the_doubt(four_units(), bad, units, indicators),
                       doctest::Contains("indicator 'x2'"), schema_error);
  bod_options no_nominal;
  no_nominal.restrictions.assurance_factor = 2.0;
  CHECK_THROWS_AS(benefit_of_the_doubt(four_units(), no_nominal), schema_error);
}

TEST_CASE("BoD with share and assurance restrictions does not depend on the order the units are solved in") {
  // The model is reused from unit to unit (objective and share rows rewritten, warm start): solving
  // the units in reverse order must give the same scores, so nothing of the previous unit leaks.
  std::mt19937_64 gen(5);
  std::uniform_real_distribution<double> u(0.0, 10.0);
  Eigen::MatrixXd y(25, 4);
  for (Eigen::Index i = 0; i < y.rows(); ++i)
    for (Eigen::Index j = 0; j < y.cols(); ++j) y(i, j) = u(gen);
  bod_options o;
  for (std::size_t j = 0; j < 4; ++j) o.restrictions.shares.push_back({j, 0.1, 0.4});
  o.nominal = parkscore::test::vec({1, 2, 3, 4});
  o.restrictions.assurance_factor = 4.0;
  const Eigen::VectorXd forward = benefit_of_the_doubt(y, o).scores;
  const Eigen::MatrixXd reversed = y.colwise().reverse();
  const Eigen::VectorXd backward = benefit_of_the_doubt(reversed, o).scores.reverse();
  CHECK((forward - backward).cwiseAbs().maxCoeff() < 1e-9);
  // The same without share rows (Clp keeps its factorisation between units on that path).
  bod_options ar;
  ar.nominal = o.nominal;
  ar.restrictions.assurance_factor = 2.0;
  ar.restrictions.weights.push_back({2, 0.0, 0.05});
  const Eigen::VectorXd ar_forward = benefit_of_the_doubt(y, ar).scores;
  CHECK((ar_forward - benefit_of_the_doubt(reversed, ar).scores.reverse()).cwiseAbs().maxCoeff() < 1e-9);
  // Each restriction holds at the reported weights: shares within [0.1, 0.4], w_j / n_j within a factor 4.
  const bod_result r = benefit_of_the_doubt(y, o);
  // Shares in [0.1, 0.4] and the assurance factor can contradict for some units' values, leaving
  // only w = 0: those score exactly 0 with zero weights and no peers; most units keep a score.
  int positive = 0;
  for (Eigen::Index i = 0; i < y.rows(); ++i) {
    CAPTURE(i);
    const Eigen::VectorXd w = r.weights.row(i).transpose();
    if (r.scores[i] == 0.0) {
      CHECK(w.isZero(0.0));
      CHECK(r.peers[static_cast<std::size_t>(i)].empty());
      continue;
    }
    ++positive;
    const Eigen::ArrayXd share = y.row(i).transpose().array() * w.array() / r.scores[i];
    CHECK(share.minCoeff() >= 0.1 - 1e-7);
    CHECK(share.maxCoeff() <= 0.4 + 1e-7);
    const Eigen::ArrayXd relative = w.array() / o.nominal.array();
    CHECK(relative.maxCoeff() <= 4.0 * relative.minCoeff() * (1 + 1e-7));
    CHECK((y * w).maxCoeff() <= 1.0 + 1e-9);
  }
  CHECK(positive >= 15);
}
