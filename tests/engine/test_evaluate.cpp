#include <doctest/doctest.h>

#include "fixtures.hpp"
#include "parkscore/error.hpp"
#include "parkscore/engine/evaluate.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using namespace parkscore::test;

namespace {
// Index scores of the all-units pool, worked by hand:
//   a1 = 0,10,20,40 -> 0, 25, 50, 100      a2 = 5,1,3,1 (lower) -> 0, 100, 50, 100
//   b1 = 2,4,6,8    -> 0, 33.3, 66.7, 100   A = (a1 + a2)/2 -> 0, 62.5, 50, 100
//   index = (2A + B)/3 -> 0, 52.777.., 55.555.., 100
const std::initializer_list<double> index_all = {0, (125 + 100.0 / 3) / 3, (100 + 200.0 / 3) / 3, 100};

Eigen::VectorXd column(const result& r, const std::string& node, const std::string& grouping = "") {
  return r.pool(grouping).scores.col(r.model->index_of(node));
}
Eigen::VectorXd ranks(const result& r, const std::string& node, const std::string& grouping = "") {
  return r.ranks_of(node, grouping);
}
}  // namespace

TEST_CASE("a hand-computed evaluation over all units") {
  const result r = evaluate(two_category_framework(), four_units());
  check_vector(column(r, "a2"), {0, 100, 50, 100});
  check_vector(column(r, "A"), {0, 62.5, 50, 100});
  check_vector(column(r, "index"), index_all);
  check_vector(ranks(r, "index"), {4, 3, 2, 1});
  check_vector(ranks(r, "A"), {4, 2, 3, 1});
  CHECK(r.pool().coverage(0, 0) == 3);
  CHECK(r.score("u2", "index") == approx(52.7777777778));
  CHECK(r.rank("u3", "index") == 2);
}

TEST_CASE("evaluate() finds an equal framework's plan again, and a changed framework is compiled anew") {
  // evaluate() keeps the last few compiled plans and finds them by comparing frameworks
  // (src/engine/evaluate.cpp). Each call must still score with the framework it is given.
  framework fw = two_category_framework();
  const result first = evaluate(fw, four_units());
  check_vector(column(first, "index"), index_all);
  // B's weight 1 -> 2: index = (2A + 2B)/4 = (A + B)/2 with A = 0, 62.5, 50, 100 and
  // B = 0, 33.3.., 66.6.., 100: 0, 47.916.., 58.333.., 100.
  fw.at(fw.index_of("B")).weight = 2;
  const result changed = evaluate(fw, four_units());
  check_vector(column(changed, "index"), {0, (62.5 + 100.0 / 3) / 2, (50 + 200.0 / 3) / 2, 100});
  CHECK(changed.model->at(changed.model->index_of("B")).weight == 2);
  // And back: the first framework's numbers and record again.
  fw.at(fw.index_of("B")).weight = 1;
  const result again = evaluate(fw, four_units());
  check_vector(column(again, "index"), index_all);
  CHECK(*again.model == *first.model);
  // An invalid framework is an error each time, never a kept plan.
  fw.at(fw.index_of("B")).weight = -1;
  CHECK_THROWS_AS(evaluate(fw, four_units()), schema_error);
  CHECK_THROWS_AS(evaluate(fw, four_units()), schema_error);
}

TEST_CASE("pools normalise and rank within each label; both poolings in one evaluation") {
  evaluation_options opt;
  opt.pools = {"", "level"};
  const result r = evaluate(two_category_framework(), four_units(), opt);
  check_vector(column(r, "index"), index_all);
  // national: u1, u3 -> every indicator 0 / 100 -> index 0 / 100.
  // provincial: a1 10,40 -> 0,100; a2 1,1 -> zero range -> 50,50; b1 4,8 -> 0,100
  //   A = 25, 75; index = (2*25 + 0)/3, (2*75 + 100)/3
  check_vector(column(r, "index", "level"), {0, 50.0 / 3, 100, 250.0 / 3});
  check_vector(ranks(r, "index", "level"), {2, 2, 1, 1});
  CHECK(r.pool("level").labels[1] == "provincial");
  bool warned = false;
  for (const note& n : r.warnings()) warned = warned || (n.node == "a2" && n.pool == "level=provincial");
  CHECK(warned);
}

TEST_CASE("points scale: indicator points add up to category and index points") {
  framework fw = two_category_framework();
  fw.scores.scale = score_scale::points;
  const result r = evaluate(fw, four_units());
  check_vector(column(r, "index"), index_all);         // the index carries all 100 points
  check_vector(column(r, "A"), {0, 62.5 * 2 / 3, 50.0 * 2 / 3, 200.0 / 3});
  check_vector(column(r, "a1"), {0, 25.0 / 3, 50.0 / 3, 100.0 / 3});
  const auto& s = r.pool().scores;
  for (Eigen::Index u = 0; u < 4; ++u)
    CHECK(s(u, fw.index_of("a1")) + s(u, fw.index_of("a2")) + s(u, fw.index_of("b1")) == approx(s(u, 0)));
}

TEST_CASE("invariant: permuting units permutes every result") {
  const dataset d = four_units();
  const std::vector<int> perm = {2, 0, 3, 1};
  Eigen::MatrixXd x(4, 3);
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    x.row(i) = d.values().row(perm[static_cast<std::size_t>(i)]);
    ids.push_back(d.unit_ids()[static_cast<std::size_t>(perm[static_cast<std::size_t>(i)])]);
  }
  const result a = evaluate(two_category_framework(), d);
  const result b = evaluate(two_category_framework(), dataset(ids, d.indicator_ids(), x));
  for (int i = 0; i < 4; ++i) {
    const auto p = static_cast<Eigen::Index>(perm[static_cast<std::size_t>(i)]);
    CHECK(b.pool().scores.row(i).isApprox(a.pool().scores.row(p)));
    CHECK(b.rank_matrix(b.pool()).row(i) == a.rank_matrix(a.pool()).row(p));
  }
}

TEST_CASE("invariant: scaling sibling weights by a constant changes nothing") {
  framework scaled = two_category_framework();
  scaled.at(scaled.index_of("A")).weight = 20;
  scaled.at(scaled.index_of("B")).weight = 10;
  scaled.at(scaled.index_of("a1")).weight = 0.25;
  scaled.at(scaled.index_of("a2")).weight = 0.25;
  const result a = evaluate(two_category_framework(), four_units());
  const result b = evaluate(scaled, four_units());
  CHECK(a.pool().scores.isApprox(b.pool().scores));
  CHECK(a.rank_matrix(a.pool()) == b.rank_matrix(b.pool()));
}

TEST_CASE("invariant: flipping a direction mirrors its normalised values") {
  framework flipped = two_category_framework();
  flipped.at(flipped.index_of("a1")).dir = direction::lower_is_better;
  const result a = evaluate(two_category_framework(), four_units());
  const result b = evaluate(flipped, four_units());
  CHECK(b.pool().normalised.col(0).isApprox(Eigen::VectorXd::Constant(4, 100) - a.pool().normalised.col(0)));
  CHECK(b.pool().normalised.rightCols(2).isApprox(a.pool().normalised.rightCols(2)));
}

TEST_CASE("invariant: a unit added outside a pool leaves that pool unchanged") {
  const dataset d = four_units();
  Eigen::MatrixXd x(5, 3);
  x.topRows(4) = d.values();
  x.row(4) << 1000, -50, 3;
  dataset bigger({"u1", "u2", "u3", "u4", "u5"}, d.indicator_ids(), x);
  bigger.set_group("level", {"national", "provincial", "national", "provincial", "provincial"});
  evaluation_options opt;
  opt.pools = {"level"};
  const result a = evaluate(two_category_framework(), d, opt);
  const result b = evaluate(two_category_framework(), bigger, opt);
  for (Eigen::Index u : {0, 2}) {
    CHECK(a.pool("level").scores.row(u) == b.pool("level").scores.row(u));
    CHECK(a.rank_matrix(a.pool("level")).row(u) == b.rank_matrix(b.pool("level")).row(u));
  }
}

TEST_CASE("excluded units are scored with the others' constants but not ranked") {
  evaluation_options opt;
  opt.excluded = {{"u4", "major safety accident"}};
  const result r = evaluate(two_category_framework(), four_units(), opt);
  // Statistics over u1..u3: a1 0..20 -> u4 (40) scores 200; a2 1..5 -> u4 100; b1 2..6 -> u4 150.
  check_vector(r.pool().normalised.row(3).transpose(), {200, 100, 150});
  check_vector(ranks(r, "index"), {3, 2, 1, NaN});
  CHECK(r.excluded.at("u4") == "major safety accident");
}

TEST_CASE("missing values: renormalised weights and coverage counts") {
  dataset d = four_units();
  Eigen::MatrixXd x = d.values();
  x(1, 0) = NaN;  // u2 has no a1
  const result r = evaluate(two_category_framework(), dataset(d.unit_ids(), d.indicator_ids(), x));
  // a2 alone carries A for u2: A = 100; index = (200 + 33.33)/3
  CHECK(r.score("u2", "A") == approx(100));
  CHECK(r.score("u2", "index") == approx((200 + 100.0 / 3) / 3));
  CHECK(r.pool().coverage(1, 0) == 2);
  CHECK(r.pool().coverage(1, r.model->index_of("A")) == 1);
  bool warned = false;
  for (const note& n : r.warnings()) warned = warned || (n.unit == "u2" && n.step == "data");
  CHECK(warned);
}

TEST_CASE("below the coverage threshold a score is missing and unranked") {
  framework fw = two_category_framework();
  fw.at(fw.index_of("A")).agg.min_coverage = 1.0;
  fw.root().agg.min_coverage = 0.0;  // B alone carries 1/3 of the index weight
  dataset d = four_units();
  Eigen::MatrixXd x = d.values();
  x(1, 0) = NaN;
  const result r = evaluate(fw, dataset(d.unit_ids(), d.indicator_ids(), x));
  CHECK(std::isnan(r.score("u2", "A")));
  CHECK(std::isnan(r.rank("u2", "A")));
  CHECK(r.score("u2", "index") == approx(100.0 / 3));  // only B (weight 1/3 of the index) remains: 33.3
}

TEST_CASE("data that do not fit the framework are rejected, naming the column") {
  const dataset d = four_units();
  framework extra = two_category_framework();
  extra.add_indicator("B", indicator("b2", 1));
  CHECK_THROWS_WITH_AS(evaluate(extra, d), doctest::Contains("indicator(s) b2 have no column"), data_error);
  framework fewer("index", "x");
  fewer.add_indicator("index", indicator("a1", 1));
  CHECK_THROWS_WITH_AS(evaluate(fewer, d), doctest::Contains("data column(s) a2, b1 are not indicators"), data_error);
  evaluation_options allow;
  allow.allow_extra_columns = true;
  CHECK_NOTHROW(evaluate(fewer, d, allow));
  evaluation_options bad;
  bad.excluded = {{"nobody", "x"}};
  CHECK_THROWS_WITH_AS(evaluate(two_category_framework(), d, bad), "excluded unit 'nobody' is not in the data",
                       data_error);
  bad = {};
  bad.pools = {"region"};
  CHECK_THROWS_WITH_AS(evaluate(two_category_framework(), d, bad), doctest::Contains("no grouping column 'region'"),
                       data_error);
  CHECK_THROWS_WITH_AS(evaluate(two_category_framework(), dataset({}, {"a1", "a2", "b1"}, Eigen::MatrixXd(0, 3))),
                       "the data have no units", data_error);
}

TEST_CASE("the record says which weights were used and with what constants each indicator was normalised") {
  const result r = evaluate(two_category_framework(), four_units());
  REQUIRE(r.pool().normalisation.size() == 3);
  CHECK(r.pool().normalisation[0].indicator == "a1");
  CHECK(r.pool().normalisation[0].fitted.max == 40);
  bool weights_noted = false;
  for (const note& n : r.notes)
    weights_noted = weights_noted || (n.step == "weights" && n.node == "index" &&
                                      n.message.find("A=2 (0.6667)") != std::string::npos);
  CHECK(weights_noted);
}

TEST_CASE("TOPSIS at the index and best-is-100 rescaling") {
  framework fw = two_category_framework();
  fw.root().agg.method = aggregation_method::topsis;
  const result r = evaluate(fw, four_units());
  // A = 0, 62.5, 50, 100; B = 0, 33.3, 66.7, 100 with weights 2/3, 1/3: u1 is the worst point, u4 the best.
  CHECK(r.score("u1", "index") == approx(0));
  CHECK(r.score("u4", "index") == approx(1));
  framework best = two_category_framework();
  best.root().rescale.method = rescale_method::best_is_100;
  const result b = evaluate(best, four_units());
  check_vector(column(b, "index"), index_all);  // the best already scores 100
}
