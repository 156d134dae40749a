#include <doctest/doctest.h>

#include <limits>

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
