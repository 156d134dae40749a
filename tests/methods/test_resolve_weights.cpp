#include <doctest/doctest.h>

#include "fixtures.hpp"
#include "parkscore/error.hpp"
#include "parkscore/methods/resolve_weights.hpp"
#include "parkscore/methods/weight_data.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using namespace parkscore::test;

namespace {
framework entropy_index() {
  framework fw = two_category_framework();
  fw.root().weighting.method = weighting_method::entropy;
  fw.root().weighting.entropy.policy = entropy_policy::require_nonnegative;
  return fw;
}
const weight_record& record_of(const pool_result& p, const std::string& node, const std::string& label) {
  for (const weight_record& w : p.weights)
    if (w.node == node && w.pool_label == label) return w;
  FAIL("no weight record for " << node << " / " << label);
  return p.weights.front();
}
}  // namespace

TEST_CASE("evaluate derives declared weights from the pool's children scores and records them") {
  // Children of the index in the all-units pool (see test_evaluate.cpp):
  //   A = 0, 62.5, 50, 100;  B = 0, 33.33, 66.67, 100
  // entropy (require_nonnegative): p_A = (0, 62.5, 50, 100)/212.5, p_B = (0, 1, 2, 3)/6
  //   e_A = 0.76109494, e_B = 0.72957396 (numpy) -> w = 0.4690565, 0.5309435
  const result r = evaluate(entropy_index(), four_units());
  const pool_result& all = r.pool();
  const weight_record& w = record_of(all, "index", "all");
  CHECK(w.children == std::vector<std::string>{"A", "B"});
  CHECK(w.weights.pool == "all");
  CHECK(w.weights.method == weighting_method::entropy);
  CHECK(w.weights.rows_used == 4);
  Eigen::MatrixXd children(4, 2);
  children << 0, 0, 62.5, 100.0 / 3, 50, 200.0 / 3, 100, 100;
  const Eigen::VectorXd expected = entropy_weights(children, {entropy_policy::require_nonnegative, 0.01}).weights;
  CHECK(w.weights.weights.isApprox(expected, 1e-12));
  check_vector(w.weights.weights, {0.4690565, 0.5309435}, 1e-6);
  const Eigen::VectorXd index = children * expected;
  check_vector(all.scores.col(0), {index[0], index[1], index[2], index[3]});
  // fixed nodes are recorded too, with their normalised weight fields
  check_vector(record_of(all, "A", "all").weights.weights, {0.5, 0.5});
  bool noted = false;
  for (const note& n : r.notes) noted = noted || (n.step == "weights" && n.node == "index" && n.pool == "all" &&
                                                  n.message.find("entropy weights A=") != std::string::npos);
  CHECK(noted);
}

TEST_CASE("each pool label gets its own data-driven weights; excluded units do not feed them") {
  evaluation_options opt;
  opt.pools = {"level"};
  const result r = evaluate(entropy_index(), four_units(), opt);
  const pool_result& level = r.pool("level");
  CHECK(record_of(level, "index", "national").weights.pool == "level=national");
  CHECK(record_of(level, "index", "national").weights.rows_used == 2);
  CHECK(record_of(level, "index", "provincial").weights.rows_used == 2);

  opt.pools = {""};
  opt.excluded = {{"u4", "veto"}};
  const result ex = evaluate(entropy_index(), four_units(), opt);
  CHECK(record_of(ex.pool(), "index", "all").weights.rows_used == 3);
}

TEST_CASE("resolve_weights freezes the weights of one pool") {
  const resolved_weights all = resolve_weights(entropy_index(), four_units());
  CHECK(all.pool == "all");
  CHECK(all.model.root().weighting.method == weighting_method::fixed);
  const double w_a = all.model.at(all.model.index_of("A")).weight;
  CHECK(w_a == approx(record_of(evaluate(entropy_index(), four_units()).pool(), "index", "all").weights.weights[0]));
  // the frozen framework scores exactly as the declared one
  CHECK(evaluate(all.model, four_units()).pool().scores.isApprox(evaluate(entropy_index(), four_units()).pool().scores,
                                                                 1e-12));
  const resolved_weights national = resolve_weights(entropy_index(), four_units(), {"level", "national"});
  CHECK(national.pool == "level=national");
  CHECK_THROWS_WITH_AS(resolve_weights(entropy_index(), four_units(), {"level", "county"}),
                       doctest::Contains("no unit has label 'county' in grouping column 'level'"), data_error);
}

TEST_CASE("points scale uses the derived weights; subjective weightings need no data; errors name node and pool") {
  framework fw = two_category_framework();
  fw.scores.scale = score_scale::points;
  fw.root().weighting.method = weighting_method::ahp;
  fw.root().weighting.matrix = {{1, 3}, {1.0 / 3, 1}};   // A: 0.75, B: 0.25
  const result r = evaluate(fw, four_units());
  // u4 scores 100 on everything: A's points = 100 x 0.75, B's = 25, index = 100
  CHECK(r.score("u4", "A") == approx(75));
  CHECK(r.score("u4", "B") == approx(25));
  CHECK(r.score("u4", "a1") == approx(37.5));
  CHECK(r.score("u4", "index") == approx(100));

  framework bad = two_category_framework();
  bad.at(bad.index_of("A")).weighting.method = weighting_method::pca;   // 2 children need >= 3 complete rows
  evaluation_options opt;
  opt.pools = {"level"};
  CHECK_THROWS_WITH_AS(evaluate(bad, four_units(), opt),
                       doctest::Contains("node 'A' (level=national): PCA weights need at least 3 complete rows, got 2"),
                       method_error);
}
