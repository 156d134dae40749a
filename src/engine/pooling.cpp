#include "engine/pooling.hpp"

#include <algorithm>
#include <limits>
#include <memory>
#include <mutex>
#include <numeric>

#include "engine/fresh_memory.hpp"
#include "engine/parallel.hpp"
#include "engine/pool_blocks.hpp"
#include "engine/pool_fit.hpp"
#include "engine/recycled_outputs.hpp"
#include "engine/scratch.hpp"
#include "model/missing_value.hpp"
#include "parkscore/methods/rank.hpp"

namespace parkscore::detail {

namespace {

// Pools from this many units are ranked over the threads (6 columns of 4 096 keys take about
// 0.3 ms, against a worker's wake-up of about 7 µs).
constexpr std::size_t parallel_rank_units = 4096;
// Rows per block: the columns a block writes (a node each, but for indicators that are
// normalised as they are summed) stay in half of a 1 MB second-level cache between kernels.
// Longer blocks read each indicator column in longer runs, which the prefetchers follow better:
// 6 columns of 8 192 rows took a 10^6-unit lean evaluation from 54-56 to 51-52 ms.
std::size_t block_rows(std::size_t written_columns) {
  constexpr std::size_t budget = std::size_t{1} << 19;   // bytes
  std::size_t rows = 2048;
  while (rows < 8192 && 2 * rows * written_columns * sizeof(double) <= budget) rows *= 2;
  return rows;
}

}  // namespace

pool_partition::pool_partition(const std::vector<std::string>& unit_labels, const std::vector<bool>& is_ranked) {
  reserve_fresh(label_of, unit_labels.size());
  label_of.resize(unit_labels.size());
  for (std::size_t i = 0; i < unit_labels.size(); ++i) {
    std::size_t l = 0;
    while (l < labels.size() && labels[l] != unit_labels[i]) ++l;
    if (l == labels.size()) {
      labels.push_back(unit_labels[i]);
      rows.emplace_back();
      ranked.emplace_back();
      if (l == 0) {   // usually the only label (all units): no regrowth on 10^6 rows
        reserve_fresh(rows[0], unit_labels.size());
        reserve_fresh(ranked[0], unit_labels.size());
      }
    }
    label_of[i] = static_cast<std::uint32_t>(l);
    rows[l].push_back(static_cast<std::uint32_t>(i));
    if (is_ranked[i]) ranked[l].push_back(static_cast<std::uint32_t>(i));
  }
}

pool_partition::pool_partition(const std::string& label, const std::vector<bool>& is_ranked)
    : labels{label}, rows(1), ranked(1) {
  const std::size_t n = is_ranked.size();
  reserve_fresh(label_of, n);
  label_of.assign(n, 0);
  reserve_fresh(rows[0], n);
  rows[0].resize(n);
  std::iota(rows[0].begin(), rows[0].end(), std::uint32_t{0});
  if (std::find(is_ranked.begin(), is_ranked.end(), false) == is_ranked.end()) {
    ranked[0] = rows[0];
    return;
  }
  reserve_fresh(ranked[0], n);
  for (std::size_t i = 0; i < n; ++i)
    if (is_ranked[i]) ranked[0].push_back(static_cast<std::uint32_t>(i));
}

namespace {

// The labels of the one pool of every unit, "all" n times: the last list is kept for the next
// evaluation of as many units, and results share it (10^6 strings are not written per call).
shared_strings all_labels(std::size_t n) {
  static std::mutex& guard = *new std::mutex;
  static shared_strings& last = *new shared_strings;
  {
    const std::lock_guard<std::mutex> lock(guard);
    if (last.size() == n) return last;
  }
  shared_strings built(std::vector<std::string>(n, "all"));
  const std::lock_guard<std::mutex> lock(guard);
  last = built;
  return built;
}

}  // namespace

// The one pool of every unit, each ranked: the same for every evaluation of as many units,
// so the last one built is kept for the next (building it writes 12 bytes a unit: 3 ms for
// 10^6). Never destroyed, like the other caches, so that evaluations at exit still find it.
std::shared_ptr<const pool_partition> whole_pool(std::size_t n) {
  static std::mutex& guard = *new std::mutex;
  static std::shared_ptr<const pool_partition>& last = *new std::shared_ptr<const pool_partition>;
  {
    const std::lock_guard<std::mutex> lock(guard);
    if (last && last->label_of.size() == n) return last;
  }
  auto built = std::make_shared<const pool_partition>("all", std::vector<bool>(n, true));
  const std::lock_guard<std::mutex> lock(guard);
  last = built;
  return built;
}

void evaluate_pooling(const pooling_context& ctx, const raw_columns& raw, const std::string& grouping,
                      pool_result& out) {
  const compiled_plan& plan = ctx.plan;
  const framework& fw = plan.model;
  const std::size_t n = ctx.data.unit_count();
  const std::size_t k = fw.nodes().size();
  const result_contents& keep = ctx.options.keep;
  out.grouping = grouping;
  out.nodes.clear();
  ctx.records = {};
  out.labels = grouping.empty() ? all_labels(n) : shared_strings(ctx.data.group(grouping));
  const std::shared_ptr<const pool_partition> pools =
      !grouping.empty()        ? std::make_shared<const pool_partition>(out.labels, ctx.ranked)
      : ctx.every_unit_ranked ? whole_pool(n)
                              : std::make_shared<const pool_partition>("all", ctx.ranked);
  const pool_partition& part = *pools;
  const fitted_table fitted = fit_pooling(ctx, part, raw, grouping, out);
  out.weights.reserve(plan.aggregate_order.size() * part.labels.size());   // a record per node and label

  // The kept nodes: every node, or the root and its children.
  std::vector<int> kept;
  if (keep.all_nodes) {
    kept.resize(k);
    std::iota(kept.begin(), kept.end(), 0);
  } else {
    kept = plan.top_nodes;
    out.nodes = kept;
  }
  const auto nn = static_cast<Eigen::Index>(n);
  const auto nk = static_cast<Eigen::Index>(kept.size());
  resize_recycled(out.scores, nn, nk);
  if (keep.all_ranks)
    out.rank_nodes = kept;
  else if (keep.category_ranks)
    out.rank_nodes = plan.top_nodes;
  else
    out.rank_nodes.assign(1, 0);   // the root
  resize_recycled(out.coverage, keep.coverage ? nn : 0, keep.coverage ? nk : 0);
  resize_recycled(out.normalised, keep.normalised ? nn : 0, keep.normalised ? static_cast<Eigen::Index>(raw.size()) : 0);
  const bool points = fw.scores.scale == score_scale::points;

  // Full results are written in place; lean ones through per-block buffers.
  const bool whole = plan.needs_whole_pool;
  const int threads = whole || n * raw.size() < parallel_cells ? 1 : ctx.options.threads;
  const std::vector<char> fused = fused_nodes(ctx, part, fitted, out);
  std::size_t written = k;
  if (!fused.empty())
    for (int j : fw.indicators()) written -= fused[static_cast<std::size_t>(fw.at(j).parent)] ? 1 : 0;
  // Blocks of at most block_rows, as many for each thread (5 blocks on 2 threads would leave
  // one idle a fifth of the time). A row's arithmetic does not depend on its block.
  const std::size_t most_rows = block_rows(written);
  std::size_t blocks = whole ? 1 : (std::max<std::size_t>(n, 1) + most_rows - 1) / most_rows;
  const auto workers = static_cast<std::size_t>(thread_count(threads, blocks));
  blocks = (blocks + workers - 1) / workers * workers;
  const std::size_t block = (std::max<std::size_t>(n, 1) + blocks - 1) / blocks;
  blocks = (n + block - 1) / block;
  std::vector<block_findings> findings(blocks);
  parallel_chunks(blocks, threads, [&](std::size_t first_block, std::size_t last_block) {
    // Scratch for one block, set up once per thread and reused across calls (scratch.hpp).
    const std::size_t score_size = keep.all_nodes ? 0 : block * k, share_size = points ? block * k : 0;
    const std::size_t coverage_size = keep.coverage && !keep.all_nodes ? block * k : 0;
    const scratch_lease scratch(score_size + share_size + (coverage_size * sizeof(int) + sizeof(double) - 1) / sizeof(double));
    double* const score_buffer = scratch.data();
    double* const share_buffer = score_buffer + score_size;
    int* const coverage_buffer = reinterpret_cast<int*>(share_buffer + share_size);
    std::vector<int> uniform_coverage(keep.coverage ? k : 0);
    for (std::size_t index = first_block; index < last_block; ++index) {
      block_view b;
      b.begin = index * block;
      b.end = std::min(n, b.begin + block);
      const std::size_t rows = b.size();
      b.score.resize(k);
      for (std::size_t c = 0; c < k; ++c)
        b.score[c] = keep.all_nodes ? out.scores.col(static_cast<Eigen::Index>(c)).data() + b.begin
                                    : score_buffer + c * rows;
      if (keep.coverage) {
        std::fill(uniform_coverage.begin(), uniform_coverage.end(), -1);
        b.uniform_coverage = uniform_coverage.data();
        b.coverage.resize(k);
        for (std::size_t c = 0; c < k; ++c)
          b.coverage[c] = keep.all_nodes ? out.coverage.col(static_cast<Eigen::Index>(c)).data() + b.begin
                                         : coverage_buffer + c * rows;
      }
      if (points) {
        b.share.resize(k);
        for (std::size_t c = 0; c < k; ++c) b.share[c] = share_buffer + c * rows;
      }
      evaluate_block(ctx, part, raw, fitted, fused, grouping, b, out, findings[index]);
      if (!keep.all_nodes)
        for (Eigen::Index c = 0; c < nk; ++c) {
          const auto node_index = static_cast<std::size_t>(kept[static_cast<std::size_t>(c)]);
          std::copy(b.score[node_index], b.score[node_index] + rows, out.scores.col(c).data() + b.begin);
          if (keep.coverage)
            std::copy(b.coverage[node_index], b.coverage[node_index] + rows, out.coverage.col(c).data() + b.begin);
        }
    }
  });

  // Errors and warnings in the order the reference engine meets them.
  std::optional<block_event> error;
  std::vector<block_event> warnings;
  for (block_findings& f : findings) {
    if (f.error && (!error || *f.error < *error)) error = f.error;
    warnings.insert(warnings.end(), f.warnings.begin(), f.warnings.end());
  }
  if (error) rethrow_block_error(ctx, part, grouping, *error);
  if (!whole && keep.records)
    for (int node_index : plan.aggregate_order) record_weights(ctx, node_index, part, grouping, block_view{}, out);
  out.normalisation.resize(ctx.records.normalisation);
  // A whole-pool plan takes its weights from the records it writes: dropped here if not kept.
  out.weights.resize(keep.records ? ctx.records.weights : 0);
  out.records = keep.records;
  flush_warnings(ctx, part, grouping, warnings);

  // Rank the index and its categories (the index only, or every kept node) within each label.
  resize_recycled(out.kept_ranks, nn, static_cast<Eigen::Index>(out.rank_nodes.size()));
  // Unranked units (excluded, or no score) stay NaN: with one label each task clears its own
  // column, over the threads, and only if some unit is not ranked.
  const bool one_label = part.labels.size() == 1;
  if (!one_label) out.kept_ranks.setConstant(nan);
  const std::size_t tasks = out.rank_nodes.size() * part.labels.size();
  const bool by_id = fw.rank_rule.ties == tie_break::unit_id;
  // One task (the index of one pool) shares its sort between the threads instead.
  const int rank_threads = n < parallel_rank_units ? 1 : ctx.options.threads;
  const int sort_threads = tasks == 1 ? rank_threads : 1;
  parallel_for(tasks, rank_threads, [&](std::size_t t) {
    const auto c = static_cast<Eigen::Index>(t / part.labels.size());
    const std::vector<std::uint32_t>& rows = part.ranked[t % part.labels.size()];
    const double* scores = out.scores.col(out.column(out.rank_nodes[static_cast<std::size_t>(c)])).data();
    rank_rows(scores, rows.data(), rows.size(), fw.rank_rule, by_id ? &ctx.data.unit_ids() : nullptr,
              out.kept_ranks.col(c).data(), one_label ? n : 0, sort_threads);
  });
}

}  // namespace parkscore::detail
