#include "analysis/scenario.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <unordered_map>

#include "analysis/score_kernel.hpp"
#include "engine/fresh_memory.hpp"
#include "parkscore/error.hpp"
#include "model/missing_value.hpp"

namespace parkscore::detail {

namespace {

// Why the weights of this scenario cannot be applied as matrix products ("" if they can).
std::string slow_reason(const framework& fw, const result& r, const pool_result& pool) {
  if (fw.rank_rule.groups == group_scores::global) return "groups rank the all-units scores (ranking.groups global)";
  for (const node& n : fw.nodes()) {
    if (n.is_indicator()) continue;
    if (n.agg.method == aggregation_method::topsis) return fmt::format("node '{}' aggregates by TOPSIS", n.id);
    if (n.rescale.method != rescale_method::none) return fmt::format("node '{}' rescales its score", n.id);
    if (n.agg.zeros != zero_policy::error) return fmt::format("node '{}' declares a zero_policy", n.id);
  }
  for (const auto& rule : r.rules)
    if (rule.weight_set != r.rules.front().weight_set) return "units use different weight sets";
  // One weight vector per node for all labels of the pooling.
  std::map<std::string, const weight_record*> first;
  for (const auto& w : pool.weights) {
    auto [it, fresh] = first.emplace(w.node, &w);
    if (!fresh && !(it->second->weights.weights.array() == w.weights.weights.array()).all())
      return fmt::format("node '{}' derives different weights in different pools", w.node);
  }
  return "";
}

void rounded_keys(const double* scores, std::size_t n, const ranking& rule, std::vector<double>& key) {
  const double scale = rule.round_decimals >= 0 ? std::pow(10.0, rule.round_decimals) : 0.0;
  key.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    double v = scores[i];
    if (std::isnan(v)) {
      key[i] = std::numeric_limits<double>::infinity();   // after every real score; unranked below
      continue;
    }
    if (scale > 0) v = std::round(v * scale) / scale;
    key[i] = rule.order == rank_order::descending ? -v : v;
  }
}
// The power mean's p of a node (aggregate_one's convention).
double power_of(const aggregation& a) {
  switch (a.method) {
    case aggregation_method::geometric: return 0.0;
    case aggregation_method::harmonic: return -1.0;
    case aggregation_method::power: return a.power;
    default: return 1.0;
  }
}

// A child's value on the scale its parent averages: v, log v or v^p (errors as aggregate_one's).
double power_transform(double v, double p, const std::string& node_id) {
  if (p == 1.0) return v;
  if (p <= 0.0 && !(v > 0))
    throw method_error(fmt::format("node '{}': a {} mean needs positive values, got {}", node_id,
                                   p == 0.0 ? "geometric" : "power", v));
  if (p > 0.0 && v < 0)
    throw method_error(fmt::format("node '{}': a power mean with p = {} needs non-negative values, got {}", node_id, p, v));
  // The common powers without a call to pow: each is the correctly rounded result that glibc's
  // pow (correctly rounded since 2.28) also gives, so scores do not move by a bit.
  if (p == 2.0) return v * v;
  if (p == -1.0) return 1.0 / v;
  return p == 0.0 ? std::log(v) : std::pow(v, p);
}

double power_inverse(double mean, double p) {
  if (p == 1.0) return mean;
  if (p == 0.0) return std::exp(mean);
  if (p == 2.0) return std::sqrt(mean);
  if (p == -1.0) return 1.0 / mean;
  return std::pow(mean, 1.0 / p);
}

constexpr std::size_t radix_threshold = 256;   // smaller pools: counting ranks (or a sort from the nominal order)

// Order-preserving map of a sort key to an unsigned integer (-0 and +0 equal, as in ==).
std::uint64_t sortable_bits(double k) {
  if (k == 0) k = 0.0;
  const auto b = std::bit_cast<std::uint64_t>(k);
  return (b >> 63) ? ~b : b | (std::uint64_t{1} << 63);
}

constexpr int digit_bits = 11;   // radix digits: 2048 buckets, the histogram in the L1 cache
constexpr std::uint64_t digit_mask = (1u << digit_bits) - 1;

// The 11-bit digit at `shift` of every item counted into `counts`, then turned into each bucket's
// first slot. False when every item has the same digit (the pass would change nothing).
bool bucket_offsets(const std::vector<std::uint64_t>& bits, int shift, std::vector<std::uint32_t>& counts) {
  counts.assign(std::size_t{1} << digit_bits, 0u);
  for (const std::uint64_t b : bits) ++counts[(b >> shift) & digit_mask];
  if (counts[(bits[0] >> shift) & digit_mask] == bits.size()) return false;
  std::uint32_t sum = 0;
  for (auto& c : counts) {
    const std::uint32_t here = c;
    c = sum;
    sum += here;
  }
  return true;
}

// Large pools whose keys' range is empty or infinite: LSD radix sort on the top 33 bits of the keys (3 stable passes of 11 bits,
// skipping a pass whose digit is shared by all), then an insertion sort by the full key and
// tie key inside each run of equal top bits. Input in tie-key order, so ties stay in it. Result in ws.order.
void radix_order(const std::vector<int>& by_tie, const std::vector<double>& key, const std::vector<int>& tie_key,
                 workspace& ws) {
  const std::size_t n = by_tie.size();
  ws.bits.resize(n);
  ws.bits_tmp.resize(n);
  ws.order.assign(by_tie.begin(), by_tie.end());
  ws.order_tmp.resize(n);
  for (std::size_t i = 0; i < n; ++i) ws.bits[i] = sortable_bits(key[static_cast<std::size_t>(by_tie[i])]);
  for (int shift = 31; shift <= 53; shift += digit_bits) {
    if (!bucket_offsets(ws.bits, shift, ws.counts)) continue;
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t at = ws.counts[(ws.bits[i] >> shift) & digit_mask]++;
      ws.bits_tmp[at] = ws.bits[i];
      ws.order_tmp[at] = ws.order[i];
    }
    ws.bits.swap(ws.bits_tmp);
    ws.order.swap(ws.order_tmp);
  }
  // Runs that share the top 33 bits: order by full key, then tie key.
  for (std::size_t i = 1; i < n; ++i) {
    if ((ws.bits[i] >> 31) != (ws.bits[i - 1] >> 31)) continue;
    const std::uint64_t b = ws.bits[i];
    const int x = ws.order[i];
    std::size_t j = i;
    while (j > 0 && (ws.bits[j - 1] >> 31) == (b >> 31) &&
           (ws.bits[j - 1] > b ||
            (ws.bits[j - 1] == b && tie_key[static_cast<std::size_t>(ws.order[j - 1])] > tie_key[static_cast<std::size_t>(x)]))) {
      ws.bits[j] = ws.bits[j - 1];
      ws.order[j] = ws.order[j - 1];
      --j;
    }
    ws.bits[j] = b;
    ws.order[j] = x;
  }
}
// Large pools, the usual way: each key on fixed point, q = floor((key - lo) * scale) with
// 22 bits below 2^16 units (31 from there), packed with its unit as (q << 32 | unit) and sorted
// by 2 or 3 stable LSD passes of 11 bits; then runs of equal q ordered by the exact key by
// insertion (stable, so ties stay in tie-key order, the input's). Unranked units (NaN scores)
// take the top q and sort last. False, leaving the work to radix_order, when the keys' range is
// empty or not finite.
bool quantised_order(const std::vector<int>& by_tie, const std::vector<double>& key, const double* scores,
                     workspace& ws) {
  const std::size_t n = by_tie.size();
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const int u : by_tie) {
    const double k = key[static_cast<std::size_t>(u)];
    if (std::isnan(scores[static_cast<std::size_t>(u)])) continue;   // key +inf: unranked
    lo = std::min(lo, k);
    hi = std::max(hi, k);
  }
  const int passes = n < (std::size_t{1} << 16) ? 2 : 3;
  const double top = passes == 2 ? 4194303.0 : 2147483647.0;   // 2^22 - 1, 2^31 - 1: the unranked
  const double scale = (top - 1) / (hi - lo);
  if (!(hi > lo) || !std::isfinite(lo) || !std::isfinite(hi) || !std::isfinite(scale) || !(scale > 0)) return false;
  ws.bits.resize(n);
  ws.bits_tmp.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto u = static_cast<std::size_t>(by_tie[i]);
    const double q = std::isnan(scores[u]) ? top : std::min((key[u] - lo) * scale, top - 1);
    ws.bits[i] = std::uint64_t{static_cast<std::uint32_t>(q)} << 32 | static_cast<std::uint32_t>(u);
  }
  for (int d = 0; d < passes; ++d) {
    const int shift = 32 + digit_bits * d;
    if (!bucket_offsets(ws.bits, shift, ws.counts)) continue;
    for (const std::uint64_t b : ws.bits) ws.bits_tmp[ws.counts[(b >> shift) & digit_mask]++] = b;
    ws.bits.swap(ws.bits_tmp);
  }
  ws.order.resize(n);
  for (std::size_t i = 0; i < n; ++i) ws.order[i] = static_cast<int>(static_cast<std::uint32_t>(ws.bits[i]));
  for (std::size_t i = 1; i < n; ++i) {   // equal q: by the exact key, ties in input order
    const std::uint64_t q = ws.bits[i] >> 32;
    if (q != ws.bits[i - 1] >> 32 || q == static_cast<std::uint64_t>(top)) continue;
    const int x = ws.order[i];
    const double kx = key[static_cast<std::size_t>(x)];
    std::size_t j = i;
    while (j > 0 && ws.bits[j - 1] >> 32 == q && key[static_cast<std::size_t>(ws.order[j - 1])] > kx) {
      ws.order[j] = ws.order[j - 1];
      --j;
    }
    ws.order[j] = x;
  }
  return true;
}
}  // namespace

result evaluate_scenario(const framework& model, const dataset& data, const evaluation_options& options) {
  return evaluate(model, data, options);
}

scenario compile_scenario(const framework& model, const dataset& data, const evaluation_options& options,
                          const std::string& grouping, const framework& base,
                          const std::vector<std::string>& base_unit_ids, bool weights_vary,
                          std::optional<result> evaluated) {
  scenario s;
  s.model = model;
  s.options = options;
  if (!s.options.weight_set.empty()) {   // the chosen set becomes the tree's weights, so the records hold them
    s.model = apply_weight_set(s.model, s.options.weight_set);
    s.options.weight_set.clear();
  }
  // Moved, not copied: at 10 000 x 100 a copy of the result cost more than a thousand replicates.
  if (evaluated && options.weight_set.empty())
    s.nominal = std::move(*evaluated);
  else
    s.nominal = evaluate_scenario(s.model, data, s.options);
  s.rule = s.model.rank_rule;
  if (s.rule.method == rank_method::fractional)
    throw method_error("uncertainty analysis: fractional ranks are not supported (rank histograms need whole ranks); "
                       "use competition, dense or ordinal ranking");
  bool found = false;
  for (std::size_t p = 0; p < s.nominal.pools.size(); ++p)
    if (s.nominal.pools[p].grouping == grouping) {
      s.pool = p;
      found = true;
    }
  if (!found) throw error(fmt::format("uncertainty analysis: the evaluation has no pooling '{}'", grouping));
  const pool_result& pool = s.nominal.pools[s.pool];
  pool.require_records("the uncertainty analysis's nominal weights");   // read below and by slow_reason

  std::unordered_map<std::string, std::size_t> base_index;
  for (std::size_t u = 0; u < base_unit_ids.size(); ++u) base_index.emplace(base_unit_ids[u], u);
  s.n = s.nominal.unit_ids.size();
  for (const auto& id : s.nominal.unit_ids) {
    const auto it = base_index.find(id);
    if (it == base_index.end()) throw error(fmt::format("uncertainty analysis: unit '{}' is not in the nominal evaluation", id));
    s.base_unit.push_back(it->second);
  }
  for (const node& n : s.model.nodes()) {
    const auto b = base.find(n.id);
    s.base_node.push_back(b ? *b : -1);
  }

  // Ranking: eligible units by label, each pool in nominal order.
  s.eligible.assign(s.n, true);
  for (const auto& [id, why] : s.nominal.excluded) s.eligible[s.nominal.unit_index(id)] = false;
  s.tie_key.resize(s.n);
  std::iota(s.tie_key.begin(), s.tie_key.end(), 0);
  if (s.rule.ties == tie_break::unit_id) {
    std::vector<int> by_id(s.n);
    std::iota(by_id.begin(), by_id.end(), 0);
    std::sort(by_id.begin(), by_id.end(), [&](int a, int b) {
      return s.nominal.unit_ids[static_cast<std::size_t>(a)] < s.nominal.unit_ids[static_cast<std::size_t>(b)];
    });
    for (std::size_t i = 0; i < s.n; ++i) s.tie_key[static_cast<std::size_t>(by_id[i])] = static_cast<int>(i);
  }
  s.round_scale = s.rule.round_decimals >= 0 ? std::pow(10.0, s.rule.round_decimals) : 0.0;
  std::map<std::string, std::vector<int>> by_label;
  for (std::size_t u = 0; u < s.n; ++u)
    if (s.eligible[u]) by_label[pool.labels[u]].push_back(static_cast<int>(u));
  std::vector<double> key;
  rounded_keys(pool.scores.col(0).data(), s.n, s.rule, key);
  for (auto& [label, members] : by_label) {
    std::sort(members.begin(), members.end(), [&](int a, int b) {
      const auto ua = static_cast<std::size_t>(a), ub = static_cast<std::size_t>(b);
      return key[ua] != key[ub] ? key[ua] < key[ub] : s.tie_key[ua] < s.tie_key[ub];
    });
    std::vector<int> by_tie = members;
    std::sort(by_tie.begin(), by_tie.end(), [&](int a, int b) {
      return s.tie_key[static_cast<std::size_t>(a)] < s.tie_key[static_cast<std::size_t>(b)];
    });
    std::vector<std::size_t> base_units;
    for (int u : members) base_units.push_back(s.base_unit[static_cast<std::size_t>(u)]);
    s.pool_base.push_back(std::move(base_units));
    s.pool_by_tie.push_back(std::move(by_tie));
    s.pool_order.push_back(std::move(members));
  }

  s.slow_reason = weights_vary ? slow_reason(s.model, s.nominal, pool) : "";
  s.fast = s.slow_reason.empty();
  if (!s.fast || !weights_vary) return s;

  // Fast path data.
  s.m = static_cast<std::size_t>(pool.normalised.cols());
  s.n_pad = (s.n + kernel_rows - 1) / kernel_rows * kernel_rows;
  s.power.assign(s.model.nodes().size(), 1.0);
  for (std::size_t k = 0; k < s.model.nodes().size(); ++k) s.power[k] = power_of(s.model.nodes()[k].agg);
  s.flat = !pool.normalised.array().isNaN().any() &&
           std::all_of(s.power.begin(), s.power.end(), [](double p) { return p == 1.0; });
  // The flat path reads Z in the kernel's panels only; the level-by-level path reads zt.
  if (s.flat) s.z_panels = to_panels(pool.normalised, s.n_pad);
  if (!s.flat) {
    s.present = (!pool.normalised.array().isNaN()).cast<double>();
    s.zt = pool.normalised.array().isNaN().select(0.0, pool.normalised);
    for (std::size_t j = 0; j < s.m; ++j) {
      const int ind = s.model.indicators()[j];
      const node& parent = s.model.at(s.model.at(ind).parent);
      for (Eigen::Index i = 0; i < static_cast<Eigen::Index>(s.n); ++i)
        if (s.present(i, static_cast<Eigen::Index>(j)) > 0)
          s.zt(i, static_cast<Eigen::Index>(j)) =
              power_transform(s.zt(i, static_cast<Eigen::Index>(j)), s.power[static_cast<std::size_t>(s.model.at(ind).parent)], parent.id);
    }
  }
  for (std::size_t k = 0; k < s.model.nodes().size(); ++k) {
    const node& nd = s.model.nodes()[k];
    s.node_parent.push_back(nd.parent);
    if (nd.children.empty()) continue;
    s.families.push_back({static_cast<int>(k), s.child_node.size(), s.child_node.size() + nd.children.size()});
    for (int ch : nd.children) {
      s.child_node.push_back(ch);
      s.child_base.push_back(s.base_node[static_cast<std::size_t>(ch)]);
    }
  }
  s.leaf_node.assign(s.model.indicators().begin(), s.model.indicators().end());
  s.nominal_share.assign(s.model.nodes().size(), 1.0);
  for (const auto& w : pool.weights) {
    const node& parent = s.model.at(s.model.index_of(w.node));
    for (std::size_t c = 0; c < parent.children.size(); ++c)
      s.nominal_share[static_cast<std::size_t>(parent.children[c])] = w.weights.weights[static_cast<Eigen::Index>(c)];
  }
  s.scale = s.model.scores.scale == score_scale::points ? s.model.scores.total_points / 100.0 : 1.0;
  s.adjustment.resize(static_cast<Eigen::Index>(s.n));
  for (std::size_t u = 0; u < s.n; ++u) s.adjustment[static_cast<Eigen::Index>(u)] = s.nominal.rule(u).adjustment();
  s.adjusted = (s.adjustment.array() != 0.0).any();
  return s;
}

namespace {
// The weight share of every scenario node among its siblings under draw d (column r of `shares`).
void draw_shares(const scenario& s, const input_draw& d, double* share) {
  for (const auto& f : s.families) {
    double total = 0;
    for (std::size_t i = f.begin; i < f.end; ++i) {
      const auto c = static_cast<std::size_t>(s.child_node[i]);
      const int b = s.child_base[i];
      double w = s.nominal_share[c];
      if (b >= 0) {
        const double a = d.absw[static_cast<std::size_t>(b)];
        if (!std::isnan(a)) w = a;
        w *= d.mult[static_cast<std::size_t>(b)];
      }
      share[c] = w;
      total += w;
    }
    for (std::size_t i = f.begin; i < f.end; ++i) share[static_cast<std::size_t>(s.child_node[i])] /= total;
  }
  share[0] = 1.0;
}
}  // namespace

void score_replicates(const scenario& s, const std::vector<const input_draw*>& draws, workspace& ws,
                      Eigen::MatrixXd& out) {
  const auto r = static_cast<Eigen::Index>(draws.size());
  const auto n = static_cast<Eigen::Index>(s.n);
  const auto k = static_cast<Eigen::Index>(s.model.nodes().size());
  ws.shares.resize(k, r);
  for (Eigen::Index c = 0; c < r; ++c) draw_shares(s, *draws[static_cast<std::size_t>(c)], ws.shares.col(c).data());
  if (s.flat) {
    // Leaf weight = product of shares on the path from the root: index = Z w.
    ws.weights.resize(static_cast<Eigen::Index>(s.m), r);
    for (Eigen::Index c = 0; c < r; ++c) {
      double* share = ws.shares.col(c).data();
      double* weight = ws.weights.col(c).data();
      share[0] = s.scale;
      for (std::size_t j = 1; j < s.node_parent.size(); ++j) share[j] *= share[static_cast<std::size_t>(s.node_parent[j])];
      for (std::size_t j = 0; j < s.m; ++j) weight[j] = share[static_cast<std::size_t>(s.leaf_node[j])];
    }
    resize_fresh(ws.scores, static_cast<Eigen::Index>(s.n_pad), r);
    weighted_sums(s.z_panels.data(), s.n_pad, s.m, ws.weights.data(), static_cast<std::size_t>(r), ws.scores.data());
    out.swap(ws.scores);   // padding rows and all: a copy of 10^4 x 52 scores was a tenth of a block
  } else {
    // Bottom-up: each node's score is the mean over present children with weights renormalised,
    // NaN where the present share is below min_coverage (as aggregate_one does).
    ws.node_scores.resize(static_cast<std::size_t>(k));
    for (Eigen::Index j = k - 1; j >= 0; --j) {
      const node& nd = s.model.at(static_cast<int>(j));
      if (nd.is_indicator()) continue;
      const double p = s.power[static_cast<std::size_t>(j)];
      Eigen::MatrixXd num = Eigen::MatrixXd::Zero(n, r), den = Eigen::MatrixXd::Zero(n, r);
      Eigen::RowVectorXd total = Eigen::RowVectorXd::Zero(r);
      for (int ch : nd.children) {
        const Eigen::RowVectorXd w = ws.shares.row(ch);
        total += w;
        const int col = s.model.indicator_column(ch);
        if (col >= 0) {
          num.noalias() += s.zt.col(col) * w;
          den.noalias() += s.present.col(col) * w;
        } else {
          const Eigen::MatrixXd& sc = ws.node_scores[static_cast<std::size_t>(ch)];
          for (Eigen::Index c = 0; c < r; ++c)
            for (Eigen::Index i = 0; i < n; ++i)
              if (!std::isnan(sc(i, c))) {
                num(i, c) += w[c] * power_transform(sc(i, c), p, nd.id);
                den(i, c) += w[c];
              }
        }
      }
      Eigen::MatrixXd score(n, r);
      for (Eigen::Index c = 0; c < r; ++c)
        for (Eigen::Index i = 0; i < n; ++i)
          score(i, c) = den(i, c) > 0 && !(den(i, c) < nd.agg.min_coverage * total[c])
                            ? power_inverse(num(i, c) / den(i, c), p)
                            : nan;
      ws.node_scores[static_cast<std::size_t>(j)] = std::move(score);
    }
    out = ws.node_scores[0] * s.scale;
  }
  if (s.adjusted) out.topRows(n).colwise() += s.adjustment;
}

namespace {
// Sort key of a score: smaller is better; NaN (unranked) after everything.
inline double sort_key(double v, double scale, bool descending) {
  if (std::isnan(v)) return std::numeric_limits<double>::infinity();
  if (scale > 0) v = std::round(v * scale) / scale;
  return descending ? -v : v;
}

// The tie tolerance of a pool (docs/methods.md §3, as rank_rows): keys closer than 1e-12 of the
// largest |key| tie, each compared with the one before it in sorted order.
double tie_tolerance(const double* key, std::size_t count) {
  double largest = 0;
  for (std::size_t i = 0; i < count; ++i)
    if (std::isfinite(key[i])) largest = std::max(largest, std::abs(key[i]));
  return 1e-12 * largest;
}

// Ranks of one pool from its members (scenario units) sorted by key: runs of keys within the
// tolerance of their predecessor tie; ordinal ranks order a run by tie key, as rank_rows does.
// `unit_key` (optional): every scenario unit's sort key, already computed (rounded_keys).
void ranks_from_order(const scenario& s, std::vector<int>& order, const double* scores, double scale, bool descending,
                      std::vector<double>& key, int* rank, const double* unit_key = nullptr) {
  const std::size_t count = order.size();
  key.resize(count);
  if (unit_key)
    for (std::size_t q = 0; q < count; ++q) key[q] = unit_key[order[q]];
  else
    for (std::size_t q = 0; q < count; ++q) key[q] = sort_key(scores[static_cast<std::size_t>(order[q])], scale, descending);
  const double tolerance = tie_tolerance(key.data(), count);
  // A NaN score has the key +inf (sort_key): only those keys need the score looked up.
  const auto unranked = [&](std::size_t q) {
    return key[q] == std::numeric_limits<double>::infinity() && std::isnan(scores[static_cast<std::size_t>(order[q])]);
  };
  int current = 0, dense = 0;
  for (std::size_t start = 0; start < count;) {
    if (unranked(start)) break;   // NaN keys sort last: unranked
    std::size_t end = start + 1;
    while (end < count && key[end] - key[end - 1] <= tolerance && !unranked(end)) ++end;
    if (s.rule.method == rank_method::ordinal && end - start > 1)
      std::sort(order.begin() + static_cast<std::ptrdiff_t>(start), order.begin() + static_cast<std::ptrdiff_t>(end),
                [&](int a, int b) { return s.tie_key[static_cast<std::size_t>(a)] < s.tie_key[static_cast<std::size_t>(b)]; });
    current = static_cast<int>(start) + 1;
    ++dense;
    for (std::size_t q = start; q < end; ++q)
      rank[s.base_unit[static_cast<std::size_t>(order[q])]] = s.rule.method == rank_method::ordinal ? static_cast<int>(q) + 1
                                                              : s.rule.method == rank_method::dense ? dense
                                                                                                    : current;
    start = end;
  }
}

// Small pools, competition ranks: 1 + the number of members with a smaller key, counted
// branch-free (rank_kernel.inc) on the keys quantised to 16 bits, or if two of those collide on
// the keys rounded to float — exact whenever no two of the reduced keys are equal (nearly every
// replicate). Keys are compared, never subtracted from each other. Returns false when the count
// cannot stand: a score is missing, float keys collide (a tie or near-tie) or two neighbours in
// the counted order lie within the tie tolerance; the caller then sorts.
bool counted_ranks(const scenario& s, std::size_t p, const double* scores, double scale, bool descending, workspace& ws,
                   int* rank) {
  const auto& members = s.pool_order[p];
  const std::size_t count = members.size(), padded = (count + 31) / 32 * 32;
  const std::uint64_t distinct_pairs = count * (count - 1) / 2;
  ws.pool_key.resize(padded);
  const double sign = descending ? -1.0 : 1.0;
  bool missing = false;
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (std::size_t i = 0; i < count; ++i) {
    const double v = scores[static_cast<std::size_t>(members[i])];
    missing |= std::isnan(v);
    const double k = scale > 0 ? sort_key(v, scale, descending) : sign * v;
    ws.pool_key[i] = k;
    lo = std::min(lo, k);
    hi = std::max(hi, k);
  }
  if (missing) return false;   // unranked units: sorted
  ws.smaller.resize(padded);
  // 16 bits: q = floor((key - lo) * 65535 / (hi - lo)) - 32768, monotone in the key.
  const double step = 65535.0 / (hi - lo);
  bool counted = false;
  if (std::isfinite(step) && step > 0) {
    ws.pool_key_short.resize(padded);
    for (std::size_t i = 0; i < count; ++i)
      ws.pool_key_short[i] = static_cast<short>(static_cast<int>(std::min((ws.pool_key[i] - lo) * step, 65535.0)) - 32768);
    counted = count_smaller_short(ws.pool_key_short.data(), count, ws.smaller.data()) == distinct_pairs;
  }
  if (!counted) {
    ws.pool_key_float.resize(padded);
    for (std::size_t i = 0; i < count; ++i) ws.pool_key_float[i] = static_cast<float>(ws.pool_key[i]);
    if (count_smaller_float(ws.pool_key_float.data(), count, ws.smaller.data()) != distinct_pairs) return false;
  }
  // All distinct: the counts are a permutation of 0 .. count - 1, i.e. each key's place in the
  // sorted order. Neighbours closer than the tolerance tie by the rule: leave those to the sort.
  ws.run_key.resize(count);
  for (std::size_t i = 0; i < count; ++i) ws.run_key[static_cast<std::size_t>(ws.smaller[i])] = ws.pool_key[i];
  const double tolerance = 1e-12 * std::max(std::abs(ws.run_key.front()), std::abs(ws.run_key.back()));
  bool near = false;
  for (std::size_t q = 1; q < count; ++q) near |= ws.run_key[q] - ws.run_key[q - 1] <= tolerance;
  if (near) return false;
  const auto& base_units = s.pool_base[p];
  for (std::size_t i = 0; i < count; ++i) rank[base_units[i]] = ws.smaller[i] + 1;
  return true;
}
}  // namespace

void rank_replicate(const scenario& s, const double* scores, workspace& ws, int* rank, std::size_t units) {
  const double scale = s.round_scale;
  const bool descending = s.rule.order == rank_order::descending;
  std::fill_n(rank, units, 0);
  for (std::size_t p = 0; p < s.pool_order.size(); ++p) {
    const auto& members = s.pool_order[p];
    if (members.size() >= radix_threshold) {
      rounded_keys(scores, s.n, s.rule, ws.key);
      if (!quantised_order(s.pool_by_tie[p], ws.key, scores, ws)) radix_order(s.pool_by_tie[p], ws.key, s.tie_key, ws);
      ranks_from_order(s, ws.order, scores, scale, descending, ws.run_key, rank, ws.key.data());
      continue;
    }
    if (s.rule.method == rank_method::competition && counted_ranks(s, p, scores, scale, descending, ws, rank)) continue;
    // Small pools otherwise: insertion sort of (key, tie, unit) entries starting from the nominal
    // order, O(n + inversions) as a weight draw moves few units past each other; a draw that
    // moves many falls back to a full sort.
    auto& e = ws.entries;
    e.resize(members.size());
    for (std::size_t i = 0; i < members.size(); ++i) {
      const auto u = static_cast<std::size_t>(members[i]);
      e[i] = {sort_key(scores[u], scale, descending), s.tie_key[u], members[i]};
    }
    const auto before = [](const rank_entry& a, const rank_entry& b) {
      return a.key < b.key || (a.key == b.key && a.tie < b.tie);
    };
    const std::size_t budget = 8 * e.size() + 64;
    std::size_t moves = 0;
    for (std::size_t i = 1; i < e.size(); ++i) {
      if (!before(e[i], e[i - 1])) continue;
      const rank_entry x = e[i];
      std::size_t j = i;
      do {
        e[j] = e[j - 1];
        --j;
      } while (j > 0 && before(x, e[j - 1]));
      e[j] = x;
      moves += i - j;
      if (moves > budget) {
        std::sort(e.begin(), e.end(), before);
        break;
      }
    }
    ws.order.resize(e.size());
    for (std::size_t q = 0; q < e.size(); ++q) ws.order[q] = e[q].unit;
    ranks_from_order(s, ws.order, scores, scale, descending, ws.run_key, rank);
  }
}

framework weighted_framework(const scenario& s, const input_draw& d) {
  framework fw = s.model;
  for (std::size_t c = 1; c < fw.nodes().size(); ++c) {
    const int b = s.base_node[c];
    if (b < 0) continue;
    const double a = d.absw[static_cast<std::size_t>(b)], f = d.mult[static_cast<std::size_t>(b)];
    if (std::isnan(a) && f == 1.0) continue;
    const node& parent = fw.at(fw.at(static_cast<int>(c)).parent);
    if (parent.weighting.method != weighting_method::fixed)
      throw method_error(fmt::format("node '{}' derives its children's weights from {}: perturbing them needs the "
                                     "fast path (arithmetic aggregation without rescaling)", parent.id,
                                     "data or a matrix"));
    node& child = fw.at(static_cast<int>(c));
    // Shares are relative to siblings, so a replacement share can stand in for the weight field.
    child.weight = (std::isnan(a) ? child.weight : a) * f;
  }
  return fw;
}

}  // namespace parkscore::detail
