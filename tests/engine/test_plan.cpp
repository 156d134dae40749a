// The compiled engine against the engine it replaced (tests/engine/reference_engine.cpp,
// the evaluation of commit f3f5987): the same scores to 1e-12, the same ranks, the same
// notes, on the Jiangsu example, the demo and randomised frameworks. Then what the new
// engine adds: thread-count invariance, lean results, reuse of a plan, and exact ties.

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <cmath>
#include <numeric>
#include <random>
#include <thread>
#include <tuple>

#include "fixtures.hpp"
#include "engine/recycled_outputs.hpp"
#include "engine/reference_engine.hpp"
#include "parkscore/engine/plan.hpp"
#include "parkscore/error.hpp"
#include "parkscore/io/csv.hpp"
#include "parkscore/model/framework_io.hpp"
#include "tolerance.hpp"

using namespace parkscore;

namespace {

const std::string source_dir = PARKSCORE_SOURCE_DIR;

// Scores equal to 1e-12 relative to the column's scale, ranks and NaN patterns exactly.
void check_same_matrix(const Eigen::MatrixXd& expected, const Eigen::MatrixXd& actual, const char* what) {
  REQUIRE(expected.rows() == actual.rows());
  REQUIRE(expected.cols() == actual.cols());
  for (Eigen::Index c = 0; c < expected.cols(); ++c) {
    double scale = 1.0;
    for (Eigen::Index r = 0; r < expected.rows(); ++r)
      if (std::isfinite(expected(r, c))) scale = std::max(scale, std::abs(expected(r, c)));
    for (Eigen::Index r = 0; r < expected.rows(); ++r) {
      CAPTURE(what);
      CAPTURE(r);
      CAPTURE(c);
      const double e = expected(r, c), a = actual(r, c);
      if (std::isnan(e)) {
        CHECK(std::isnan(a));
      } else {
        REQUIRE(std::abs(e - a) <= 1e-12 * scale);
      }
    }
  }
}

void check_same_result(const result& expected, const result& actual) {
  REQUIRE(expected.pools.size() == actual.pools.size());
  CHECK(expected.unit_ids == actual.unit_ids);
  CHECK(expected.excluded == actual.excluded);
  // The oracle keeps a record per unit; the engine only when some unit has a rule of its own.
  for (std::size_t u = 0; u < expected.rules.size(); ++u) {
    CHECK(expected.rules[u].weight_set == actual.rule(u).weight_set);
    CHECK(expected.rules[u].veto == actual.rule(u).veto);
    CHECK(expected.rules[u].adjustment() == actual.rule(u).adjustment());
  }
  for (std::size_t p = 0; p < expected.pools.size(); ++p) {
    const pool_result& e = expected.pools[p];
    const pool_result& a = actual.pools[p];
    CHECK(e.grouping == a.grouping);
    check_same_matrix(e.normalised, a.normalised, "normalised");
    check_same_matrix(e.scores, a.scores, "scores");
    check_same_matrix(e.kept_ranks, actual.rank_matrix(a), "ranks");
    CHECK(e.coverage == a.coverage);
    REQUIRE(e.normalisation.size() == a.normalisation.size());
    for (std::size_t i = 0; i < e.normalisation.size(); ++i) {
      CHECK(e.normalisation[i].indicator == a.normalisation[i].indicator);
      CHECK(e.normalisation[i].pool_label == a.normalisation[i].pool_label);
      CHECK(e.normalisation[i].fitted.min == a.normalisation[i].fitted.min);
      CHECK(e.normalisation[i].fitted.max == a.normalisation[i].fitted.max);
      CHECK(e.normalisation[i].fitted.count == a.normalisation[i].fitted.count);
    }
    REQUIRE(e.weights.size() == a.weights.size());
    for (std::size_t i = 0; i < e.weights.size(); ++i) {
      CHECK(e.weights[i].node == a.weights[i].node);
      CHECK(e.weights[i].pool_label == a.weights[i].pool_label);
      CHECK(e.weights[i].weights.weights.isApprox(a.weights[i].weights.weights, 1e-12));
    }
  }
  REQUIRE(expected.notes.size() == actual.notes.size());
  for (std::size_t i = 0; i < expected.notes.size(); ++i) {
    CAPTURE(i);
    CHECK(expected.notes[i].step == actual.notes[i].step);
    CHECK(expected.notes[i].pool == actual.notes[i].pool);
    CHECK(expected.notes[i].node == actual.notes[i].node);
    CHECK(expected.notes[i].unit == actual.notes[i].unit);
    CHECK(expected.notes[i].message == actual.notes[i].message);
  }
}

// The message `run` throws, or "" if it returns.
template <class Run>
std::string error_of(Run run) {
  try {
    run();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

// Either both engines throw the same message, or both give the same result.
void check_same_outcome(const framework& fw, const dataset& data, const evaluation_options& options = {}) {
  result expected, actual;
  const std::string expected_error = error_of([&] { expected = testing::reference_evaluate(fw, data, options); });
  const std::string actual_error = error_of([&] { actual = evaluate(fw, data, options); });
  REQUIRE(expected_error == actual_error);
  if (expected_error.empty()) check_same_result(expected, actual);
}

bool same_bits(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         (a.size() == 0 || std::memcmp(a.data(), b.data(), sizeof(double) * static_cast<std::size_t>(a.size())) == 0);
}

dataset jiangsu(const std::string& year) {
  wide_layout layout;
  layout.group_columns = {"level", "region", "city"};
  return read_wide(read_csv(source_dir + "/examples/data/jiangsu-" + year + ".csv"), layout);
}

// A random framework: depth 1-3, mixed normalisation, aggregation, weighting, weights (some 0)
// and scale.
framework random_framework(std::mt19937& rng, std::vector<std::string>& indicator_ids) {
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  auto uniform = [&](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  framework fw("index", "random");
  const int depth = 1 + pick(3);
  int counter = 0;
  // Every aggregate node's children share one kind of normalisation range, so the
  // geometric and harmonic means above them only see positive values.
  std::function<void(const std::string&, int, bool)> grow = [&](const std::string& parent, int level, bool positive) {
    const int children = 2 + pick(3);
    for (int c = 0; c < children; ++c) {
      if (level + 1 < depth && pick(3) != 0) {
        node cat = test::category(fmt::format("C{}", counter++), uniform(0.5, 3));
        const int agg = pick(10);
        cat.agg.method = agg < 6 ? aggregation_method::arithmetic
                         : agg < 8 ? aggregation_method::geometric
                         : agg < 9 ? aggregation_method::harmonic
                                   : aggregation_method::power;
        if (cat.agg.method == aggregation_method::power) cat.agg.power = 2;
        cat.agg.min_coverage = pick(2) == 0 ? 0.5 : 0.0;
        const bool child_positive = cat.agg.method != aggregation_method::arithmetic;
        if (pick(6) == 0) cat.weighting.method = weighting_method::equal;
        if (pick(8) == 0 && cat.agg.method == aggregation_method::arithmetic) cat.rescale.method = rescale_method::min_max;
        const std::string id = cat.id;
        fw.add_category(parent, cat);
        grow(id, level + 1, child_positive || positive);
      } else {
        node ind = test::indicator(fmt::format("x{}", counter++), uniform(0.5, 3),
                                   pick(3) == 0 ? direction::lower_is_better : direction::higher_is_better);
        const int method = pick(8);
        if (positive) {
          ind.norm.method = method < 4 ? normalisation_method::min_max : normalisation_method::efficacy;
          ind.norm.lo = 1;
        } else {
          const normalisation_method choices[] = {
              normalisation_method::min_max, normalisation_method::z_score, normalisation_method::rank,
              normalisation_method::percentile_rank, normalisation_method::efficacy, normalisation_method::none,
              normalisation_method::ratio_to_max, normalisation_method::borda};
          ind.norm.method = choices[method];
        }
        if (pick(5) == 0) ind.norm.clip_hi = 80;
        if (pick(10) == 0) ind.weight = 0;   // kept and ranked, but not summed (a column written apart)
        indicator_ids.push_back(ind.id);
        fw.add_indicator(parent, ind);
      }
    }
  };
  const int top = pick(4);
  fw.root().agg.method = top == 0 ? aggregation_method::geometric : aggregation_method::arithmetic;
  grow("index", 0, top == 0);
  if (pick(3) == 0) fw.scores.scale = score_scale::points;
  if (pick(3) == 0) fw.rank_rule.method = static_cast<rank_method>(pick(4));
  return fw;
}

dataset make_random_data(std::mt19937& rng, const std::vector<std::string>& ids, std::size_t n, double missing) {
  std::lognormal_distribution<double> value(3.0, 0.6);
  std::uniform_real_distribution<double> u(0, 1);
  Eigen::MatrixXd x(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(ids.size()));
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    for (Eigen::Index j = 0; j < x.cols(); ++j) x(i, j) = u(rng) < missing ? test::NaN : std::round(value(rng) * 100) / 100;
  std::vector<std::string> units, level;
  for (std::size_t i = 0; i < n; ++i) {
    units.push_back(fmt::format("U{:05}", i));
    level.push_back(u(rng) < 0.3 ? "national" : "provincial");
  }
  dataset d(units, ids, x);
  d.set_group("level", level);
  return d;
}

}  // namespace

TEST_CASE("compiled engine = reference engine on the Jiangsu example, every year and pooling") {
  const framework fw = load_framework(preset_path("jiangsu-2021"));
  for (const std::string year : {"2021", "2022", "2023"}) {
    CAPTURE(year);
    const dataset data = jiangsu(year);
    check_same_outcome(fw, data);
    evaluation_options by_level;
    by_level.pools = {"", "level", "region"};
    check_same_outcome(fw, data, by_level);
  }
}

TEST_CASE("compiled engine = reference engine on the demo, with the previous year") {
  const framework fw = load_framework(source_dir + "/docs/examples/demo-framework.json");
  wide_layout layout;
  layout.group_columns = {"level"};
  const dataset data = read_wide(read_csv(source_dir + "/examples/data/demo.csv"), layout);
  check_same_outcome(fw, data);
  evaluation_options options;
  options.previous = read_wide(read_csv(source_dir + "/examples/data/demo-2022.csv"), layout);
  options.excluded = {{"D02", "caller's exclusion"}};
  check_same_outcome(fw, data, options);
}

TEST_CASE("compiled engine = reference engine on 60 random frameworks (depth, methods, pools, missing values)") {
  std::mt19937 rng(20261202);
  for (int trial = 0; trial < 60; ++trial) {
    CAPTURE(trial);
    std::vector<std::string> ids;
    const framework fw = random_framework(rng, ids);
    const std::size_t n = 5 + rng() % 300;
    const dataset data = make_random_data(rng, ids, n, trial % 3 == 0 ? 0.0 : 0.08);
    evaluation_options options;
    options.pools = trial % 2 == 0 ? std::vector<std::string>{""} : std::vector<std::string>{"", "level"};
    if (trial % 4 == 1) options.excluded = {{data.unit_ids()[0], "excluded"}, {data.unit_ids()[3], "excluded"}};
    check_same_outcome(fw, data, options);
  }
}

TEST_CASE("the numbers do not depend on the thread count (several row blocks)") {
  std::mt19937 rng(7);
  std::vector<std::string> ids;
  framework fw = test::two_category_framework();
  const dataset data = make_random_data(rng, {"a1", "a2", "b1"}, 20000, 0.05);
  evaluation_options one, two, four;
  one.threads = 1;
  two.threads = 2;
  four.threads = 4;
  one.pools = two.pools = four.pools = {"", "level"};
  const result a = evaluate(fw, data, one), b = evaluate(fw, data, two), c = evaluate(fw, data, four);
  for (std::size_t p = 0; p < a.pools.size(); ++p) {
    // Bit for bit: NaN == NaN by their bits.
    CHECK(std::memcmp(a.pools[p].scores.data(), b.pools[p].scores.data(), sizeof(double) * a.pools[p].scores.size()) == 0);
    CHECK(std::memcmp(a.pools[p].scores.data(), c.pools[p].scores.data(), sizeof(double) * a.pools[p].scores.size()) == 0);
    const Eigen::MatrixXd ra = a.rank_matrix(a.pools[p]), rc = c.rank_matrix(c.pools[p]);
    CHECK(std::memcmp(ra.data(), rc.data(), sizeof(double) * static_cast<std::size_t>(ra.size())) == 0);
  }
}

TEST_CASE("evaluations from several caller threads at once share the workers and give the same bits") {
  // The engine's persistent workers take one parallel region at a time; regions that start
  // meanwhile run on threads of their own (src/engine/worker_pool.hpp). Four callers, each
  // with two threads per evaluation, repeatedly: every result equals the single-thread one.
  std::mt19937 rng(17);
  const framework fw = test::two_category_framework();
  const dataset data = make_random_data(rng, {"a1", "a2", "b1"}, 20000, 0.02);
  const evaluation_plan plan = compile(fw);
  evaluation_options serial, parallel;
  serial.threads = 1;
  parallel.threads = 2;
  serial.pools = parallel.pools = {"", "level"};
  const result expected = plan.evaluate(data, serial);
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t)
    callers.emplace_back([&, t] {
      result r;
      for (int k = 0; k < 5; ++k) {
        plan.evaluate_into(data, r, parallel);
        for (std::size_t p = 0; p < r.pools.size(); ++p)
          if (!same_bits(r.pools[p].scores, expected.pools[p].scores) ||
              !same_bits(r.pools[p].kept_ranks, expected.pools[p].kept_ranks))
            ++mismatches[static_cast<std::size_t>(t)];
      }
    });
  for (std::thread& c : callers) c.join();
  CHECK(mismatches == std::vector<int>(4, 0));
}

TEST_CASE("a lean result keeps the index and categories with the full result's numbers") {
  std::mt19937 rng(11);
  const framework fw = test::two_category_framework();
  const dataset data = make_random_data(rng, {"a1", "a2", "b1"}, 5000, 0.02);
  evaluation_options lean;
  lean.keep = result_contents::lean();
  lean.pools = {"level"};
  evaluation_options full = lean;
  full.keep = {};
  const result l = evaluate(fw, data, lean), f = evaluate(fw, data, full);
  const pool_result& lp = l.pool("level");
  const pool_result& fp = f.pool("level");
  CHECK(lp.nodes == std::vector<int>{0, 1, 4});   // index, A, B
  CHECK(lp.normalised.size() == 0);
  CHECK(lp.coverage.size() == 0);
  for (int node : {0, 1, 4}) {
    CHECK(same_bits(lp.scores.col(lp.column(node)), fp.scores.col(node)));
    CHECK(same_bits(lp.kept_ranks.col(*lp.rank_column(node)), f.ranks_of(fp, node)));
  }
  CHECK(l.score("U00010", "A", "level") == f.score("U00010", "A", "level"));
  CHECK_THROWS_WITH_AS(lp.column(2), doctest::Contains("not kept"), parkscore::error);
  CHECK(l.warnings().size() == f.warnings().size());
}

TEST_CASE("an index-only result ranks the index now and the categories on request, with the lean result's bits") {
  // result_contents::index_only(): the work of a hand-written script (one rank); a category's
  // ranks come from result::ranks_of, the same rank_rows over the same rows as a lean result's.
  std::mt19937 rng(12);
  const framework fw = test::two_category_framework();
  const dataset data = make_random_data(rng, {"a1", "a2", "b1"}, 3000, 0.02);
  for (const std::vector<std::string>& pools : {std::vector<std::string>{""}, std::vector<std::string>{"level"}}) {
    evaluation_options lean;
    lean.keep = result_contents::lean();
    lean.pools = pools;
    evaluation_options index = lean;
    index.keep = result_contents::index_only();
    const result l = evaluate(fw, data, lean), x = evaluate(fw, data, index);
    const pool_result& lp = l.pools.front();
    const pool_result& xp = x.pools.front();
    CHECK(lp.rank_nodes == std::vector<int>{0, 1, 4});
    CHECK(xp.rank_nodes == std::vector<int>{0});
    CHECK(xp.kept_ranks.cols() == 1);
    CHECK(xp.nodes == lp.nodes);
    for (int node : {0, 1, 4}) {
      CHECK(same_bits(xp.scores.col(xp.column(node)), lp.scores.col(lp.column(node))));
      CHECK(same_bits(x.ranks_of(xp, node), lp.kept_ranks.col(*lp.rank_column(node))));
    }
    const double by_id = x.rank("U00007", "B", xp.grouping), kept = l.rank("U00007", "B", lp.grouping);
    CHECK((by_id == kept || (std::isnan(by_id) && std::isnan(kept))));
  }
}

TEST_CASE("lean results of the all-units pool have the full result's bits: indicators normalised as they are summed") {
  // A lean evaluation of one pool normalises a category's indicators inside its weighted sum
  // instead of writing their columns (src/engine/pool_blocks.cpp, fused_mean_kernel), and falls
  // back to the columns in a block with a missing value. Both must give the full result's bits,
  // over random frameworks, blocks of 2 048 rows, with and without missing values, on 1 and 2 threads.
  std::mt19937 rng(808);
  for (int trial = 0; trial < 30; ++trial) {
    CAPTURE(trial);
    std::vector<std::string> ids = {"a1", "a2", "b1"};
    const framework fw = trial % 3 == 0 ? test::two_category_framework() : random_framework(rng, ids);
    const dataset data = make_random_data(rng, ids, 3000 + rng() % 4000, trial % 2 == 0 ? 0.0 : 0.0005);
    evaluation_options lean;
    lean.pools = {""};
    lean.keep = result_contents::lean();
    lean.threads = 1 + trial % 2;
    evaluation_options full = lean;
    full.keep = {};
    result l, f;
    const std::string lean_error = error_of([&] { l = evaluate(fw, data, lean); });
    const std::string full_error = error_of([&] { f = evaluate(fw, data, full); });
    REQUIRE(lean_error == full_error);
    if (!lean_error.empty()) continue;
    const pool_result& lp = l.pools.front();
    const pool_result& fp = f.pools.front();
    for (int node : lp.nodes) {
      CAPTURE(node);
      CHECK(same_bits(lp.scores.col(lp.column(node)), fp.scores.col(node)));
      CHECK(same_bits(lp.kept_ranks.col(*lp.rank_column(node)), f.ranks_of(fp, node)));
    }
    CHECK(l.warnings().size() == f.warnings().size());
  }
}

TEST_CASE("a plan evaluates many datasets: the same as evaluate() each time") {
  const framework fw = test::two_category_framework();
  const evaluation_plan plan = compile(fw);
  std::mt19937 rng(3);
  for (int k = 0; k < 5; ++k) {
    const dataset data = make_random_data(rng, {"a1", "a2", "b1"}, 50, 0.1);
    const result a = plan.evaluate(data), b = testing::reference_evaluate(fw, data);
    check_same_result(b, a);
  }
  CHECK(plan.model() == fw);
}

// Two results of one evaluation, one of them written over storage that held another: the same
// numbers bit for bit, the same records (every field the evaluation sets) and the same notes.
void check_same_bits_and_records(const result& expected, const result& rewritten) {
  CHECK(expected.unit_ids == rewritten.unit_ids);
  CHECK(expected.excluded == rewritten.excluded);
  REQUIRE(expected.pools.size() == rewritten.pools.size());
  for (std::size_t p = 0; p < expected.pools.size(); ++p) {
    const pool_result& f = expected.pools[p];
    const pool_result& r = rewritten.pools[p];
    CHECK(f.grouping == r.grouping);
    CHECK(f.labels == r.labels);
    CHECK(f.nodes == r.nodes);
    CHECK(f.rank_nodes == r.rank_nodes);
    CHECK(same_bits(f.scores, r.scores));
    CHECK(same_bits(f.kept_ranks, r.kept_ranks));
    CHECK(same_bits(f.normalised, r.normalised));
    CHECK(f.coverage == r.coverage);
    // The records are rewritten in place over the previous call's: every field replaced.
    REQUIRE(f.normalisation.size() == r.normalisation.size());
    for (std::size_t i = 0; i < f.normalisation.size(); ++i) {
      const normalisation_record &a = f.normalisation[i], &b = r.normalisation[i];
      CHECK(a.indicator == b.indicator);
      CHECK(a.pool_label == b.pool_label);
      CHECK(a.fitted.spec == b.fitted.spec);
      CHECK(a.fitted.count == b.fitted.count);
      CHECK(same_bits(Eigen::Vector4d(a.fitted.min, a.fitted.max, a.fitted.mean, a.fitted.sd),
                      Eigen::Vector4d(b.fitted.min, b.fitted.max, b.fitted.mean, b.fitted.sd)));
      CHECK(a.fitted.sorted == b.fitted.sorted);
    }
    REQUIRE(f.weights.size() == r.weights.size());
    for (std::size_t i = 0; i < f.weights.size(); ++i) {
      const weight_record &a = f.weights[i], &b = r.weights[i];
      CHECK(a.node == b.node);
      CHECK(a.pool_label == b.pool_label);
      CHECK(a.children == b.children);
      CHECK(same_bits(a.weights.weights, b.weights.weights));
      CHECK(a.weights.pool == b.weights.pool);
      CHECK(a.weights.method == b.weights.method);
      CHECK(a.weights.note == b.weights.note);
    }
  }
  CHECK(*expected.model == *rewritten.model);
  REQUIRE(expected.notes.size() == rewritten.notes.size());
  for (std::size_t i = 0; i < expected.notes.size(); ++i) {
    const note &a = expected.notes[i], &b = rewritten.notes[i];
    CHECK(std::tie(a.level, a.step, a.pool, a.node, a.unit, a.message) ==
          std::tie(b.level, b.step, b.pool, b.node, b.unit, b.message));
  }
  CHECK(expected.preparation.pools.size() == rewritten.preparation.pools.size());
}

TEST_CASE("evaluate_into over one result gives what a fresh evaluate gives, whatever the result held") {
  // One result written over again and again: sizes growing and shrinking, full and lean
  // contents, one or two poolings, exclusions, random frameworks (some of which fail on their
  // data: then with the same message). Each time the same numbers (bit for bit) and the same
  // records as a fresh plan.evaluate.
  std::mt19937 rng(515);
  result reused;
  for (int trial = 0; trial < 24; ++trial) {
    CAPTURE(trial);
    std::vector<std::string> ids;
    const framework fw = random_framework(rng, ids);
    const evaluation_plan plan = compile(fw);
    const std::size_t n = trial % 3 == 0 ? 3000 + rng() % 2000 : 5 + rng() % 200;
    const dataset data = make_random_data(rng, ids, n, trial % 2 == 0 ? 0.0 : 0.05);
    evaluation_options options;
    options.pools = trial % 2 == 0 ? std::vector<std::string>{""} : std::vector<std::string>{"", "level"};
    if (trial % 3 == 1) options.keep = result_contents::lean();
    if (trial % 4 == 1) options.excluded = {{data.unit_ids()[1], "excluded"}};
    result fresh;
    const std::string fresh_error = error_of([&] { fresh = plan.evaluate(data, options); });
    // After a failed call the result is valid but unspecified; the next call replaces it.
    const std::string reused_error = error_of([&] { plan.evaluate_into(data, reused, options); });
    REQUIRE(fresh_error == reused_error);
    if (!fresh_error.empty()) continue;
    check_same_bits_and_records(fresh, reused);
  }
}

TEST_CASE("a fresh result built on the pools and notes of dropped small results holds nothing of them") {
  // A dropped result with every matrix under 256 KB hands its pools (records, matrices, strings)
  // and notes to the next plan.evaluate (src/engine/recycled_outputs.hpp). Each trial evaluates
  // another framework, size and contents over what the trials before left: it must equal an
  // evaluation into a result of its own storage.
  std::mt19937 rng(4242);
  for (int trial = 0; trial < 30; ++trial) {
    CAPTURE(trial);
    std::vector<std::string> ids;
    const framework fw = random_framework(rng, ids);
    const evaluation_plan plan = compile(fw);
    const dataset data = make_random_data(rng, ids, 5 + rng() % 300, trial % 2 == 0 ? 0.0 : 0.05);
    evaluation_options options;
    options.pools = trial % 3 == 0 ? std::vector<std::string>{"", "level"} : std::vector<std::string>{""};
    if (trial % 4 == 1) options.keep = result_contents::lean();
    if (trial % 4 == 2) options.keep = result_contents::index_only();
    result own, fresh;
    const std::string own_error = error_of([&] { plan.evaluate_into(data, own, options); });
    const std::string fresh_error = error_of([&] { fresh = plan.evaluate(data, options); });
    REQUIRE(own_error == fresh_error);
    if (own_error.empty()) check_same_bits_and_records(own, fresh);
  }
  // The parts are kept: a small result dropped, the next fresh one finds its pools.
  { const result dropped = evaluate(test::two_category_framework(), make_random_data(rng, {"a1", "a2", "b1"}, 20, 0.0)); }
  std::vector<pool_result> pools;
  std::vector<note> notes;
  detail::take_small(pools, notes);
  CHECK(pools.size() == 1);
  CHECK(pools.front().scores.rows() == 20);
  CHECK(pools.front().labels.empty());   // the dataset's grouping column is not held
}

TEST_CASE("exact ties tie whatever the order of the units or of the summation") {
  // Three indicators with equal weights, min-max onto 0-100 over the pool. U1 = (x, y, z)
  // and U2 = (z, x, y) have equal scores in exact arithmetic: (nx + ny + nz)/3 summed in
  // different orders, which in floating point can differ in the last bit. They must share
  // a rank in every order of the units.
  framework fw("index", "ties");
  fw.add_indicator("index", test::indicator("p", 1));
  fw.add_indicator("index", test::indicator("q", 1));
  fw.add_indicator("index", test::indicator("r", 1));
  // Pool min 0 and max 1 on each indicator (U3 and U4), so the normalised values are
  // 100 x the raw values: 0.1, 0.7, 0.3 in three orders.
  Eigen::MatrixXd x(5, 3);
  x << 0.1, 0.7, 0.3,  //
      0.3, 0.1, 0.7,   //
      0, 0, 0,         //
      1, 1, 1,         //
      0.7, 0.3, 0.1;
  std::vector<std::string> units = {"U1", "U2", "U3", "U4", "U5"};
  std::vector<std::size_t> order = {0, 1, 2, 3, 4};
  do {
    Eigen::MatrixXd y(5, 3);
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < 5; ++i) {
      y.row(static_cast<Eigen::Index>(i)) = x.row(static_cast<Eigen::Index>(order[i]));
      ids.push_back(units[order[i]]);
    }
    const result r = evaluate(fw, dataset(ids, {"p", "q", "r"}, y));
    // Competition ranks: U4 first (100), then U1, U2, U5 tied second (36.67), U3 fifth.
    CHECK(r.rank("U4", "index") == 1);
    CHECK(r.rank("U1", "index") == 2);
    CHECK(r.rank("U2", "index") == 2);
    CHECK(r.rank("U5", "index") == 2);
    CHECK(r.rank("U3", "index") == 5);
  } while (std::next_permutation(order.begin(), order.end()));
}

TEST_CASE("ranks move with the units: permuting the rows permutes the ranks") {
  std::mt19937 rng(5);
  const framework fw = test::two_category_framework();
  const dataset data = make_random_data(rng, {"a1", "a2", "b1"}, 300, 0.05);
  std::vector<std::size_t> perm(data.unit_count());
  std::iota(perm.begin(), perm.end(), 0);
  std::shuffle(perm.begin(), perm.end(), rng);
  Eigen::MatrixXd y(data.values().rows(), data.values().cols());
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < perm.size(); ++i) {
    y.row(static_cast<Eigen::Index>(i)) = data.values().row(static_cast<Eigen::Index>(perm[i]));
    ids.push_back(data.unit_ids()[perm[i]]);
  }
  const result a = evaluate(fw, data), b = evaluate(fw, dataset(ids, data.indicator_ids(), y));
  for (const std::string& id : data.unit_ids()) {
    CAPTURE(id);
    const double ra = a.rank(id, "index"), rb = b.rank(id, "index");
    CHECK(((std::isnan(ra) && std::isnan(rb)) || ra == rb));
  }
}

TEST_CASE("a result built on the storage of a destroyed one holds nothing of it") {
  // Destroyed results give their large matrices to the next evaluation
  // of the same size (src/engine/recycled_outputs.hpp), which writes every element before it
  // is read. Storage of exactly the sizes this evaluation needs, filled with a value no score,
  // rank or coverage can take, must leave no trace: the same bits as before it was there.
  std::mt19937 rng(77);
  const framework fw = test::two_category_framework();
  const dataset data = make_random_data(rng, {"a1", "a2", "b1"}, 40000, 0.05);
  evaluation_options options;
  options.pools = {"", "level"};
  options.excluded = {{data.unit_ids()[3], "excluded"}};
  const evaluation_plan plan = compile(fw);
  const result expected = plan.evaluate(data, options);
  const auto n = static_cast<Eigen::Index>(data.unit_count());
  for (int copies = 0; copies < 2; ++copies)   // one per pooling
    for (Eigen::Index cols : {Eigen::Index{6}, Eigen::Index{3}}) {   // nodes; indicators and kept ranks
      Eigen::MatrixXd poisoned = Eigen::MatrixXd::Constant(n, cols, 7777.0);
      Eigen::MatrixXi counts = Eigen::MatrixXi::Constant(n, cols, 7777);
      detail::recycle(poisoned);
      detail::recycle(counts);
      CHECK(poisoned.size() == 0);   // taken: large enough to keep
    }
  const result r = plan.evaluate(data, options);
  CHECK(r.unit_ids == expected.unit_ids);
  REQUIRE(r.pools.size() == expected.pools.size());
  for (std::size_t p = 0; p < r.pools.size(); ++p) {
    CHECK(r.pools[p].labels == expected.pools[p].labels);
    CHECK(same_bits(r.pools[p].scores, expected.pools[p].scores));
    CHECK(same_bits(r.pools[p].kept_ranks, expected.pools[p].kept_ranks));
    CHECK(same_bits(r.pools[p].normalised, expected.pools[p].normalised));
    CHECK(r.pools[p].coverage == expected.pools[p].coverage);
    CHECK((r.pools[p].scores.array() == 7777.0).count() == 0);
  }
}

TEST_CASE("a result shares its plan's framework, and keeps it when the plan is gone") {
  const framework fw = test::two_category_framework();
  result r;
  CHECK(r.model->nodes().empty());   // never null: an empty framework before any evaluation
  {
    const evaluation_plan plan = compile(fw);
    plan.evaluate_into(test::four_units(), r);
    CHECK(r.model.pointer().get() == &plan.model());   // the plan's own: not copied
    const result again = plan.evaluate(test::four_units());
    CHECK(again.model.pointer() == r.model.pointer());
  }
  // The plan is gone; the result still reads its framework (ASan checks the memory).
  CHECK(*r.model == fw);
  CHECK(r.model->at(r.model->index_of("a2")).dir == direction::lower_is_better);
  // A result made by hand copies the framework it is given, once.
  result made;
  made.model = fw;
  CHECK(&*made.model != &fw);
  CHECK(*made.model == fw);
}

TEST_CASE("a result shares its dataset's unit ids and names, and keeps them when the dataset is gone") {
  const evaluation_plan plan = compile(test::two_category_framework());
  result r;
  CHECK(r.unit_ids.empty());   // never null: an empty list before any evaluation
  {
    dataset data = test::four_units();
    data.set_unit_names({"Zone A", "Zone B", "Zone C", "Zone D"});
    plan.evaluate_into(data, r);
    CHECK(r.unit_ids.shares(data.shared_unit_ids()));   // the dataset's own list: not copied
    CHECK(r.unit_names.shares(data.shared_unit_names()));
    const dataset copy = data;   // a copy of the dataset shares the lists too
    CHECK(copy.shared_unit_ids().shares(data.shared_unit_ids()));
  }
  // The dataset is gone; the result still reads its ids (ASan checks the memory).
  CHECK(r.unit_ids == std::vector<std::string>{"u1", "u2", "u3", "u4"});
  CHECK(r.unit_names[2] == "Zone C");
  // Another dataset with other ids, written over the same result: its ids, not the old ones.
  const dataset other({"x", "y"}, {"a1", "a2", "b1"}, Eigen::MatrixXd::Constant(2, 3, 1.0));
  plan.evaluate_into(other, r);
  CHECK(r.unit_ids == std::vector<std::string>{"x", "y"});
  CHECK(r.unit_names == std::vector<std::string>{"x", "y"});   // names default to the ids
  // A list made by hand is copied once; a vector passes where one is read.
  result made;
  made.unit_ids = std::vector<std::string>{"p", "q"};
  const std::vector<std::string>& read = made.unit_ids;
  CHECK(read.size() == 2);
  CHECK(made.unit_ids.at(1) == "q");
}

TEST_CASE("pool labels: the all-units pool's list is shared between results, a grouping's is the data's") {
  const evaluation_plan plan = compile(test::two_category_framework());
  evaluation_options options;
  options.pools = {"", "level"};
  const dataset data = test::four_units();
  const result a = plan.evaluate(data, options), b = plan.evaluate(data, options);
  CHECK(a.pool("").labels == std::vector<std::string>(4, "all"));
  CHECK(a.pool("").labels.shares(b.pool("").labels));   // 10^6 "all" are not written per call
  CHECK(a.pool("level").labels == data.group("level"));
  // Another size: its own list of "all".
  const dataset two({"x", "y"}, {"a1", "a2", "b1"}, Eigen::MatrixXd::Constant(2, 3, 1.0));
  const result c = plan.evaluate(two);
  CHECK(c.pool("").labels == std::vector<std::string>{"all", "all"});
  CHECK(a.pool("").labels.size() == 4);   // the first result's list is unchanged
}

TEST_CASE("a moved-from dataset or result still reads: its ids and framework are empty, not null") {
  const evaluation_plan plan = compile(test::two_category_framework());
  dataset data = test::four_units();
  result r = plan.evaluate(data);
  const dataset moved_data = std::move(data);
  result moved_result = std::move(r);
  CHECK(moved_data.unit_count() == 4);
  CHECK(moved_result.unit_ids.size() == 4);
  // The sources are valid and empty (a list of 0 ids, a framework of 0 nodes), not dangling.
  CHECK(data.unit_count() == 0);   // NOLINT(bugprone-use-after-move): this is the point
  CHECK(data.unit_names().empty());
  CHECK(r.unit_ids.empty());   // NOLINT(bugprone-use-after-move)
  CHECK(r.unit_names.empty());
  CHECK(r.model->nodes().empty());
  result assigned;
  assigned = std::move(moved_result);
  CHECK(assigned.unit_ids.size() == 4);
  CHECK(moved_result.unit_ids.empty());
  CHECK(moved_result.model->nodes().empty());
}
