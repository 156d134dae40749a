#pragma once
// The inside of uncertainty_engine, shared by the Monte Carlo driver, Sobol and SMAA.

#include <atomic>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <vector>

#include "analysis/sampling.hpp"
#include "analysis/scenario.hpp"
#include "parkscore/analysis/uncertainty.hpp"

namespace parkscore {

/// What a block of rows produced: per row, every base unit's rank (0 = unranked) and score.
struct row_results {
  std::vector<int> ranks;        // units x rows, unit-major within a row
  Eigen::MatrixXd scores;        // units x rows (NaN: unit absent in the row's scenario)
  std::vector<detail::input_draw> draws;
  bool keep_scores = true;       // false: `scores` is left empty (rank statistics only)
};

struct uncertainty_engine::impl {
  framework base;
  dataset data;
  uncertainty_spec spec;
  uncertainty_options options;
  std::string grouping;
  std::shared_ptr<const detail::scenario> nominal;
  std::vector<std::string> unit_ids;
  std::vector<int> nominal_rank;     // per base unit, 0 = unranked
  std::vector<int> pool_size;        // per base unit: ranked units in its pool
  std::unique_ptr<detail::sampler> sampler;
  bool weights_vary = false;
  bool single_scenario = false;      // no choices and no parameters: every row is the nominal scenario
  int smaa_input = -1;               // first simplex weight input
  int smaa_node = -1;                // its node (base index)

  mutable std::shared_mutex cache_mutex;
  mutable std::map<std::vector<int>, std::shared_ptr<const detail::scenario>> cache;

  impl(framework model, dataset d, uncertainty_spec s, uncertainty_options o);

  std::shared_ptr<const detail::scenario> compile(const detail::input_draw& d) const;
  /// Compiles (once) every discrete combination that rows [0, count) of stream_of need.
  template <class StreamOf>
  void prepare(std::size_t count, StreamOf stream_of) const;
  std::shared_ptr<const detail::scenario> lookup(const detail::input_draw& d) const;

  /// Evaluates `count` rows; input i of row r draws from stream stream_of(r, i).
  /// `smaa_weights` (optional) replaces the SMAA node's weights in every row.
  template <class StreamOf>
  void evaluate_rows(std::size_t count, StreamOf stream_of, detail::workspace& ws, row_results& out,
                     const std::vector<double>* smaa_weights = nullptr) const;

  /// Runs `total` rows in blocks over options.threads threads; `work(begin, end, ws)` is
  /// called per block; progress and cancellation are handled here.
  void parallel_blocks(std::size_t total, std::size_t block, unsigned threads, const std::function<void(std::size_t, std::size_t)>& progress,
                       const std::atomic<bool>* cancel,
                       const std::function<void(std::size_t, std::size_t, detail::workspace&, std::size_t)>& work) const;
  unsigned thread_count(unsigned requested = 0) const;
  std::size_t block_size() const;
};

template <class StreamOf>
void uncertainty_engine::impl::prepare(std::size_t count, StreamOf stream_of) const {
  if (spec.choices.empty() || !spec.parameters.empty()) return;
  std::vector<int> choice;
  std::map<std::vector<int>, bool> needed;
  for (std::size_t r = 0; r < count; ++r) {
    sampler->draw_choices([&](std::size_t i) { return stream_of(r, i); }, choice);
    needed.emplace(choice, true);
  }
  for (const auto& [key, unused] : needed) {
    {
      std::shared_lock lock(cache_mutex);
      if (cache.count(key)) continue;
    }
    detail::input_draw d;
    d.choice = key;
    auto s = compile(d);
    std::unique_lock lock(cache_mutex);
    cache.emplace(key, std::move(s));
  }
}

template <class StreamOf>
void uncertainty_engine::impl::evaluate_rows(std::size_t count, StreamOf stream_of, detail::workspace& ws,
                                             row_results& out, const std::vector<double>* smaa_weights) const {
  const std::size_t n = unit_ids.size();
  out.draws.resize(count);
  out.ranks.resize(n * count);   // every row is written whole by rank_replicate
  if (out.keep_scores)
    out.scores.setConstant(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(count),
                           std::numeric_limits<double>::quiet_NaN());
  std::vector<std::shared_ptr<const detail::scenario>> of_row(count);
  sampler->draw_rows(count, stream_of, out.draws, ws.draws);
  for (std::size_t r = 0; r < count; ++r) {
    auto& d = out.draws[r];
    if (smaa_weights) {
      const auto& children = base.at(smaa_node).children;
      for (std::size_t c = 0; c < children.size(); ++c) {
        d.absw[static_cast<std::size_t>(children[c])] = (*smaa_weights)[c];
        d.mult[static_cast<std::size_t>(children[c])] = 1.0;
      }
    }
    of_row[r] = single_scenario ? nominal : lookup(d);
  }
  // Rows sharing a scenario are scored together (one matrix product per group).
  std::vector<std::size_t> order(count);
  for (std::size_t r = 0; r < count; ++r) order[r] = r;
  if (!single_scenario)
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return of_row[a] < of_row[b]; });
  Eigen::MatrixXd& scores = ws.block_scores;
  std::vector<const detail::input_draw*> group;
  for (std::size_t g = 0; g < count;) {
    std::size_t e = g;
    while (e < count && of_row[order[e]] == of_row[order[g]]) ++e;
    const detail::scenario& s = *of_row[order[g]];
    group.clear();
    for (std::size_t i = g; i < e; ++i) group.push_back(&out.draws[order[i]]);
    const auto sn = static_cast<Eigen::Index>(s.n);
    if (!weights_vary) {
      scores = s.nominal.pools[s.pool].scores.col(0).replicate(1, static_cast<Eigen::Index>(e - g));
    } else if (s.fast) {
      detail::score_replicates(s, group, ws, scores);
    } else {
      scores.resize(sn, static_cast<Eigen::Index>(e - g));
      evaluation_options lean = s.options;   // a replicate needs the index scores only
      lean.keep = result_contents::lean();
      for (std::size_t i = 0; i < group.size(); ++i) {
        const result res = detail::evaluate_scenario(detail::weighted_framework(s, *group[i]), data, lean);
        scores.col(static_cast<Eigen::Index>(i)) = res.pools[s.pool].scores.col(0);
      }
    }
    for (std::size_t i = g; i < e; ++i) {
      const std::size_t r = order[i];
      const double* col = scores.col(static_cast<Eigen::Index>(i - g)).data();
      detail::rank_replicate(s, col, ws, out.ranks.data() + r * n, n);   // straight into the row
      if (out.keep_scores)
        for (std::size_t u = 0; u < s.n; ++u) out.scores(static_cast<Eigen::Index>(s.base_unit[u]), static_cast<Eigen::Index>(r)) = col[u];
    }
    g = e;
  }
}

}  // namespace parkscore
