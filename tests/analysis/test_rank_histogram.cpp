#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "parkscore/analysis/rank_histogram.hpp"

using namespace parkscore;

TEST_CASE("rank histogram: quantiles follow numpy's linear rule exactly") {
  rank_histogram h(2);
  // Unit 0 ranks: 1, 2, 2, 3, 7 (sorted). numpy.quantile([1,2,2,3,7], q):
  //   q=0.5: h = 4*0.5 = 2 -> x_(2) = 2;  q=0.05: h = 0.2 -> 1 + 0.2*(2-1) = 1.2;
  //   q=0.95: h = 3.8 -> 3 + 0.8*(7-3) = 6.2; mean = 15/5 = 3.
  for (int r : {3, 1, 7, 2, 2}) h.add(0, r);
  h.normalise();
  CHECK(h.total(0) == 5);
  CHECK(h.quantile(0, 0.5) == doctest::Approx(2.0));
  CHECK(h.quantile(0, 0.05) == doctest::Approx(1.2));
  CHECK(h.quantile(0, 0.95) == doctest::Approx(6.2));
  CHECK(h.mean(0) == doctest::Approx(3.0));
  CHECK(h.share_at_most(0, 2) == doctest::Approx(0.6));    // 1, 2, 2 of 5
  CHECK(h.share_at_least(0, 3) == doctest::Approx(0.4));   // 3, 7
  CHECK(h.min_rank(0) == 1);
  CHECK(h.max_rank(0) == 7);
  CHECK(std::isnan(h.quantile(1, 0.5)));   // never ranked

  // Even count: median of 4, 5 is 4.5 (linear rule).
  rank_histogram g(2);
  g.add(1, 5);
  g.add(1, 4);
  g.normalise();
  CHECK(g.quantile(1, 0.5) == doctest::Approx(4.5));

  // Merging is exact and order-free.
  rank_histogram ab = h, ba = g;
  ab.merge(g);
  ba.merge(h);
  CHECK(ab == ba);
  CHECK(ab.total(1) == 2);
  CHECK(ab.count(0, 2) == 2);
  CHECK(!(ab == h));
}

TEST_CASE("rank histogram: a list that outgrows its range becomes counts, with the same statistics") {
  // 40 ranks cycling over 1..5: after 32 samples the list (32 > 5 ranks) turns into counts.
  rank_histogram h(1), list_only(1);
  for (int i = 0; i < 40; ++i) h.add(0, 1 + i % 5);
  for (int i = 0; i < 20; ++i) list_only.add(0, 1 + i % 5);
  h.normalise();
  list_only.normalise();
  CHECK(h.lists()[0].empty());
  CHECK(h.windows()[0].size() >= 5);
  CHECK(list_only.lists()[0].size() == 20);
  CHECK(h.count(0, 3) == 8);
  CHECK(h.mean(0) == doctest::Approx(3.0));
  CHECK(h.quantile(0, 0.5) == doctest::Approx(3.0));
  // Merging a list into counts and counts into a list give the same histogram.
  rank_histogram a = h, b = list_only;
  a.merge(list_only);
  b.merge(h);
  CHECK(a == b);
  CHECK(a.total(0) == 60);
  CHECK(a.count(0, 5) == 12);
}

TEST_CASE("rank histogram: a tally added in bulk equals rank-by-rank adds, and survives a merge into an empty unit") {
  // Unit 0 takes rank 2 three times and rank 4 once: mean (2+2+2+4)/4 = 2.5, median 2,
  // P(rank <= 2) = 3/4. Unit 1 is never ranked in `tally`.
  rank_histogram tally(2), one_by_one(2);
  tally.add(0, 2, 3);
  tally.add(0, 4, 1);
  tally.add(0, 3, 0);   // a zero count adds nothing
  for (int r : {2, 4, 2, 2}) one_by_one.add(0, r);
  one_by_one.normalise();
  CHECK(tally == one_by_one);
  CHECK(tally.total(0) == 4);
  CHECK(tally.mean(0) == doctest::Approx(2.5));
  CHECK(tally.quantile(0, 0.5) == doctest::Approx(2.0));
  CHECK(tally.share_at_most(0, 2) == doctest::Approx(0.75));
  CHECK(tally.count(0, 3) == 0);
  // Merging counts into a histogram whose unit has no ranks at all keeps every count
  // (the unit must switch to counts, not concatenate two empty lists).
  rank_histogram empty_unit(2), with_counts(2);
  empty_unit.add(1, 7);   // the histogram is not empty, only unit 0 is
  with_counts.add(0, 5, 40);
  empty_unit.merge(with_counts);
  CHECK(empty_unit.total(0) == 40);
  CHECK(empty_unit.count(0, 5) == 40);
  CHECK(empty_unit.total(1) == 1);
}

TEST_CASE("rank histogram: long rank lists (large pools) sort exactly") {
  // 1000 ranks spread over 1..70000 (wider than the list, so it stays a list; more than 2^16,
  // so the radix sort takes three byte passes), compared with a plain sort of the same ranks.
  rank_histogram h(1);
  std::vector<int> ranks;
  std::uint32_t x = 12345;
  for (int i = 0; i < 1000; ++i) {
    x = x * 1664525u + 1013904223u;   // Numerical Recipes' LCG: a fixed, platform-free sequence
    ranks.push_back(1 + static_cast<int>(x % 70000u));
    h.add(0, ranks.back());
  }
  h.normalise();
  std::sort(ranks.begin(), ranks.end());
  REQUIRE(h.lists()[0].size() == 1000);
  CHECK(h.lists()[0] == ranks);
  CHECK(h.min_rank(0) == ranks.front());
  CHECK(h.max_rank(0) == ranks.back());
  // numpy's linear rule on the sorted ranks: h = 999 * 0.95 = 949.05.
  CHECK(h.quantile(0, 0.95) == doctest::Approx(ranks[949] + 0.05 * (ranks[950] - ranks[949])));
}

TEST_CASE("rank histogram: lists of units added in turn share one array and keep their own ranks") {
  // Three units take ranks in turn, so each list outgrows its room while another list sits
  // after it in the shared array and must move. Unit u's ranks are 100u + 1 + (7i mod 50), i < 200:
  // 7 is prime to 50, so every 50 ranks cover 1..50 once; at 64 ranks (more than the 50 the list
  // spans) each unit switches to counts, and ends with 4 replicates per rank.
  rank_histogram h(3);
  for (int i = 0; i < 200; ++i)
    for (int u = 0; u < 3; ++u) h.add(static_cast<std::size_t>(u), 100 * u + 1 + (7 * i) % 50);
  h.normalise();
  for (std::size_t u = 0; u < 3; ++u) {
    CHECK(h.total(u) == 200);
    CHECK(h.count(u, static_cast<int>(100 * u) + 1) == 4);
    CHECK(h.min_rank(u) == static_cast<int>(100 * u) + 1);
    CHECK(h.max_rank(u) == static_cast<int>(100 * u) + 50);
    CHECK(h.mean(u) == doctest::Approx(100.0 * static_cast<double>(u) + 25.5));   // mean of 1..50 is 25.5
  }
  // Below the switch, lists stay lists: 20 ranks each, sorted, whatever moved where.
  rank_histogram l(2);
  for (int i = 0; i < 20; ++i) {
    l.add(0, 40 - i);
    l.add(1, 1000 + 3 * i);
  }
  l.normalise();
  std::vector<int> expect0, expect1;
  for (int i = 0; i < 20; ++i) {
    expect0.push_back(21 + i);
    expect1.push_back(1000 + 3 * i);
  }
  CHECK(l.lists()[0] == expect0);
  CHECK(l.lists()[1] == expect1);
}

TEST_CASE("rank histogram: storage handed over is checked") {
  using slot = rank_histogram::slot;
  // Unit 0 with counts {2, 1} from rank 3 and unit 1 with the list {9, 5}: statistics as if added.
  const auto h = rank_histogram::adopt({3, 0}, {slot{0, 2, 2}, slot{}}, {2, 1}, {slot{}, slot{0, 2, 2}}, {9, 5});
  CHECK(h.total(0) == 3);
  CHECK(h.mean(0) == doctest::Approx((3.0 * 2 + 4.0) / 3));
  CHECK(h.lists()[1] == std::vector<int>{5, 9});   // sorted on the way in
  CHECK_THROWS_WITH(rank_histogram::adopt({0}, {slot{0, 1, 1}}, {1}, {slot{0, 1, 1}}, {4}),
                    doctest::Contains("unit 0 has both counts and a list"));
  CHECK_THROWS_WITH(rank_histogram::adopt({0}, {slot{}}, {}, {slot{0, 3, 3}}, {4}),
                    doctest::Contains("outside its array"));
}
