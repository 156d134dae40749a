#include <limits>
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <atomic>
#include <cmath>

#include "analysis/analysis_fixtures.hpp"
#include "parkscore/analysis/uncertainty.hpp"
#include "parkscore/methods/rank.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using parkscore::test::approx;

namespace {

uncertainty_spec uniform_weights(double spread) {
  uncertainty_spec spec;
  spec.weights.push_back({"w", "*", weight_draw::uniform_factor, spread, 100.0, {}, {}});
  return spec;
}

// The naive reference: evaluate() once per replicate with the documented draws
// (input 0 = weights "*": stream = replicate, substream 0; for every aggregate node in
// framework order, for each child in order, the weight is multiplied by 1 - p + 2 p u, u a
// 32-bit uniform: docs/uncertainty.md, step 2).
// Optional second input: a choice between min_max and z_score for every indicator
// (substream 1, option 0 if u < 1/2).
rank_histogram naive_histogram(const framework& fw, const dataset& data, double p, std::size_t reps,
                               std::uint64_t seed, bool with_choice) {
  rank_histogram h(data.unit_count());
  for (std::size_t r = 0; r < reps; ++r) {
    framework f = fw;
    philox_stream rng(seed, r, 0);
    for (int k = 0; k < static_cast<int>(f.nodes().size()); ++k) {
      if (f.at(k).is_indicator()) continue;
      for (int ch : f.at(k).children) f.at(ch).weight *= 1 - p + 2 * p * rng.uniform32();
    }
    if (with_choice && philox_stream(seed, r, 1).uniform() >= 0.5)
      for (int k : f.indicators()) f.at(k).norm.method = normalisation_method::z_score;
    const result res = evaluate(f, data);
    for (std::size_t u = 0; u < data.unit_count(); ++u) {
      const double rank = res.pools[0].index_rank(static_cast<Eigen::Index>(u));
      if (!std::isnan(rank)) h.add(u, static_cast<int>(rank));
    }
  }
  h.normalise();
  return h;
}

uncertainty_spec with_normalisation_choice(uncertainty_spec spec, const framework& fw) {
  discrete_uncertainty d{"normalisation", {{"min_max", {}, ""}, {"z_score", {}, ""}}, {}};
  for (const auto& id : fw.indicator_ids())
    d.options[1].edits.push_back({"replace", node_pointer(fw, id) + "/normalisation", R"({"method": "z_score"})"});
  spec.choices.push_back(d);
  return spec;
}

}  // namespace

TEST_CASE("uncertainty: zero perturbation gives the nominal ranks with zero-width intervals") {
  const framework fw = test::five_indicator_framework();
  const dataset data = test::random_units(15, 11);
  uncertainty_options opt;
  opt.replicates = 300;
  const auto res = run_uncertainty(fw, data, uniform_weights(0.0), opt);
  const result nominal = evaluate(fw, data);
  CHECK(res.fast_path);
  for (Eigen::Index u = 0; u < 15; ++u) {
    CAPTURE(u);
    const double r = nominal.pools[0].index_rank(u);
    CHECK(res.stats.nominal_rank[u] == r);
    CHECK(res.stats.median_rank[u] == r);
    CHECK(res.stats.interval_lo[u] == r);
    CHECK(res.stats.interval_hi[u] == r);
    CHECK(res.stats.mean_abs_shift[u] == 0.0);
    CHECK(res.stats.nominal_score[u] == approx(nominal.pools[0].scores(u, 0)));
  }
}

TEST_CASE("uncertainty: a unit that dominates every indicator ranks first in every replicate") {
  framework fw = test::five_indicator_framework();
  dataset data = test::random_units(20, 5);
  Eigen::MatrixXd x = data.values();
  x.row(7) << 9, 0.01, 9, 9, 9;   // best on every indicator (x2 is lower-is-better)
  data = dataset(data.unit_ids(), data.indicator_ids(), x);
  uncertainty_spec spec = uniform_weights(0.5);
  spec.weights.push_back({"dir", "C1", weight_draw::dirichlet, 0.25, 2.0, {}, {}});
  uncertainty_options opt;
  opt.replicates = 2000;
  opt.top = 1;
  const auto res = run_uncertainty(fw, data, spec, opt);
  CHECK(res.partial.ranks.count(7, 1) == 2000);
  CHECK(res.stats.p_top[7] == 1.0);
  CHECK(res.stats.interval_hi[7] == 1.0);
  // Someone else moves: with +-50 % weights and Dirichlet(2 x share) shares the ranks are not fixed.
  double moved = 0;
  for (Eigen::Index u = 0; u < 20; ++u) moved += res.stats.mean_abs_shift[u];
  CHECK(moved > 0);
}

TEST_CASE("uncertainty: rank statistics equal a naive loop of evaluate() with the same draws") {
  const framework fw = test::five_indicator_framework();
  for (bool missing : {false, true}) {
    for (bool choice : {false, true}) {
      CAPTURE(missing);
      CAPTURE(choice);
      const dataset data = test::random_units(12, 3, missing);
      uncertainty_spec spec = uniform_weights(0.4);
      if (choice) spec = with_normalisation_choice(spec, fw);
      uncertainty_options opt;
      opt.replicates = 150;
      opt.seed = 99;
      const auto res = run_uncertainty(fw, data, spec, opt);
      CHECK(res.fast_path);
      CHECK(res.scenarios == (choice ? 2u : 1u));
      const rank_histogram naive = naive_histogram(fw, data, 0.4, 150, 99, choice);
      CHECK(res.partial.ranks == naive);
      // Medians and intervals follow from equal histograms; check one by hand against the counts.
      CHECK(res.stats.median_rank[0] == naive.quantile(0, 0.5));
    }
  }
}

TEST_CASE("uncertainty: power means (level by level) and the slow path (rescaling) equal the naive loop") {
  framework fw = test::five_indicator_framework();
  fw.at(fw.index_of("C1")).agg.method = aggregation_method::geometric;
  fw.at(fw.index_of("index")).agg.method = aggregation_method::harmonic;
  for (int k : fw.indicators()) fw.at(k).norm.lo = 1;   // positive scores: min-max onto [1, 100]
  const dataset data = test::random_units(10, 8);
  uncertainty_options opt;
  opt.replicates = 40;
  opt.seed = 5;
  const auto fast = run_uncertainty(fw, data, uniform_weights(0.3), opt);
  CHECK(fast.fast_path);
  CHECK(fast.partial.ranks == naive_histogram(fw, data, 0.3, 40, 5, false));

  fw.at(fw.index_of("C2")).rescale.method = rescale_method::best_is_100;   // pool-relative: evaluate() per replicate
  const auto slow = run_uncertainty(fw, data, uniform_weights(0.3), opt);
  CHECK(!slow.fast_path);
  CHECK(slow.partial.ranks == naive_histogram(fw, data, 0.3, 40, 5, false));
}

TEST_CASE("uncertainty: same seed, same bits for 1 and 2 threads and any split of the replicates") {
  const framework fw = test::five_indicator_framework();
  const dataset data = test::random_units(30, 2, true);
  uncertainty_spec spec = with_normalisation_choice(uniform_weights(0.25), fw);
  uncertainty_options one;
  one.replicates = 3000;
  one.seed = 42;
  uncertainty_options two = one;
  two.threads = 2;
  const uncertainty_engine e1(fw, data, spec, one), e2(fw, data, spec, two);
  const auto a = e1.run_range(0, 3000);
  const auto b = e2.run_range(0, 3000);
  auto c = e1.run_range(0, 1234);
  c.merge(e2.run_range(1234, 3000));
  for (const uncertainty_partial* p : std::vector<const uncertainty_partial*>{&b, &c}) {
    CHECK(p->ranks == a.ranks);
    CHECK(p->abs_shift == a.abs_shift);
    CHECK(p->unranked == a.unranked);
    CHECK(p->replicates == 3000);
  }
  // A different seed gives different draws.
  uncertainty_options other = one;
  other.seed = 43;
  CHECK(!(uncertainty_engine(fw, data, spec, other).run_range(0, 3000).ranks == a.ranks));
}

TEST_CASE("uncertainty: progress reaches the total; cancellation stops the run") {
  const framework fw = test::five_indicator_framework();
  const dataset data = test::random_units(10, 1);
  uncertainty_options opt;
  opt.replicates = 5000;
  std::size_t last = 0, total = 0;
  opt.progress = [&](std::size_t done, std::size_t all) {
    CHECK(done >= last);
    last = done;
    total = all;
  };
  run_uncertainty(fw, data, uniform_weights(0.2), opt);
  CHECK(last == 5000);
  CHECK(total == 5000);
  std::atomic<bool> cancel{true};
  opt.cancel = &cancel;
  last = 0;
  CHECK_THROWS_AS(run_uncertainty(fw, data, uniform_weights(0.2), opt), cancelled_error);
}

TEST_CASE("uncertainty: P(top k), P(bottom k) and the interval on a two-unit case by hand") {
  // Two units, one indicator each way: A = (x1 = 1, x4 = 0), B = (x1 = 0, x4 = 1) in a flat index
  // with weights w1, w4 ~ x U(0.5, 1.5). A ranks first iff w1 > w4, which by symmetry has
  // probability 1/2: P(top 1) = 1/2 each, P(bottom 1) = 1/2 each.
  framework fw("index", "flat");
  fw.add_indicator("index", test::indicator("x1", 1));
  fw.add_indicator("index", test::indicator("x4", 1));
  Eigen::MatrixXd x(2, 2);
  x << 1, 0, 0, 1;
  const dataset data({"A", "B"}, {"x1", "x4"}, x);
  uncertainty_options opt;
  opt.replicates = 20000;
  opt.top = 1;
  opt.bottom = 1;
  const auto res = run_uncertainty(fw, data, uniform_weights(0.5), opt);
  // Standard error of a share near 1/2 with 20000 draws: 0.0035; 0.015 is > 4 of them.
  CHECK(std::abs(res.stats.p_top[0] - 0.5) < 0.015);
  CHECK(res.stats.p_top[0] + res.stats.p_top[1] == approx(1.0));
  CHECK(res.stats.p_bottom[0] == approx(1.0 - res.stats.p_top[0]));
  CHECK(res.stats.interval_lo[0] == 1.0);
  CHECK(res.stats.interval_hi[0] == 2.0);
  CHECK(res.stats.pool_size[0] == 2);
}

TEST_CASE("uncertainty: large pools (radix ranking) and tied units match the naive loop") {
  const framework fw = test::five_indicator_framework();
  for (std::size_t n : {12u, 300u}) {
    CAPTURE(n);
    dataset data = test::random_units(n, 21);
    Eigen::MatrixXd x = data.values();
    x.row(5) = x.row(0);   // u6 = u1: tied in every replicate (competition: the same rank)
    x.row(7) = x.row(0);
    // u10 a hair above u1 on one indicator: the 16-bit counting keys collide (a step is 1/65535
    // of the score range), the float keys do not, so small pools count these on floats.
    x.row(9) = x.row(0);
    x(9, 0) *= 1 + 1e-6;
    // u11 has no value at all: no score, unranked in every replicate (large pools: the top key).
    x.row(10).setConstant(std::numeric_limits<double>::quiet_NaN());
    data = dataset(data.unit_ids(), data.indicator_ids(), x);
    uncertainty_options opt;
    opt.replicates = 25;
    opt.seed = 4;
    const auto res = run_uncertainty(fw, data, uniform_weights(0.3), opt);
    CHECK(res.partial.ranks == naive_histogram(fw, data, 0.3, 25, 4, false));
    CHECK(res.stats.mean_rank[0] == res.stats.mean_rank[5]);
    CHECK(res.stats.unranked_share[10] == 1.0);
  }
  // Ordinal ranks: ties broken by input order, as rank_scores does (small pools: insertion sort;
  // large: radix), and dense ranks (small pools only: counting is for competition ranks).
  for (const auto method : {rank_method::ordinal, rank_method::dense}) {
    framework other = fw;
    other.rank_rule.method = method;
    for (std::size_t n : {12u, 300u}) {
      CAPTURE(n);
      dataset data = test::random_units(n, 21);
      Eigen::MatrixXd x = data.values();
      x.row(5) = x.row(0);
      data = dataset(data.unit_ids(), data.indicator_ids(), x);
      uncertainty_options opt;
      opt.replicates = 10;
      const auto res = run_uncertainty(other, data, uniform_weights(0.3), opt);
      CHECK(res.partial.ranks == naive_histogram(other, data, 0.3, 10, 1, false));
    }
  }
}

TEST_CASE("uncertainty: a large pool's ranks over many replicates (counts, ordered lists, sorted lists) match the naive loop") {
  // 300 units, 150 replicates, weights x U(0.1, 1.9): units near the top or the bottom move
  // over fewer ranks than they have replicates (kept as counts), others over up to twice as
  // many (listed in order from counts) or more (listed, then sorted): all three storage forms.
  const framework fw = test::five_indicator_framework();
  const dataset data = test::random_units(300, 33);
  uncertainty_options opt;
  opt.replicates = 150;
  opt.seed = 8;
  for (unsigned threads : {1u, 2u}) {
    opt.threads = threads;
    const auto res = run_uncertainty(fw, data, uniform_weights(0.9), opt);
    CHECK(res.partial.ranks == naive_histogram(fw, data, 0.9, 150, 8, false));
    std::size_t windows = 0, lists = 0;
    for (std::size_t u = 0; u < 300; ++u) {
      windows += !res.partial.ranks.windows()[u].empty();
      lists += !res.partial.ranks.lists()[u].empty();
    }
    CHECK(windows > 0);
    CHECK(lists > 0);
  }
}

TEST_CASE("uncertainty: scores equal in exact arithmetic tie in every replicate, as in evaluate()") {
  // As "exact ties tie whatever the order of the units or of the summation"
  // (tests/engine/test_plan.cpp): U1, U2 and U5 score (84 + 29.1 + 12.2)/3 = 41.7666...
  // summed in three orders; the replicate kernel gives 41.766666666666659 for U1 and U2 and
  // 41.766666666666666 for U5 (found by search). The documented tie rule (docs/methods.md §3:
  // within 1e-12 of the pool's largest score) makes them share rank 2. Without perturbation
  // every replicate must give the nominal ranks, whichever ranking path runs (counting for 5
  // units, the radix sort for a pool of 300: the five rows padded with 295 low-scoring units).
  framework fw("index", "ties");
  for (const char* id : {"p", "q", "r"}) fw.add_indicator("index", test::indicator(id, 1));
  for (const std::size_t n : {5u, 300u}) {
    CAPTURE(n);
    Eigen::MatrixXd x = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(n), 3);
    x.topRows(5) << 0.84, 0.291, 0.122, 0.122, 0.84, 0.291, 0, 0, 0, 1, 1, 1, 0.291, 0.122, 0.84;
    std::vector<std::string> ids = {"U1", "U2", "U3", "U4", "U5"};
    for (std::size_t u = 5; u < n; ++u) {
      ids.push_back(fmt::format("F{}", u));
      x.row(static_cast<Eigen::Index>(u)).setConstant(0.001 * static_cast<double>(u % 7));
    }
    const dataset data(ids, {"p", "q", "r"}, x);
    for (const auto method : {rank_method::competition, rank_method::dense, rank_method::ordinal}) {
      CAPTURE(static_cast<int>(method));
      fw.rank_rule.method = method;
      const result nominal = evaluate(fw, data);
      uncertainty_options opt;
      opt.replicates = 20;
      const auto res = run_uncertainty(fw, data, uniform_weights(0.0), opt);
      for (std::size_t u = 0; u < n; ++u) {
        CAPTURE(ids[u]);
        const double r = nominal.rank(ids[u], "index");
        CHECK(res.stats.interval_lo[static_cast<Eigen::Index>(u)] == r);
        CHECK(res.stats.interval_hi[static_cast<Eigen::Index>(u)] == r);
      }
      if (method != rank_method::ordinal) {
        CHECK(nominal.rank("U1", "index") == nominal.rank("U2", "index"));
        CHECK(nominal.rank("U1", "index") == nominal.rank("U5", "index"));
      }
    }
  }
}
