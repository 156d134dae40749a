#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

#include "engine/column_kernels.hpp"
#include "parkscore/methods/rank.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using parkscore::test::check_vector;
using parkscore::test::vec;

namespace {
constexpr double NaN = std::numeric_limits<double>::quiet_NaN();
ranking rule(rank_method m) {
  ranking r;
  r.method = m;
  return r;
}
}  // namespace

TEST_CASE("the four tie rules on 90, 80, 80, 70") {
  const auto s = vec({90, 80, 80, 70});
  check_vector(rank_scores(s, rule(rank_method::competition)), {1, 2, 2, 4});
  check_vector(rank_scores(s, rule(rank_method::dense)), {1, 2, 2, 3});
  check_vector(rank_scores(s, rule(rank_method::ordinal)), {1, 2, 3, 4});
  check_vector(rank_scores(s, rule(rank_method::fractional)), {1, 2.5, 2.5, 4});
  ranking asc;
  asc.order = rank_order::ascending;
  check_vector(rank_scores(s, asc), {4, 2, 2, 1});
}

TEST_CASE("missing scores are unranked, not last; ineligible units are skipped") {
  check_vector(rank_scores(vec({90, NaN, 70}), {}), {1, NaN, 2});
  check_vector(rank_scores(vec({90, 95, 70}), {}, {true, false, true}), {1, NaN, 2});
}

TEST_CASE("rounding before comparison makes published ties") {
  ranking r;
  r.round_decimals = 2;
  check_vector(rank_scores(vec({80.004, 80.001, 79.996}), r), {1, 1, 1});
  check_vector(rank_scores(vec({80.004, 80.001, 79.994}), r), {1, 1, 3});
}

TEST_CASE("ordinal ties broken by input order or by unit id") {
  ranking r = rule(rank_method::ordinal);
  check_vector(rank_scores(vec({5, 5}), r), {1, 2});
  r.ties = tie_break::unit_id;
  check_vector(rank_scores(vec({5, 5}), r, {}, {"b", "a"}), {2, 1});
}

namespace {

// The tie rule written out plainly (docs/methods.md §3): sort the keys, cut the sorted list
// where a key is more than 1e-12 of the largest |key| above its predecessor, rank each run.
Eigen::VectorXd naive_ranks(const Eigen::VectorXd& s, const ranking& r) {
  std::vector<std::pair<double, int>> keys;
  double largest = 0;
  for (int i = 0; i < s.size(); ++i) {
    if (std::isnan(s[i])) continue;
    double v = r.round_decimals >= 0 ? std::round(s[i] * std::pow(10.0, r.round_decimals)) / std::pow(10.0, r.round_decimals) : s[i];
    v = r.order == rank_order::descending ? -v : v;
    keys.push_back({v, i});
    largest = std::max(largest, std::abs(v));
  }
  std::sort(keys.begin(), keys.end());
  Eigen::VectorXd out = Eigen::VectorXd::Constant(s.size(), NaN);
  std::size_t start = 0;
  int dense = 0;
  while (start < keys.size()) {
    std::size_t end = start + 1;
    while (end < keys.size() && keys[end].first - keys[end - 1].first <= 1e-12 * largest) ++end;
    std::vector<int> members;
    for (std::size_t p = start; p < end; ++p) members.push_back(keys[p].second);
    std::sort(members.begin(), members.end());   // ordinal: input order within a tie
    ++dense;
    for (std::size_t p = start; p < end; ++p) {
      const int i = members[p - start];
      switch (r.method) {
        case rank_method::competition: out[i] = double(start + 1); break;
        case rank_method::dense: out[i] = dense; break;
        case rank_method::ordinal: out[i] = double(p + 1); break;
        case rank_method::fractional: out[i] = 0.5 * double(start + 1 + end); break;
      }
    }
    start = end;
  }
  return out;
}

}  // namespace

namespace {

// 0.1-point steps (many exact ties), 5 % missing, and chains a, a + 6e-11, a + 1.2e-10 with the
// largest |score| near 100: each is within 1e-12 * 100 = 1e-10 of the one before, so all three
// tie although the ends are 1.2e-10 apart. Every rank rule against naive_ranks.
void check_tie_rule(Eigen::Index size) {
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> step(0, 999);
  std::bernoulli_distribution missing(0.05);
  Eigen::VectorXd s(size);
  for (Eigen::Index i = 0; i < s.size(); ++i) s[i] = missing(rng) ? NaN : step(rng) / 10.0;
  for (Eigen::Index i = 0; i + 2 < 60; i += 3) {
    s[i] = 0.05 + static_cast<double>(i);
    s[i + 1] = s[i] + 6e-11;
    s[i + 2] = s[i] + 1.2e-10;
  }
  s[100] = 99.95;   // keeps the largest key near 100 in both orders
  s[101] = -99.95;
  for (rank_method m : {rank_method::competition, rank_method::dense, rank_method::ordinal, rank_method::fractional})
    for (rank_order o : {rank_order::descending, rank_order::ascending})
      for (int decimals : {-1, 0}) {
        ranking r = rule(m);
        r.order = o;
        r.round_decimals = decimals;
        CAPTURE(static_cast<int>(m));
        CAPTURE(static_cast<int>(o));
        CAPTURE(decimals);
        const Eigen::VectorXd got = rank_scores(s, r), want = naive_ranks(s, r);
        Eigen::Index differ = 0, first = -1;   // counted, not checked one by one: 9 * 10^5 units
        for (Eigen::Index i = 0; i < s.size(); ++i)
          if (std::isnan(want[i]) ? !std::isnan(got[i]) : got[i] != want[i]) {
            if (differ++ == 0) first = i;
          }
        CAPTURE(first);
        CHECK(differ == 0);
      }
  // The chain is one run: competition ranks equal across it.
  const Eigen::VectorXd c = rank_scores(s, rule(rank_method::competition));
  CHECK(c[0] == c[1]);
  CHECK(c[1] == c[2]);
}

}  // namespace

TEST_CASE("pools rank as the tie rule says: exact ties, chained near-ties, missing values") {
  check_tie_rule(900000);  // 32-bit keys, 855 000 present: four radix passes of 8 bits
  check_tie_rule(70000);   // 32-bit keys: three radix passes of 11 bits
  check_tie_rule(3000);    // 22-bit keys: two radix passes
  check_tie_rule(300);     // the packed comparison sort
}

TEST_CASE("a large pool's sort shared between threads gives the same ranks") {
  // rank_rows splits each radix pass of 2^16 keys or more over the threads (rank.cpp,
  // radix_sort_split): chunks place their items after the chunks before them, so the order,
  // and every rank, is the one-thread order. Three sizes: 11-bit passes on 22-bit keys (below
  // 2^16: no split), three 11-bit passes, four 8-bit passes; 0.1-point steps make many ties.
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> step(0, 99999);
  for (std::size_t size : {std::size_t{3000}, std::size_t{200000}, std::size_t{900000}}) {
    std::vector<double> s(size);
    for (double& v : s) v = step(rng) / 10.0;
    std::vector<std::uint32_t> rows(size);
    std::iota(rows.begin(), rows.end(), 0u);
    for (rank_method m : {rank_method::competition, rank_method::dense, rank_method::ordinal}) {
      CAPTURE(size);
      CAPTURE(static_cast<int>(m));
      const ranking r = rule(m);
      std::vector<double> one(size), two(size), three(size);
      detail::rank_rows(s.data(), rows.data(), size, r, nullptr, one.data(), 0, 1);
      detail::rank_rows(s.data(), rows.data(), size, r, nullptr, two.data(), 0, 2);
      detail::rank_rows(s.data(), rows.data(), size, r, nullptr, three.data(), 0, 3);
      CHECK(one == two);
      CHECK(one == three);
      CHECK(*std::max_element(one.begin(), one.end()) > 1.0);   // ranked, not left alone
    }
  }
}

TEST_CASE("large pools with every score equal, or an infinite score, rank like small ones") {
  const Eigen::VectorXd equal = Eigen::VectorXd::Constant(1000, 42.0);
  CHECK((rank_scores(equal, rule(rank_method::competition)).array() == 1.0).all());
  // An infinite score makes the tolerance (1e-12 of the largest |score|) infinite: every
  // present unit ties, in small pools (the comparison sort) as in large ones.
  Eigen::VectorXd small = vec({0, 1, std::numeric_limits<double>::infinity()});
  CHECK((rank_scores(small, rule(rank_method::competition)).array() == 1.0).all());
  Eigen::VectorXd large = Eigen::VectorXd::LinSpaced(1000, 0, 999);
  large[500] = std::numeric_limits<double>::infinity();
  CHECK((rank_scores(large, rule(rank_method::competition)).array() == 1.0).all());
}

TEST_CASE("scores closer than the fixed-point keys resolve are ordered by their exact values") {
  // 1000 units: most spread over [0, 100], and 120 at 50 + i * 1e-9 in shuffled rows. The fixed-
  // point keys of a pool under 2^16 units step by 100 / (2^22 - 1) = 2.4e-5, so those 120 share
  // one key and arrive in row order; 1e-9 apart (the tie tolerance is 1e-12 * 100 = 1e-10) they
  // are distinct ranks, 40 units (i = 0, 1, 2 ... 39) step 1e-11 apart and chain into one tie.
  std::mt19937 rng(29);
  std::uniform_real_distribution<double> spread(0.0, 100.0);
  Eigen::VectorXd s(1000);
  for (Eigen::Index i = 0; i < s.size(); ++i) s[i] = spread(rng);
  std::vector<Eigen::Index> rows(s.size());
  for (Eigen::Index i = 0; i < s.size(); ++i) rows[static_cast<std::size_t>(i)] = i;
  std::shuffle(rows.begin(), rows.end(), rng);
  for (int i = 0; i < 120; ++i) s[rows[static_cast<std::size_t>(i)]] = i < 40 ? 40 + i * 1e-11 : 50 + i * 1e-9;
  // Pairs 5e-11 apart (tied) on either side of a key step: with scores from 0 to 100 ranked
  // descending, the key of v is floor((100 - v) * (2^22 - 1) / 100), so v = 100 - (k + 1e-7) / scale
  // has key k and v + 5e-11 has key k - 1. Neighbouring keys must still be compared exactly.
  s[rows[120]] = 0.0;
  s[rows[121]] = 100.0;
  const double scale = 4194303.0 / 100.0;
  for (int pair = 0; pair < 30; ++pair) {
    const double k = 1000.0 + pair * 97003.0;
    const double v = 100.0 - (k + 1e-7) / scale;
    s[rows[static_cast<std::size_t>(122 + 2 * pair)]] = v;
    s[rows[static_cast<std::size_t>(123 + 2 * pair)]] = v + 5e-11;
  }
  for (rank_method m : {rank_method::competition, rank_method::dense, rank_method::ordinal, rank_method::fractional}) {
    CAPTURE(static_cast<int>(m));
    const Eigen::VectorXd got = rank_scores(s, rule(m)), want = naive_ranks(s, rule(m));
    int differ = 0;
    for (Eigen::Index i = 0; i < s.size(); ++i) differ += got[i] != want[i];
    CHECK(differ == 0);
  }
  // The 40-unit chain is one competition rank; the 1e-9 steps are 80 ranks in a row.
  const Eigen::VectorXd c = rank_scores(s, rule(rank_method::competition));
  for (int i = 1; i < 40; ++i) CHECK(c[rows[static_cast<std::size_t>(i)]] == c[rows[0]]);
  for (int i = 41; i < 120; ++i) CHECK(c[rows[static_cast<std::size_t>(i)]] == c[rows[40]] - (i - 40));
  for (std::size_t pair = 0; pair < 30; ++pair) CHECK(c[rows[122 + 2 * pair]] == c[rows[123 + 2 * pair]]);
}

TEST_CASE("fixed-point keys are the floor of the scaled key, up to 2^32 - 1") {
  // detail::quantise converts through 32-bit signed integers (what vectorises without AVX-512):
  // below 2^31 directly, above as floor(q / 2) and the last bit. Keys near every power of two
  // and at both ends must still be exactly floor((key - lo) * scale), capped at q_max.
  std::vector<double> x;
  for (int e = 0; e < 32; ++e)
    for (double d : {-1.0, -0.5, -1e-6, 0.0, 1e-6, 0.5, 1.0}) x.push_back(std::ldexp(1.0, e) + d);
  x.push_back(4294967295.0);
  x.push_back(4294967295.5);   // capped
  x.push_back(5e9);            // capped
  std::mt19937_64 rng(8);
  std::uniform_real_distribution<double> any(0.0, 4294967296.0);
  for (int i = 0; i < 4000; ++i) x.push_back(any(rng));
  for (double q_max : {4194303.0, 4294967295.0}) {
    std::vector<std::uint64_t> items(x.size());
    // Ascending keys with lo = 0 and scale 1: q is the value itself, in the high half.
    detail::quantise(x.data(), x.size(), false, 0.0, 1.0, q_max, items.data());
    int differ = 0;
    for (std::size_t r = 0; r < x.size(); ++r) {
      const double want = std::floor(std::min(x[r], q_max));
      differ += (items[r] >> 32) != static_cast<std::uint32_t>(want) || (items[r] & 0xffffffffu) != r;
    }
    CAPTURE(q_max);
    CHECK(differ == 0);
  }
}
