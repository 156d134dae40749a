#include "parkscore/analysis/uncertainty.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <exception>
#include <limits>
#include <thread>

#include "analysis/engine_impl.hpp"
#include "analysis/rank_lists.hpp"
#include "analysis/workspace_pool.hpp"
#include "engine/parallel.hpp"
#include "model/huge_pages.hpp"
#include "parkscore/error.hpp"

namespace parkscore {

namespace {
constexpr double fixed_point = 1099511627776.0;   // 2^40: SMAA weight sums are exact integers
// Up to this many units a thread tallies ranks in a dense units x (units + 1) table (slot 0:
// unranked) and hands the counts to the histogram once at the end; larger analyses add rank by rank.
constexpr std::size_t tally_units = 256;

std::vector<double> sibling_shares(const framework& fw, const pool_result& pool) {
  std::vector<double> share(fw.nodes().size(), 1.0);
  for (const auto& w : pool.weights) {
    const node& parent = fw.at(fw.index_of(w.node));
    for (std::size_t c = 0; c < parent.children.size(); ++c)
      share[static_cast<std::size_t>(parent.children[c])] = w.weights.weights[static_cast<Eigen::Index>(c)];
  }
  return share;
}
}  // namespace

void uncertainty_partial::merge(const uncertainty_partial& other) {
  if (replicates == 0 && abs_shift.empty()) {
    *this = other;
    ranks.normalise();
    return;
  }
  if (other.abs_shift.size() != abs_shift.size() || other.first_rank_weight_sum.size() != first_rank_weight_sum.size())
    throw error("uncertainty partials of different analyses cannot be merged");
  replicates += other.replicates;
  ranks.merge(other.ranks);
  for (std::size_t i = 0; i < abs_shift.size(); ++i) abs_shift[i] += other.abs_shift[i];
  for (std::size_t i = 0; i < unranked.size(); ++i) unranked[i] += other.unranked[i];
  for (std::size_t i = 0; i < first_rank_weight_sum.size(); ++i) first_rank_weight_sum[i] += other.first_rank_weight_sum[i];
  for (std::size_t i = 0; i < first_rank_count.size(); ++i) first_rank_count[i] += other.first_rank_count[i];
}

uncertainty_engine::impl::impl(framework model, dataset d, uncertainty_spec s, uncertainty_options o)
    : base(std::move(model)), data(std::move(d)), spec(std::move(s)), options(std::move(o)) {
  if (!(options.interval_lo >= 0 && options.interval_lo <= options.interval_hi && options.interval_hi <= 1))
    throw error(fmt::format("uncertainty: the rank interval [{}, {}] must satisfy 0 <= lo <= hi <= 1",
                            options.interval_lo, options.interval_hi));
  if (options.top < 1 || options.bottom < 1) throw error("uncertainty: top and bottom must be >= 1");
  weights_vary = !spec.weights.empty();
  for (std::size_t i = 0; i < spec.weights.size(); ++i)
    if (spec.weights[i].draw == weight_draw::simplex && smaa_input < 0) {
      smaa_input = static_cast<int>(i);
      smaa_node = base.index_of(spec.weights[i].node);
    }
  // The nominal evaluation fixes the units, the pooling and the Dirichlet centres. Only the
  // analysed pooling is evaluated.
  grouping = options.grouping;
  if (grouping.empty() && !base.pools.empty()) grouping = base.pools.front() == "all" ? "" : base.pools.front();
  if (options.evaluation.pools.empty()) options.evaluation.pools = {grouping};
  // The analysis reads the index's scores and ranks, the weight records and the normalised matrix
  // of each scenario: nothing else is computed (at 10 000 x 100 a full result costs as much as a
  // thousand replicates).
  options.evaluation.keep = {false, false, true, false, false};
  result first = detail::evaluate_scenario(base, data, options.evaluation);
  unit_ids = first.unit_ids;
  std::size_t pool = 0;
  for (std::size_t p = 0; p < first.pools.size(); ++p)
    if (first.pools[p].grouping == grouping) pool = p;
  sampler = std::make_unique<detail::sampler>(base, spec, sibling_shares(base, first.pools.at(pool)), options.seed);
  nominal = std::make_shared<const detail::scenario>(
      detail::compile_scenario(base, data, options.evaluation, grouping, base, unit_ids, weights_vary, std::move(first)));
  nominal_rank.assign(unit_ids.size(), 0);
  pool_size.assign(unit_ids.size(), 0);
  const auto& ranks = nominal->nominal.pools[nominal->pool].kept_ranks;
  for (std::size_t u = 0; u < unit_ids.size(); ++u) {
    const double r = ranks(static_cast<Eigen::Index>(u), 0);
    nominal_rank[u] = std::isnan(r) ? 0 : static_cast<int>(r);
  }
  for (const auto& members : nominal->pool_order)
    for (int u : members) pool_size[nominal->base_unit[static_cast<std::size_t>(u)]] = static_cast<int>(members.size());
  std::vector<int> none(spec.choices.size(), 0);
  if (spec.choices.empty()) cache.emplace(none, nominal);
  single_scenario = spec.choices.empty() && spec.parameters.empty();
}

std::shared_ptr<const detail::scenario> uncertainty_engine::impl::compile(const detail::input_draw& d) const {
  std::vector<framework_edit> edits;
  evaluation_options opts = options.evaluation;
  bool removes = false;
  for (std::size_t c = 0; c < spec.choices.size(); ++c) {
    const choice_option& o = spec.choices[c].options[static_cast<std::size_t>(d.choice[c])];
    for (const auto& e : o.edits) {
      edits.push_back(e);
      removes = removes || e.op == "remove";
    }
    if (!o.weight_set.empty()) opts.weight_set = o.weight_set;
  }
  for (std::size_t p = 0; p < spec.parameters.size(); ++p)
    edits.push_back({"replace", spec.parameters[p].pointer, fmt::format("{:.17g}", d.param[p])});
  if (removes) opts.allow_extra_columns = true;   // a dropped indicator's column stays in the data
  try {
    return std::make_shared<const detail::scenario>(
        detail::compile_scenario(apply_edits(base, edits), data, opts, grouping, base, unit_ids, weights_vary));
  } catch (const error& e) {
    std::string what;
    for (std::size_t c = 0; c < spec.choices.size(); ++c)
      what += fmt::format("{}{}={}", what.empty() ? "" : ", ", spec.choices[c].name,
                          spec.choices[c].options[static_cast<std::size_t>(d.choice[c])].label);
    for (std::size_t p = 0; p < spec.parameters.size(); ++p)
      what += fmt::format("{}{}={:g}", what.empty() ? "" : ", ", spec.parameters[p].name, d.param[p]);
    throw method_error(fmt::format("uncertainty scenario ({}): {}", what, e.what()));
  }
}

std::shared_ptr<const detail::scenario> uncertainty_engine::impl::lookup(const detail::input_draw& d) const {
  if (!spec.parameters.empty()) return compile(d);   // continuous parameters: every row its own framework
  {
    std::shared_lock lock(cache_mutex);
    const auto it = cache.find(d.choice);
    if (it != cache.end()) return it->second;
  }
  auto s = compile(d);
  std::unique_lock lock(cache_mutex);
  return cache.emplace(d.choice, std::move(s)).first->second;
}

unsigned uncertainty_engine::impl::thread_count(unsigned requested) const {
  const unsigned wanted = requested ? requested : options.threads;
  const unsigned t = wanted == 0 ? std::thread::hardware_concurrency() : wanted;
  return std::max(1u, t);
}

std::size_t uncertainty_engine::impl::block_size() const {
  // Enough replicates per block that the matrix product reads Z from memory rarely (once per
  // block), few enough to keep n x block scores (4 MB) in the cache. Statistics are integer
  // counts, so they do not depend on this choice.
  const std::size_t n = std::max<std::size_t>(1, unit_ids.size());
  return std::clamp<std::size_t>((std::size_t{1} << 19) / n, 8, 512);
}

void uncertainty_engine::impl::parallel_blocks(
    std::size_t total, std::size_t block, unsigned requested_threads, const std::function<void(std::size_t, std::size_t)>& progress,
    const std::atomic<bool>* cancel, const std::function<void(std::size_t, std::size_t, detail::workspace&, std::size_t)>& work) const {
  const std::size_t blocks = (total + block - 1) / block;
  const unsigned threads = static_cast<unsigned>(std::min<std::size_t>(thread_count(requested_threads), std::max<std::size_t>(1, blocks)));
  std::atomic<std::size_t> next{0}, done{0};
  std::atomic<bool> stop{false};
  std::exception_ptr failure;
  std::mutex mutex;
  std::condition_variable finished;
  unsigned running = threads;
  auto worker = [&](std::size_t thread) {
    const detail::workspace_lease lease;
    detail::workspace& ws = *lease;
    try {
      for (;;) {
        if (stop.load() || (cancel && cancel->load())) break;
        const std::size_t b = next.fetch_add(1);
        if (b >= blocks) break;
        const std::size_t begin = b * block, end = std::min(total, begin + block);
        work(begin, end, ws, thread);
        done.fetch_add(end - begin);
      }
    } catch (...) {
      std::lock_guard lock(mutex);
      if (!failure) failure = std::current_exception();
      stop = true;
    }
    std::lock_guard lock(mutex);
    --running;
    finished.notify_all();
  };
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(worker, t);
  {
    std::unique_lock lock(mutex);
    while (running > 0) {
      finished.wait_for(lock, std::chrono::milliseconds(50));
      if (progress) {
        lock.unlock();
        progress(done.load(), total);
        lock.lock();
      }
    }
  }
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  if (cancel && cancel->load()) throw cancelled_error("uncertainty analysis cancelled");
  if (progress) progress(done.load(), total);
}

uncertainty_engine::uncertainty_engine(framework model, dataset data, uncertainty_spec spec, uncertainty_options options)
    : impl_(std::make_unique<impl>(std::move(model), std::move(data), std::move(spec), std::move(options))) {}
uncertainty_engine::~uncertainty_engine() = default;
uncertainty_engine::uncertainty_engine(uncertainty_engine&&) noexcept = default;
uncertainty_engine& uncertainty_engine::operator=(uncertainty_engine&&) noexcept = default;

namespace {
// A large pool's ranks, unit-major: unit u's rank in replicate r is at[u * replicates + r]
// (0 = unranked). Blocks write their columns as they finish; the array then becomes the
// histogram's list storage as it is.
struct ranks_by_unit {
  rank_samples at;   // not zeroed: every entry is written by put()
  std::size_t replicates = 0;

  // Replicates [first, first + rows) from `ranks` (rows x units, a replicate per row). A tile of
  // 16 units at a time, so the rows read stay in cache while each unit's run is written.
  void put(std::size_t first, std::size_t rows, std::size_t units, const int* ranks) {
    for (std::size_t u0 = 0; u0 < units; u0 += 16)
      for (std::size_t u = u0; u < std::min(units, u0 + 16); ++u) {
        int* out = at.data() + u * replicates + first;
        for (std::size_t r = 0; r < rows; ++r) out[r] = ranks[r * units + u];
      }
  }
};

// Each unit's replicate ranks into `p`: its unranked count, its absolute rank shifts, and its
// ranks as rank_histogram holds them — counts over its range when it has more ranks than the
// range is wide, else its list, left where it is in the array: ranked entries moved to the
// front, in order, by counting when the range is at most twice the ranks, else by a radix sort.
// Units are independent, so tiles of them run over the threads.
void listed_ranks(ranks_by_unit rows, const std::vector<int>& nominal, unsigned threads, uncertainty_partial& p) {
  const std::size_t n = nominal.size(), reps = rows.replicates;
  constexpr std::size_t tile = 256;
  const std::size_t tiles = (n + tile - 1) / tile;
  std::vector<int> lo(n, 0), hi(n, 0);
  std::vector<std::size_t> present(n, 0);
  detail::parallel_for(tiles, static_cast<int>(threads), [&](std::size_t t) {
    for (std::size_t u = t * tile; u < std::min(n, (t + 1) * tile); ++u) {
      const int* k = rows.at.data() + u * reps;
      int low = std::numeric_limits<int>::max(), high = 0;
      std::size_t ranked = 0;
      std::uint64_t shift = 0;
      for (std::size_t r = 0; r < reps; ++r) {
        if (k[r] == 0) continue;
        low = std::min(low, k[r]);
        high = std::max(high, k[r]);
        ++ranked;
        shift += static_cast<std::uint64_t>(std::abs(k[r] - nominal[u]));
      }
      lo[u] = low;
      hi[u] = high;
      present[u] = ranked;
      p.unranked[u] += reps - ranked;
      if (nominal[u] > 0) p.abs_shift[u] += shift;
    }
  });
  std::vector<rank_histogram::slot> windows(n), lists(n);
  std::size_t cells = 0;
  for (std::size_t u = 0; u < n; ++u) {
    if (present[u] == 0) continue;
    const auto width = static_cast<std::size_t>(hi[u] - lo[u] + 1);
    if (width <= present[u]) {
      windows[u] = {cells, width, width};
      cells += width;
    } else {
      lists[u] = {u * reps, present[u], reps};
    }
  }
  std::vector<std::uint64_t> counts;
  detail::resize_on_huge_pages(counts, cells);
  std::vector<int> starts(n, 0);
  detail::parallel_for(tiles, static_cast<int>(threads), [&](std::size_t t) {
    std::vector<std::uint32_t> spread;
    std::vector<int> scratch;
    for (std::size_t u = t * tile; u < std::min(n, (t + 1) * tile); ++u) {
      int* k = rows.at.data() + u * reps;
      if (windows[u].size > 0) {
        starts[u] = lo[u];
        std::uint64_t* c = counts.data() + windows[u].at;
        for (std::size_t r = 0; r < reps; ++r)
          if (k[r] != 0) ++c[k[r] - lo[u]];
        continue;
      }
      if (lists[u].size == 0) continue;
      const auto width = static_cast<std::size_t>(hi[u] - lo[u] + 1);
      if (width <= 2 * present[u]) {   // counted, then written back in order
        spread.assign(width, 0);
        for (std::size_t r = 0; r < reps; ++r)
          if (k[r] != 0) ++spread[static_cast<std::size_t>(k[r] - lo[u])];
        int* out = k;
        for (std::size_t i = 0; i < width; ++i) out = std::fill_n(out, spread[i], lo[u] + static_cast<int>(i));
        continue;
      }
      if (present[u] < reps) std::remove(k, k + reps, 0);   // the ranked entries to the front
      detail::sort_rank_list(k, present[u], scratch);
    }
  });
  p.ranks = rank_histogram::adopt(std::move(starts), std::move(windows), std::move(counts), std::move(lists),
                                  std::move(rows.at), true);
}
}  // namespace

uncertainty_partial uncertainty_engine::run_range(std::size_t begin, std::size_t end) const {
  return run_range(begin, end, run_control{0, impl_->options.progress, impl_->options.cancel});
}

uncertainty_partial uncertainty_engine::run_range(std::size_t begin, std::size_t end, const run_control& control) const {
  const impl& m = *impl_;
  if (end < begin) throw error(fmt::format("uncertainty: replicate range [{}, {}) is empty", begin, end));
  const std::size_t n = m.unit_ids.size(), total = end - begin;
  const std::size_t smaa_c = m.smaa_node >= 0 ? m.base.at(m.smaa_node).children.size() : 0;
  m.prepare(total, [&](std::size_t r, std::size_t) { return static_cast<std::uint64_t>(begin + r); });
  std::vector<uncertainty_partial> parts(m.thread_count(control.threads));
  for (auto& p : parts) {
    p.ranks = rank_histogram(n);
    p.abs_shift.assign(n, 0);
    p.unranked.assign(n, 0);
    p.first_rank_weight_sum.assign(n * smaa_c, 0);
    p.first_rank_count.assign(m.smaa_node >= 0 ? n : 0, 0);
  }
  std::vector<row_results> rows(parts.size());
  const bool tally = n <= tally_units;
  std::vector<std::vector<std::uint64_t>> tallies(parts.size());
  // Large pools: every block writes its replicates' ranks into one unit-major array, which
  // becomes the histogram's list storage (listed_ranks).
  ranks_by_unit by_unit;
  if (!tally) {
    by_unit.replicates = total;
    detail::resize_on_huge_pages(by_unit.at, n * total);
  }
  m.parallel_blocks(total, m.block_size(), control.threads, control.progress, control.cancel, [&](std::size_t b, std::size_t e, detail::workspace& ws, std::size_t t) {
    row_results& out = rows[t];
    out.keep_scores = false;
    uncertainty_partial& p = parts[t];
    m.evaluate_rows(e - b, [&](std::size_t r, std::size_t) { return static_cast<std::uint64_t>(begin + b + r); }, ws, out);
    if (tally && tallies[t].empty()) tallies[t].assign(n * (n + 1), 0);
    for (std::size_t r = 0; r < e - b; ++r) {
      const int* rank = out.ranks.data() + r * n;
      if (tally) {
        std::uint64_t* row = tallies[t].data();
        for (std::size_t u = 0; u < n; ++u, row += n + 1) ++row[rank[u]];
      }
      if (smaa_c > 0) {
        const auto& d = out.draws[r];
        const auto& children = m.base.at(m.smaa_node).children;
        double total_w = 0;
        std::vector<double> w(smaa_c);
        for (std::size_t c = 0; c < smaa_c; ++c) {
          const auto ch = static_cast<std::size_t>(children[c]);
          w[c] = (std::isnan(d.absw[ch]) ? 1.0 : d.absw[ch]) * d.mult[ch];
          total_w += w[c];
        }
        for (std::size_t u = 0; u < n; ++u)
          if (rank[u] == 1) {
            ++p.first_rank_count[u];
            for (std::size_t c = 0; c < smaa_c; ++c)
              p.first_rank_weight_sum[u * smaa_c + c] += std::llround(w[c] / total_w * fixed_point);
          }
      }
    }
    if (!tally) by_unit.put(b, e - b, n, out.ranks.data());
    p.replicates += e - b;
  });
  for (std::size_t t = 0; t < tallies.size(); ++t) {
    if (tallies[t].empty()) continue;
    uncertainty_partial& p = parts[t];
    for (std::size_t u = 0; u < n; ++u) {
      const std::uint64_t* row = tallies[t].data() + u * (n + 1);
      p.unranked[u] += row[0];
      for (std::size_t k = 1; k <= n; ++k) {
        if (row[k] == 0) continue;
        p.ranks.add(u, static_cast<int>(k), row[k]);
        if (m.nominal_rank[u] > 0)
          p.abs_shift[u] += row[k] * static_cast<std::uint64_t>(std::abs(static_cast<int>(k) - m.nominal_rank[u]));
      }
    }
  }
  if (!tally) listed_ranks(std::move(by_unit), m.nominal_rank, static_cast<unsigned>(parts.size()), parts.front());
  // The first thread's partial is moved, not copied: with large pools it holds every rank.
  uncertainty_partial merged = std::move(parts.front());
  merged.ranks.normalise();
  for (std::size_t t = 1; t < parts.size(); ++t) merged.merge(parts[t]);
  return merged;
}

rank_statistics uncertainty_engine::statistics(const uncertainty_partial& partial) const {
  const impl& m = *impl_;
  const std::size_t n = m.unit_ids.size();
  if (partial.abs_shift.size() != n) throw error("uncertainty statistics: the partial belongs to another analysis");
  rank_statistics s;
  s.unit_ids = m.unit_ids;
  s.pool_labels = m.nominal->nominal.pools[m.nominal->pool].labels;
  s.interval_lo_q = m.options.interval_lo;
  s.interval_hi_q = m.options.interval_hi;
  s.top = m.options.top;
  s.bottom = m.options.bottom;
  const auto N = static_cast<Eigen::Index>(n);
  s.pool_size.resize(N);
  for (auto* v : {&s.nominal_score, &s.nominal_rank, &s.mean_rank, &s.median_rank, &s.interval_lo, &s.interval_hi, &s.p_top,
                  &s.p_bottom, &s.mean_abs_shift, &s.unranked_share})
    v->resize(N);
  const auto& pool = m.nominal->nominal.pools[m.nominal->pool];
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const auto fill = [&](std::size_t u) {
    const auto i = static_cast<Eigen::Index>(u);
    const std::uint64_t ranked = partial.ranks.total(u);
    s.pool_size[i] = m.pool_size[u];
    s.nominal_score[i] = pool.scores(i, 0);
    s.nominal_rank[i] = m.nominal_rank[u] > 0 ? m.nominal_rank[u] : nan;
    s.mean_rank[i] = partial.ranks.mean(u);
    s.median_rank[i] = partial.ranks.quantile(u, 0.5);
    s.interval_lo[i] = partial.ranks.quantile(u, m.options.interval_lo);
    s.interval_hi[i] = partial.ranks.quantile(u, m.options.interval_hi);
    s.p_top[i] = partial.ranks.share_at_most(u, m.options.top);
    s.p_bottom[i] = m.pool_size[u] > 0 ? partial.ranks.share_at_least(u, m.pool_size[u] - m.options.bottom + 1) : nan;
    s.mean_abs_shift[i] = ranked > 0 && m.nominal_rank[u] > 0
                              ? static_cast<double>(partial.abs_shift[u]) / static_cast<double>(ranked)
                              : nan;
    s.unranked_share[i] = partial.replicates > 0 ? static_cast<double>(partial.unranked[u]) / static_cast<double>(partial.replicates) : nan;
  };
  // Units are independent (each writes its own entries): tiles of them run over the threads.
  constexpr std::size_t tile = 512;
  detail::parallel_for((n + tile - 1) / tile, static_cast<int>(m.thread_count()), [&](std::size_t t) {
    for (std::size_t u = t * tile; u < std::min(n, (t + 1) * tile); ++u) fill(u);
  });
  return s;
}

uncertainty_result uncertainty_engine::run() const {
  uncertainty_result r;
  r.partial = run_range(0, impl_->options.replicates);
  r.stats = statistics(r.partial);
  r.scenarios = scenario_count();
  r.fast_path = fast_path();
  return r;
}

smaa_result uncertainty_engine::smaa(const uncertainty_partial& partial) const {
  const impl& m = *impl_;
  if (m.smaa_node < 0) throw error("SMAA needs a weights input with distribution \"simplex\"");
  const std::size_t n = m.unit_ids.size();
  const auto& children = m.base.at(m.smaa_node).children;
  const std::size_t c = children.size();
  smaa_result out;
  out.node = m.base.at(m.smaa_node).id;
  for (int ch : children) out.criteria.push_back(m.base.at(ch).id);
  int max_rank = 0;
  for (std::size_t u = 0; u < n; ++u) max_rank = std::max(max_rank, partial.ranks.max_rank(u));
  const double reps = static_cast<double>(partial.replicates);
  out.acceptability = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(n), max_rank);
  for (std::size_t u = 0; u < n; ++u)
    for (int r = 1; r <= max_rank; ++r)
      out.acceptability(static_cast<Eigen::Index>(u), r - 1) = static_cast<double>(partial.ranks.count(u, r)) / reps;
  out.central_weights = Eigen::MatrixXd::Constant(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(c),
                                                  std::numeric_limits<double>::quiet_NaN());
  out.confidence = Eigen::VectorXd::Constant(static_cast<Eigen::Index>(n), std::numeric_limits<double>::quiet_NaN());
  // Confidence factors: the other inputs drawn as in the analysis; with none, one evaluation decides.
  const std::size_t reps_conf = m.spec.input_count() == 1 ? 1 : std::max<std::size_t>(1, partial.replicates);
  for (std::size_t u = 0; u < n; ++u) {
    const std::uint64_t first = partial.first_rank_count[u];
    if (first == 0) continue;
    std::vector<double> w(c);
    for (std::size_t k = 0; k < c; ++k) {
      w[k] = static_cast<double>(partial.first_rank_weight_sum[u * c + k]) / fixed_point / static_cast<double>(first);
      out.central_weights(static_cast<Eigen::Index>(u), static_cast<Eigen::Index>(k)) = w[k];
    }
    std::vector<std::uint64_t> hits(m.thread_count(), 0);
    std::vector<row_results> rows(hits.size());
    m.parallel_blocks(reps_conf, m.block_size(), 0, nullptr, m.options.cancel, [&](std::size_t b, std::size_t e, detail::workspace& ws, std::size_t t) {
      m.evaluate_rows(e - b, [&](std::size_t r, std::size_t) { return static_cast<std::uint64_t>(b + r); }, ws, rows[t], &w);
      for (std::size_t r = 0; r < e - b; ++r) hits[t] += rows[t].ranks[r * n + u] == 1 ? 1 : 0;
    });
    std::uint64_t total = 0;
    for (auto h : hits) total += h;
    out.confidence[static_cast<Eigen::Index>(u)] = static_cast<double>(total) / static_cast<double>(reps_conf);
  }
  return out;
}

Eigen::MatrixXd uncertainty_engine::scores_for_streams(const std::vector<std::vector<std::uint64_t>>& streams) const {
  const impl& m = *impl_;
  for (const auto& row : streams)
    if (row.size() != m.spec.input_count())
      throw error(fmt::format("scores_for_streams: a row has {} streams for {} inputs", row.size(), m.spec.input_count()));
  auto stream_of = [&](std::size_t r, std::size_t i) { return streams[r][i]; };
  m.prepare(streams.size(), stream_of);
  detail::workspace ws;
  row_results out;
  m.evaluate_rows(streams.size(), stream_of, ws, out);
  return out.scores;
}

Eigen::MatrixXd uncertainty_engine::rank_columns(const Eigen::MatrixXd& scores) const {
  const impl& m = *impl_;
  const detail::scenario& s = *m.nominal;
  if (scores.rows() != static_cast<Eigen::Index>(s.n)) throw error("rank_columns: one row per unit expected");
  detail::workspace ws;
  std::vector<int> rank(s.n);
  Eigen::MatrixXd out(scores.rows(), scores.cols());
  for (Eigen::Index c = 0; c < scores.cols(); ++c) {
    const Eigen::VectorXd col = scores.col(c);
    detail::rank_replicate(s, col.data(), ws, rank.data(), rank.size());
    for (std::size_t u = 0; u < s.n; ++u)
      out(static_cast<Eigen::Index>(u), c) = rank[u] > 0 ? rank[u] : std::numeric_limits<double>::quiet_NaN();
  }
  return out;
}

const result& uncertainty_engine::nominal() const { return impl_->nominal->nominal; }
const std::vector<std::string>& uncertainty_engine::unit_ids() const { return impl_->unit_ids; }
std::size_t uncertainty_engine::input_count() const { return impl_->spec.input_count(); }
std::vector<std::string> uncertainty_engine::input_names() const { return impl_->spec.input_names(); }
const uncertainty_options& uncertainty_engine::options() const { return impl_->options; }
bool uncertainty_engine::fast_path() const { return !impl_->weights_vary || impl_->nominal->fast; }
std::size_t uncertainty_engine::scenario_count() const {
  std::shared_lock lock(impl_->cache_mutex);
  return impl_->cache.size();
}

uncertainty_result run_uncertainty(const framework& model, const dataset& data, const uncertainty_spec& spec,
                                   const uncertainty_options& options) {
  return uncertainty_engine(model, data, spec, options).run();
}

}  // namespace parkscore
