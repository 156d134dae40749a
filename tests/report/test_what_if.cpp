#include <doctest/doctest.h>

#include <cmath>

#include "fixtures.hpp"
#include "parkscore/engine/evaluate.hpp"
#include "parkscore/error.hpp"
#include "parkscore/report/what_if.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using parkscore::test::approx;

namespace {

// index = (x + y) / 2, both min-max 0-100, higher is better.
//        x   y    x_n    y_n = 100 (y - 1) / 9    index
//   A   10   2    100    11.11                    55.56
//   Z    0  10      0   100                       50
//   T    2   1     20     0                       10
framework xy_framework() {
  framework fw("index", "xy");
  fw.add_indicator("index", test::indicator("x", 1));
  fw.add_indicator("index", test::indicator("y", 1));
  return fw;
}

dataset xyz_units() {
  Eigen::MatrixXd v(3, 2);
  v << 10, 2,  //
      0, 10,   //
      2, 1;
  return dataset({"A", "Z", "T"}, {"x", "y"}, v);
}

const single_gap& gap_of(const gap_analysis& g, const std::string& id) {
  for (const single_gap& s : g.single)
    if (s.indicator == id) return s;
  FAIL("no gap line " << id);
  throw;
}

}  // namespace

TEST_CASE("gap to rank 1: the needed x lies beyond the pool maximum, which moves with it") {
  // T to rank 1 by x alone: up to x = 10, T = 5 x_T <= 50 < 55.56. Beyond, x_T = v becomes the
  // maximum: T = (100 + 0) / 2 = 50, Z = 50, A = (100 x 10 / v + 11.11) / 2. T >= A when
  // 1000 / v <= 100 - 11.11 = 88.89, i.e. v >= 11.25: a change of +9.25 (T ties Z and A at 50: rank 1).
  // By y alone T first lifts the pool minimum (its own 1) to A's 2, where A's y_n drops to 0 and
  // A = Z = 50; then T = (20 + 100 (w - 2) / 8) / 2 >= 50 when w >= 8.4: +7.4.
  gap_options o;
  o.target = {target_kind::rank, 1, 3};
  const gap_analysis g = gap_to_target(xy_framework(), xyz_units(), "T", o);
  CHECK(g.rank == 3);
  CHECK(g.target_rank == 1);
  CHECK_FALSE(g.already);
  const single_gap& x = gap_of(g, "x");
  REQUIRE(x.reachable);
  CHECK(x.value == approx(11.25, 1e-5));
  CHECK(x.change == approx(9.25, 1e-5));
  CHECK(x.new_rank == 1);
  const single_gap& y = gap_of(g, "y");
  REQUIRE(y.reachable);
  CHECK(y.value == approx(8.4, 1e-5));

  // The combination is no dearer (in pool standard deviations) than the cheapest single change,
  // sd(y) = sqrt(((2 - 13/3)^2 + (10 - 13/3)^2 + (1 - 13/3)^2) / 2) = 4.933: 7.4 / 4.933 = 1.500,
  // and it really reaches rank 1.
  REQUIRE(g.combined.reachable);
  CHECK(g.combined.cost <= 7.4 / std::sqrt(73.0 / 3) + 1e-5);
  const result check = evaluate(xy_framework(), apply_changes(xyz_units(), g.combined.changes));
  CHECK(check.rank("T", "index") == 1);
}

TEST_CASE("gap: next place up, out of the last places, unreachable and already met") {
  gap_options o;
  o.target = {target_kind::next_place, 1, 3};
  // T to rank 2 by x: 5 v >= 50 at v = 10 (ties Z): +8. By y: as above, w = 8.4 (below it A and Z tie ahead).
  gap_analysis g = gap_to_target(xy_framework(), xyz_units(), "T", o);
  CHECK(g.target_rank == 2);
  CHECK(gap_of(g, "x").value == approx(10, 1e-5));
  CHECK(gap_of(g, "y").value == approx(8.4, 1e-5));

  // Z to rank 1 by x: Z's 0 is the pool minimum; below T's 2 it stays the minimum (Z = 50); above,
  // min = 2 and Z = (100 (v - 2) / 8 + 100) / 2 >= A = 55.56 at v = 2 + 8/9.
  g = gap_to_target(xy_framework(), xyz_units(), "Z", o);
  CHECK(gap_of(g, "x").value == approx(2 + 8.0 / 9, 1e-5));
  // A is first: nothing to reach.
  CHECK_THROWS_AS(gap_to_target(xy_framework(), xyz_units(), "A", o), data_error);

  // T is out of the last 1 once one unit is behind it: pool of 3, so rank <= 2 (as above).
  o.target = {target_kind::out_of_bottom, 1, 1};
  g = gap_to_target(xy_framework(), xyz_units(), "T", o);
  CHECK(g.target_rank == 2);
  CHECK(gap_of(g, "y").value == approx(8.4, 1e-5));
  o.target = {target_kind::top_10, 1, 3};
  CHECK(gap_to_target(xy_framework(), xyz_units(), "T", o).already);

  // A lower-is-better indicator capped by the search: x is irrelevant when its weight is 0.
  framework fw = xy_framework();
  fw.at(fw.index_of("x")).weight = 0;
  o.target = {target_kind::rank, 1, 3};
  g = gap_to_target(fw, xyz_units(), "T", o);
  CHECK_FALSE(gap_of(g, "x").reachable);
  CHECK(gap_of(g, "x").note.find("not reachable by this indicator alone") != std::string::npos);
}

TEST_CASE("what-if: new ranks and who moved") {
  // T's x -> 12 becomes the maximum: A = (100 x 10/12 + 11.11) / 2 = 47.22, Z = 50, T = 50.
  const what_if_result w = what_if(xy_framework(), xyz_units(), {{"T", "x", 12}});
  CHECK(w.changed.rank("T", "index") == 1);
  CHECK(w.changed.score("A", "index") == approx((1000.0 / 12 + 100.0 / 9) / 2));
  REQUIRE(w.moved.size() == 3);
  // by new rank, ties in data order: Z 2 -> 1, T 3 -> 1, A 1 -> 3
  CHECK(w.moved[0].unit == "Z");
  CHECK(w.moved[1].unit == "T");
  CHECK(w.moved[1].before == 3);
  CHECK(w.moved[2].unit == "A");
  CHECK(w.moved[2].before == 1);
  CHECK(w.moved[2].after == 3);
  CHECK_THROWS_WITH_AS(what_if(xy_framework(), xyz_units(), {{"T", "q", 1}}), doctest::Contains("'q'"), data_error);
}
