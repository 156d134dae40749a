#include <doctest/doctest.h>

#include <cmath>

#include "fixtures.hpp"
#include "parkscore/engine/evaluate.hpp"
#include "parkscore/error.hpp"
#include "parkscore/report/explain.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using parkscore::test::approx;

namespace {

const indicator_account& line(const explanation& e, const std::string& id) {
  for (const indicator_account& a : e.indicators)
    if (a.id == id) return a;
  FAIL("no indicator " << id);
  throw;
}

const node_account& node_line(const explanation& e, const std::string& id) {
  for (const node_account& a : e.nodes)
    if (a.id == id) return a;
  FAIL("no node " << id);
  throw;
}

}  // namespace

// two_category_framework on four_units, pool "all" (test_report.cpp has the arithmetic):
//   a1 = 0, 25, 50, 100; a2 = 0, 100, 50, 100; b1 = 0, 33.3, 66.7, 100; A = 0, 62.5, 50, 100
//   index = 0, 52.78, 55.56, 100 -> ranks u4 1, u3 2, u2 3, u1 4.
TEST_CASE("explain: per indicator and per category, against the pool and the unit above") {
  dataset d = test::four_units();
  d.set_unit_names({"甲园区", "乙园区", "丙园区", "丁园区"});
  const framework fw = test::two_category_framework();
  const result r = evaluate(fw, d);
  const explanation e = explain(r, d, "乙园区");   // by name
  CHECK(e.unit_id == "u2");
  CHECK(e.rank == 3);
  CHECK(e.pool_size == 4);
  CHECK(e.above_id == "u3");

  const indicator_account& a1 = line(e, "a1");
  CHECK(a1.raw == 10);
  CHECK(a1.normalised == approx(25));
  CHECK(a1.pool_best == approx(100));
  CHECK(a1.pool_median == approx(37.5));        // (25 + 50) / 2
  CHECK(a1.rank == 3);
  CHECK(a1.points == approx(25.0 / 3));          // 2/3 x 1/2 x 25
  CHECK(a1.maximum == approx(100.0 / 3));        // 2/3 x 1/2 x 100
  CHECK(a1.lost == approx(25));                  // 1/3 x (100 - 25)
  CHECK(a1.above_raw == 20);
  CHECK(a1.above_normalised == approx(50));
  CHECK(a1.above_points == approx(50.0 / 3));
  CHECK_FALSE(a1.imputed);
  CHECK_FALSE(a1.treated);

  const node_account& A = node_line(e, "A");
  CHECK(A.depth == 1);
  CHECK(A.score == approx(62.5));
  CHECK(A.rank == 2);
  CHECK(A.pool_median == approx(56.25));         // (50 + 62.5) / 2
  CHECK(A.above_score == approx(50));
  CHECK(A.points == approx(125.0 / 3));          // 2/3 x 62.5
  CHECK(A.maximum == approx(200.0 / 3));
  CHECK(A.lost == approx(25));                   // 2/3 x (100 - 62.5)
  const node_account& index = node_line(e, "index");
  CHECK(index.points == approx(475.0 / 9));
  CHECK(index.lost == approx(100 - 475.0 / 9));
  CHECK(index.maximum == approx(100));

  double sum = 0;
  for (const indicator_account& a : e.indicators) sum += a.points;
  CHECK(std::abs(sum + e.rescaling + e.adjustment - e.score) < 1e-12);
}

TEST_CASE("explain: a missing indicator has no maximum; its category's maximum stays full") {
  // u2 lacks a2: A = a1 alone for u2, so a1's factor is 2/3 (the whole of A) and its maximum 66.67 = A's.
  Eigen::MatrixXd x = test::four_units().values();
  x(1, 1) = test::NaN;
  const dataset d({"u1", "u2", "u3", "u4"}, {"a1", "a2", "b1"}, x);
  const result r = evaluate(test::two_category_framework(), d);
  const explanation e = explain(r, d, "u2");
  CHECK(std::isnan(line(e, "a2").maximum));
  CHECK(std::isnan(line(e, "a2").points));
  CHECK(line(e, "a1").maximum == approx(200.0 / 3));
  CHECK(node_line(e, "A").maximum == approx(200.0 / 3));
  CHECK(node_line(e, "index").maximum == approx(100));
}

TEST_CASE("explain: a lean result, which keeps neither every node nor the normalised values, is an error") {
  const dataset d = test::four_units();
  evaluation_options lean;
  lean.keep = result_contents::lean();
  CHECK_THROWS_WITH_AS(explain(evaluate(test::two_category_framework(), d, lean), d, "u2"),
                       doctest::Contains("kept only the index and its categories (a lean evaluation)"), error);
  evaluation_options no_normalised;
  no_normalised.keep.normalised = false;   // every node, but not the normalised values
  CHECK_THROWS_WITH_AS(explain(evaluate(test::two_category_framework(), d, no_normalised), d, "u2"),
                       doctest::Contains("kept no normalised values"), error);
}

TEST_CASE("find_unit: id first, then a unique name; errors name the problem") {
  dataset d = test::four_units();
  d.set_unit_names({"甲园区", "同名", "同名", "u1"});
  const result r = evaluate(test::two_category_framework(), d);
  CHECK(find_unit(r, "u1") == 0);        // the id wins over u4's name "u1"
  CHECK(find_unit(r, "甲园区") == 0);
  CHECK_THROWS_WITH_AS(find_unit(r, "同名"), doctest::Contains("u2, u3"), data_error);
  CHECK_THROWS_WITH_AS(find_unit(r, "nobody"), doctest::Contains("'nobody'"), data_error);
}

TEST_CASE("explain_change: what moved the total, indicator by indicator") {
  // Next year u2's b1 rises from 4 to 8 (= u4's): b1 = 0, 100, 66.7, 100, so u2's index is
  // (2 x 62.5 + 100) / 3 = 75, up 75 - 52.78 = 22.22, all of it b1's part 1/3 x (100 - 33.33).
  const framework fw = test::two_category_framework();
  const dataset before = test::four_units();
  Eigen::MatrixXd x = before.values();
  x(1, 2) = 8;
  dataset after(before.unit_ids(), before.indicator_ids(), x);
  const result r0 = evaluate(fw, before), r1 = evaluate(fw, after);
  const change_account c = explain_change(r0, before, r1, after, "u2");
  CHECK(c.score_after - c.score_before == approx(75 - 475.0 / 9));
  CHECK(c.rank_before == 3);
  CHECK(c.rank_after == 2);   // u4 100, u2 75, u3 55.6
  double sum = c.rescaling_change + c.adjustment_change;
  for (const change_line& l : c.lines) {
    if (!l.indicator) continue;
    sum += l.change;
    if (l.id == "b1") {
      CHECK(l.change == approx(200.0 / 9));
      CHECK(l.raw_before == 4);
      CHECK(l.raw_after == 8);
    } else {
      CHECK(l.change == approx(0).epsilon(1e-12));
    }
  }
  CHECK(std::abs(sum - (c.score_after - c.score_before)) < 1e-12);
}

TEST_CASE("describe: an office's sentence in Chinese and English, veto and watch") {
  framework fw = test::two_category_framework();
  fw.rules.events = {{"accident", "重大安全生产事故", "major accidents", "", ""}};
  fw.rules.veto = {{"accident", comparison::greater, 0, "发生重大安全生产事故", ""}};
  Eigen::MatrixXd x(4, 4);
  x << test::four_units().values(), Eigen::Vector4d(1, 0, 0, 0);
  dataset d({"u1", "u2", "u3", "u4"}, {"a1", "a2", "b1", "accident"}, x);
  d.set_unit_names({"甲园区", "乙园区", "丙园区", "丁园区"});
  const result r = evaluate(fw, d);

  const explanation e = explain(r, d, "u2");
  rank_change change;
  change.status = rank_change_status::moved;
  change.previous = 15;
  change.current = 3;
  change.change = 12;
  CHECK(describe_rank(15, &change, language::zh) == "排名第15位，较上年上升12位");
  CHECK(describe_rank(15, &change, language::en) == "ranked 15, up 12 on the previous year");
  const std::string zh = describe(e, language::zh, &change);
  CHECK(zh.find("乙园区（u2）") != std::string::npos);
  CHECK(zh.find("在3家参评单位中") != std::string::npos);   // u1 is vetoed
  CHECK(zh.find("较上年上升12位") != std::string::npos);

  const explanation v = explain(r, d, "u1");
  watch_entry w;
  w.unit = "u1";
  w.hit_years = {2022, 2023};
  const std::string vetoed = describe(v, language::zh, nullptr, &w);
  CAPTURE(vetoed);
  // the veto reason carries the rule's test: 发生重大安全生产事故 (accident = 1 > 0)
  CHECK(vetoed.find("因发生重大安全生产事故 (accident = 1 > 0)，实行一票否决，不参与排名") != std::string::npos);
  CHECK(vetoed.find("列入退出预警名单（2022、2023年度") != std::string::npos);
  CHECK(describe(v, language::en).find("vetoed (发生重大安全生产事故 (accident = 1 > 0)), not ranked") != std::string::npos);
}
