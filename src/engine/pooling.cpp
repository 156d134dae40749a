#include "engine/pooling.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <atomic>
#include <limits>
#include <numeric>
#include <tuple>

#include "engine/column_kernels.hpp"
#include "engine/fresh_memory.hpp"
#include "engine/parallel.hpp"
#include "engine/recycled_outputs.hpp"
#include "engine/scratch.hpp"
#include "parkscore/error.hpp"
#include "parkscore/methods/aggregate.hpp"
#include "parkscore/methods/clip_check.hpp"
#include "parkscore/methods/normalise.hpp"
#include "parkscore/methods/rank.hpp"
#include "prepare/preparation_names.hpp"
#include "model/missing_value.hpp"

namespace parkscore::detail {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();
// Pools from this many units are ranked over the threads (6 columns of 4 096 keys take about
// 0.3 ms, against a worker's wake-up of about 7 µs).
constexpr std::size_t parallel_rank_units = 4096;
// Rows per block: the block's columns of every node stay in the cache between kernels.
constexpr std::size_t block_rows = 2048;

// The next record of a pooling: the reused result's one at that place, or a new one.
template <class Record>
Record& next_record(std::vector<Record>& records, std::size_t& used) {
  if (used == records.size()) records.emplace_back();
  return records[used++];
}

// ---------------------------------------------------------------------------------------
// Fit: one pass per indicator column gives every pool label's statistics.

// What the domain check needs of a label's values (all units, clipped).
struct domain_summary {
  double min = infinity;
  double max = -infinity;
  bool has_zero = false;
  bool has_nonfinite = false;
};

// One column's pass: per label, the statistics of its ranked units and the domain summary
// of all its units (views into tables of every column, so a pass allocates nothing).
struct column_pass {
  column_stats* stats;
  domain_summary* domain;
};

void scan_column(const double* x, const column_summary* known, const normalisation& spec,
                 const pool_partition& part, const std::vector<bool>& ranked, column_pass pass) {
  const std::size_t labels = part.labels.size();
  const double lo = spec.clip_lo.value_or(-infinity), hi = spec.clip_hi.value_or(infinity);
  if (labels == 1 && part.ranked[0].size() == part.label_of.size()) {   // one pool, every unit ranked
    column_stats& s = pass.stats[0];
    // One vectorised pass; its sum is NaN if any value is missing.
    const column_summary summary = known ? *known : summarise_column(x, part.label_of.size());
    if (!spec.clip_lo && !spec.clip_hi && !std::isnan(summary.sum) && !part.label_of.empty()) {
      s.count = part.label_of.size();
      s.min = summary.min;
      s.max = summary.max;
      s.sum = summary.sum;
      s.sum_squares = summary.sum_squares;
    } else {
      for (std::size_t i = 0; i < part.label_of.size(); ++i) {
        const double v = x[i];
        s.add(v, v < lo ? lo : (v > hi ? hi : v));   // NaN skipped by add
      }
    }
    // Every unit is a reference unit: the domain summary is the statistics' own.
    domain_summary& d = pass.domain[0];
    d.min = s.min;
    d.max = s.max;
    d.has_nonfinite = s.count > 0 && (!std::isfinite(s.min) || !std::isfinite(s.max));
    d.has_zero = s.count > 0 && s.min <= 0 && s.max >= 0;   // may be a zero: the exact check decides
    return;
  }
  for (std::size_t i = 0; i < part.label_of.size(); ++i) {
    const double v = x[i];
    if (std::isnan(v)) continue;
    const double c = v < lo ? lo : (v > hi ? hi : v);
    const std::uint32_t l = part.label_of[i];
    domain_summary& d = pass.domain[l];
    d.min = std::min(d.min, c);
    d.max = std::max(d.max, c);
    d.has_zero = d.has_zero || c == 0;
    d.has_nonfinite = d.has_nonfinite || !std::isfinite(c);
    if (ranked[i]) pass.stats[l].add(v, c);
  }
}

// Sum of squared deviations about the mean, over the label's ranked rows in order (z_score).
double centred_squares(const double* x, const normalisation& spec, const std::vector<std::uint32_t>& rows,
                       const column_stats& stats) {
  const double mean = stats.sum / static_cast<double>(stats.count);
  double ss = 0.0;
  for (std::uint32_t i : rows) {
    const double c = clip_value(x[i], spec);
    if (!std::isnan(c)) ss += (c - mean) * (c - mean);
  }
  return ss;
}

// A quick test on the label's range; where it says maybe, domain_problem checks every value.
bool may_be_outside_domain(const domain_summary& d, const normalisation& spec, direction) {
  if (d.has_nonfinite) return true;
  switch (spec.method) {
    case normalisation_method::none:
      return std::max(std::abs(d.min), std::abs(d.max)) > 1e200;
    case normalisation_method::efficacy_anchored:
      return true;   // the score of a fixed scale must itself be a double
    case normalisation_method::goalposts:
      return true;
    case normalisation_method::ratio_to_max:
      return d.min < 0;
    case normalisation_method::ratio_to_pool:
      return d.min <= 0;
    case normalisation_method::ratio_to_benchmark:
      return true;
    default:
      return false;
  }
}

// Whether a method can move raw values to a bound (clip, cap, clamp): bounded_share_warning's cases.
bool may_bound(const normalisation& s) {
  return s.clip_lo || s.clip_hi || (s.method == normalisation_method::ratio_to_benchmark && s.cap) ||
         ((s.method == normalisation_method::goalposts || s.method == normalisation_method::efficacy_anchored) &&
          s.clamp);
}

// The fitted normaliser of every (indicator, label); null where the pool has no value.
// Each points into the pool's normalisation records (reserved first, so the pointers hold).
struct fitted_table {
  std::size_t labels = 0;
  std::vector<const fitted_normaliser*> fitted;   // [indicator * labels + label]
  const fitted_normaliser* operator()(std::size_t j, std::size_t l) const { return fitted[j * labels + l]; }
};

fitted_table fit_pooling(const pooling_context& ctx, const pool_partition& part, const raw_columns& raw,
                         const std::string& grouping, pool_result& out) {
  const framework& fw = ctx.plan.model;
  const std::size_t m = raw.size(), labels = part.labels.size();
  std::vector<column_stats> stats(m * labels);
  std::vector<domain_summary> domains(m * labels);
  std::vector<column_pass> passes(m);
  for (std::size_t j = 0; j < m; ++j) passes[j] = {&stats[j * labels], &domains[j * labels]};
  parallel_for(m, part.label_of.size() * m < parallel_cells ? 1 : ctx.options.threads, [&](std::size_t j) {
    const node& ind = fw.at(fw.indicators()[j]);
    const column_summary* known = ctx.summaries.empty() ? nullptr : &ctx.summaries[j];
    scan_column(raw[j], known, ind.norm, part, ctx.ranked, passes[j]);
    if (ind.norm.method == normalisation_method::z_score)
      for (std::size_t l = 0; l < labels; ++l)
        if (passes[j].stats[l].count > 0)
          passes[j].stats[l].centred_squares = centred_squares(raw[j], ind.norm, part.ranked[l], passes[j].stats[l]);
  });

  // In the order of the record: label by label, indicator by indicator.
  fitted_table fitted{labels, std::vector<const fitted_normaliser*>(m * labels, nullptr)};
  out.normalisation.reserve(m * labels);   // the records' addresses hold
  for (std::size_t l = 0; l < labels; ++l) {
    const std::string& label = part.labels[l];
    const std::string where = pool_name(grouping, label);
    for (std::size_t j = 0; j < m; ++j) {
      const node& ind = fw.at(fw.indicators()[j]);
      if (may_be_outside_domain(passes[j].domain[l], ind.norm, ind.dir))
        for (std::uint32_t i : part.rows[l])
          if (const std::string problem = domain_problem(raw[j][i], ind.norm, ind.dir); !problem.empty())
            throw data_error(fmt::format("indicator '{}', unit '{}': {} ({} normalisation)", ind.id,
                                         ctx.data.unit_ids()[i], problem, to_string(ind.norm.method)));
      std::optional<normalisation> with_benchmark;   // a copy only where the previous year sets it
      if (ind.norm.benchmark_factor) {
        with_benchmark = ind.norm;
        with_benchmark->benchmark = previous_year_benchmark(ctx.previous, ind, grouping, label);
      }
      const normalisation& spec = with_benchmark ? *with_benchmark : ind.norm;
      fitted_normaliser f;
      try {
        if (needs_sorted_values(spec.method)) {
          Eigen::VectorXd reference(static_cast<Eigen::Index>(part.ranked[l].size()));
          for (std::size_t r = 0; r < part.ranked[l].size(); ++r)
            reference[static_cast<Eigen::Index>(r)] = raw[j][part.ranked[l][r]];
          f = fit_normaliser(reference, spec, ind.dir);
        } else if (auto plain = fit_from_stats(passes[j].stats[l], spec, ind.dir)) {
          f = std::move(*plain);
        } else {   // statistics beyond a double's range: fitted from the values, scaled
          Eigen::VectorXd reference(static_cast<Eigen::Index>(part.ranked[l].size()));
          for (std::size_t r = 0; r < part.ranked[l].size(); ++r)
            reference[static_cast<Eigen::Index>(r)] = raw[j][part.ranked[l][r]];
          f = fit_normaliser(reference, spec, ind.dir);
        }
      } catch (const method_error&) {
        ctx.notes.push_back({severity::warning, "normalise", where, ind.id, "",
                             "no value in this pool: the indicator is missing for all its units"});
        continue;
      }
      if (f.zero_range)
        ctx.notes.push_back({severity::warning, "normalise", where, ind.id, "",
                             fmt::format("all {} values equal ({}): the defined constant case applies", f.count,
                                         f.min)});
      // A clip, cap or floor that moves many values: the data may be on another scale.
      if (may_bound(spec)) {
        Eigen::VectorXd reference(static_cast<Eigen::Index>(part.ranked[l].size()));
        for (std::size_t r = 0; r < part.ranked[l].size(); ++r)
          reference[static_cast<Eigen::Index>(r)] = raw[j][part.ranked[l][r]];
        if (auto bounded = bounded_share_warning(f, reference, "", ""))
          ctx.notes.push_back({severity::warning, "normalise", where, ind.id, "", *bounded});
      }
      normalisation_record& record = next_record(out.normalisation, ctx.records.normalisation);
      record.indicator = ind.id;
      record.pool_label = label;
      record.fitted = std::move(f);
      fitted.fitted[j * labels + l] = &record.fitted;
    }
  }
  return fitted;
}

// ---------------------------------------------------------------------------------------
// Apply and aggregate, one block of rows at a time.

// Where a block's values of one node live: rows [begin, end) of a column.
struct block_view {
  std::size_t begin = 0, end = 0;
  std::vector<double*> score;     // per node
  std::vector<int*> coverage;     // per node (empty: coverage not kept)
  std::vector<double*> share;     // per node: weight share among siblings, then of the total (points only)
  std::size_t size() const { return end - begin; }
};

// A problem found in a block, ordered as the reference engine meets them: node by node
// (aggregation order), then label, then unit.
struct block_event {
  std::size_t node_position = 0;
  std::uint32_t label = 0;
  std::size_t row = 0;
  std::string message;   // empty: a coverage warning
  bool operator<(const block_event& o) const {
    return std::tie(node_position, label, row) < std::tie(o.node_position, o.label, o.row);
  }
};

struct block_findings {
  std::vector<block_event> warnings;           // scores missing for low coverage
  std::optional<block_event> error;            // the first method_error
};

bool row_local(const compiled_plan& plan, const node& n) {
  return !plan.needs_whole_pool ||
         (n.weighting.method == weighting_method::fixed && n.agg.method != aggregation_method::topsis &&
          n.rescale.method == rescale_method::none);
}

void normalise_block(const pooling_context& ctx, const pool_partition& part, const raw_columns& raw,
                     const fitted_table& fitted, const block_view& b, pool_result& out) {
  const framework& fw = ctx.plan.model;
  const bool one_pool = part.labels.size() == 1;
  for (std::size_t j = 0; j < raw.size(); ++j) {
    double* column = b.score[static_cast<std::size_t>(fw.indicators()[j])];
    if (one_pool) {
      if (fitted(j, 0))
        fitted(j, 0)->apply_range(raw[j] + b.begin, column, b.size());
      else
        std::fill(column, column + b.size(), nan);
    } else {
      for (std::size_t l = 0; l < part.labels.size(); ++l) {
        const std::vector<std::uint32_t>& rows = part.rows[l];
        const auto first = std::lower_bound(rows.begin(), rows.end(), static_cast<std::uint32_t>(b.begin));
        const auto last = std::lower_bound(first, rows.end(), static_cast<std::uint32_t>(b.end));
        if (first == last) continue;
        if (fitted(j, l))
          fitted(j, l)->apply_rows(raw[j], column, &*first, static_cast<std::size_t>(last - first), b.begin);
        else
          for (auto it = first; it != last; ++it) column[*it - b.begin] = nan;
      }
    }
    // Before any points scaling: the normalised values themselves.
    if (out.normalised.size() > 0)
      std::copy(column, column + b.size(), out.normalised.col(static_cast<Eigen::Index>(j)).data() + b.begin);
    if (!b.coverage.empty()) {
      int* cov = b.coverage[static_cast<std::size_t>(fw.indicators()[j])];
      for (std::size_t r = 0; r < b.size(); ++r) cov[r] = std::isnan(column[r]) ? 0 : 1;
    }
  }
}

// The weight record of node k in every label (the tree's weights for a fixed weighting).
void record_weights(const pooling_context& ctx, int k, const pool_partition& part, const std::string& grouping,
                    const block_view& b, pool_result& out);

// Arithmetic or geometric mean with fixed weights, column by column: the sums run over the
// children in the same order as aggregate_one, so the bits are the same.
// Arithmetic mean with one weight set: a branch-free weighted sum per child column (it
// vectorises); only rows where a child is missing (the sum is NaN) take the general path.
// Rows with every child present get the same bits: the general path adds the same terms in
// the same order, and its present weight is then the total.
bool dense_mean_kernel(const pooling_context& ctx, const node& n, int k, const block_view& b) {
  const std::size_t size = b.size();
  const std::vector<double>& w = ctx.weights.weights[0];
  double total = 0.0;
  for (int child : n.children) total += w[static_cast<std::size_t>(child)];
  if (!(total > 0) || !std::isfinite(total)) return false;
  double* s = b.score[static_cast<std::size_t>(k)];
  std::fill(s, s + size, 0.0);
  for (int child : n.children) {
    const double wc = w[static_cast<std::size_t>(child)];
    if (wc != 0) add_scaled(s, b.score[static_cast<std::size_t>(child)], wc, size);
  }
  // Not finite: a missing child, or a sum beyond a double.
  const bool complete = divide_all_finite(s, size, total);
  if (!b.share.empty())
    for (int child : n.children)
      std::fill(b.share[static_cast<std::size_t>(child)], b.share[static_cast<std::size_t>(child)] + size,
                w[static_cast<std::size_t>(child)] / total);
  return complete;
}

void mean_kernel(const pooling_context& ctx, int k, std::size_t position, const pool_partition& part,
                 const block_view& b, block_findings& found) {
  const node& n = ctx.plan.model.at(k);
  const std::size_t size = b.size();
  const bool geometric = n.agg.method == aggregation_method::geometric;
  const bool one_set = ctx.weights.weights.size() == 1;
  if (!geometric && one_set && dense_mean_kernel(ctx, n, k, b)) return;
  std::vector<double> total(size, 0.0), present(size, 0.0), acc(size, 0.0), w(size);
  for (int child : n.children) {
    if (one_set)
      std::fill(w.begin(), w.end(), ctx.weights.weights[0][static_cast<std::size_t>(child)]);
    else
      for (std::size_t r = 0; r < size; ++r) w[r] = ctx.weights.weight(b.begin + r, child);
    const double* v = b.score[static_cast<std::size_t>(child)];
    for (std::size_t r = 0; r < size; ++r) {
      total[r] += w[r];
      if (std::isnan(v[r])) continue;
      present[r] += w[r];
      if (w[r] == 0) continue;
      if (geometric) {
        if (!(v[r] > 0)) {
          block_event e{position, part.label_of[b.begin + r], b.begin + r,
                        fmt::format("a geometric mean needs positive values, got {}", v[r])};
          if (!found.error || e < *found.error) found.error = std::move(e);
          continue;
        }
        acc[r] += w[r] * std::log(v[r]);
      } else {
        acc[r] += w[r] * v[r];
      }
    }
    if (!b.share.empty()) {
      double* share = b.share[static_cast<std::size_t>(child)];
      for (std::size_t r = 0; r < size; ++r) share[r] = w[r];   // divided by the total below
    }
  }
  double* s = b.score[static_cast<std::size_t>(k)];
  for (std::size_t r = 0; r < size; ++r) {
    if (!std::isfinite(total[r]) || !std::isfinite(acc[r])) {
      // Sums beyond a double (rare): aggregate_one's scaled form (docs/methods.md, numeric range).
      Eigen::VectorXd values(static_cast<Eigen::Index>(n.children.size())), weights(values.size());
      for (std::size_t c = 0; c < n.children.size(); ++c) {
        values[static_cast<Eigen::Index>(c)] = b.score[static_cast<std::size_t>(n.children[c])][r];
        weights[static_cast<Eigen::Index>(c)] = ctx.weights.weight(b.begin + r, n.children[c]);
      }
      try {
        s[r] = aggregate_one(values, weights, n.agg);
      } catch (const method_error& e) {
        block_event ev{position, part.label_of[b.begin + r], b.begin + r, e.what()};
        if (!found.error || ev < *found.error) found.error = std::move(ev);
        s[r] = nan;
      }
    } else if (!(present[r] > 0) || present[r] < n.agg.min_coverage * total[r]) {
      s[r] = nan;
    } else {
      const double mean = acc[r] / present[r];
      s[r] = geometric ? std::exp(mean) : mean;
    }
  }
  if (!b.share.empty())
    for (int child : n.children) {
      double* share = b.share[static_cast<std::size_t>(child)];
      for (std::size_t r = 0; r < size; ++r) share[r] /= total[r];
    }
}

// Any other row-local mean (harmonic, power): aggregate_one per unit.
void row_kernel(const pooling_context& ctx, int k, std::size_t position, const pool_partition& part,
                const block_view& b, block_findings& found) {
  const node& n = ctx.plan.model.at(k);
  const auto n_children = static_cast<Eigen::Index>(n.children.size());
  Eigen::VectorXd values(n_children), weights(n_children);
  double* s = b.score[static_cast<std::size_t>(k)];
  for (std::size_t r = 0; r < b.size(); ++r) {
    for (Eigen::Index c = 0; c < n_children; ++c) {
      const int child = n.children[static_cast<std::size_t>(c)];
      values[c] = b.score[static_cast<std::size_t>(child)][r];
      weights[c] = ctx.weights.weight(b.begin + r, child);
    }
    try {
      s[r] = aggregate_one(values, weights, n.agg);
    } catch (const method_error& e) {
      block_event ev{position, part.label_of[b.begin + r], b.begin + r, e.what()};
      if (!found.error || ev < *found.error) found.error = std::move(ev);
      s[r] = nan;
    }
    if (!b.share.empty()) {
      const double total = weights.sum();
      for (Eigen::Index c = 0; c < n_children; ++c)
        b.share[static_cast<std::size_t>(n.children[static_cast<std::size_t>(c)])][r] = weights[c] / total;
    }
  }
}

// The weights of node k's children in one pool label. Data-driven weightings see the
// children's scores of the label's ranked units; weights and diagnostics go to `out`
// (into a record of the previous evaluation where there is one: its buffers are reused).
const Eigen::VectorXd& label_weights(const pooling_context& ctx, int k, const std::string& label,
                                     const std::string& where, const std::vector<std::uint32_t>& reference,
                                     const block_view& b, pool_result& out) {
  const framework& fw = ctx.plan.model;
  const node& n = fw.at(k);
  const auto n_children = static_cast<Eigen::Index>(n.children.size());
  weight_record& record = next_record(out.weights, ctx.records.weights);
  record.node = n.id;
  record.pool_label = label;
  record.children = ctx.plan.child_ids[static_cast<std::size_t>(k)];
  if (const std::optional<weight_result>& tree = ctx.plan.tree_weights[static_cast<std::size_t>(k)]) {
    record.weights = *tree;
  } else {
    Eigen::VectorXd declared(n_children);
    for (Eigen::Index c = 0; c < n_children; ++c) declared[c] = fw.at(n.children[static_cast<std::size_t>(c)]).weight;
    Eigen::MatrixXd data(n.weighting.uses_data() ? static_cast<Eigen::Index>(reference.size()) : 0, n_children);
    for (Eigen::Index r = 0; r < data.rows(); ++r)
      for (Eigen::Index c = 0; c < n_children; ++c)
        data(r, c) = b.score[static_cast<std::size_t>(n.children[static_cast<std::size_t>(c)])]
                            [reference[static_cast<std::size_t>(r)] - b.begin];
    try {
      record.weights = derive_weights(n.weighting, data, declared, record.children);
    } catch (const method_error& e) {
      throw method_error(fmt::format("node '{}' ({}): {}", n.id, where, e.what()));
    }
  }
  record.weights.pool = where;
  if (n.weighting.method != weighting_method::fixed && ctx.options.keep.info_notes) {
    std::vector<std::string> parts;
    for (Eigen::Index c = 0; c < n_children; ++c)
      parts.push_back(fmt::format("{}={:.4f}", record.children[static_cast<std::size_t>(c)], record.weights.weights[c]));
    ctx.notes.push_back({severity::info, "weights", where, n.id, "",
                         fmt::format("{} weights {}{}{}", to_string(n.weighting.method), fmt::join(parts, ", "),
                                     record.weights.note.empty() ? "" : "; ", record.weights.note)});
  }
  return record.weights.weights;
}

void record_weights(const pooling_context& ctx, int k, const pool_partition& part, const std::string& grouping,
                    const block_view& b, pool_result& out) {
  for (std::size_t l = 0; l < part.labels.size(); ++l)
    label_weights(ctx, k, part.labels[l], pool_name(grouping, part.labels[l]), part.ranked[l], b, out);
}

// A node that needs its whole pool at once (derived weights, TOPSIS, rescaling); the block
// is then every unit. Errors are thrown at once, in the reference engine's order.
void pool_kernel(const pooling_context& ctx, int k, const pool_partition& part, const std::string& grouping,
                 const block_view& b, pool_result& out) {
  const framework& fw = ctx.plan.model;
  const node& n = fw.at(k);
  const auto n_children = static_cast<Eigen::Index>(n.children.size());
  const bool derived = n.weighting.method != weighting_method::fixed;
  double* s = b.score[static_cast<std::size_t>(k)];
  for (std::size_t l = 0; l < part.labels.size(); ++l) {
    const std::vector<std::uint32_t>& rows = part.rows[l];
    const std::string where = pool_name(grouping, part.labels[l]);
    const Eigen::VectorXd pool_weights = label_weights(ctx, k, part.labels[l], where, part.ranked[l], b, out);
    const auto n_rows = static_cast<Eigen::Index>(rows.size());
    Eigen::MatrixXd children(n_rows, n_children), weights(n_rows, n_children);
    std::vector<bool> reference(rows.size());
    for (Eigen::Index r = 0; r < n_rows; ++r) {
      const std::uint32_t unit = rows[static_cast<std::size_t>(r)];
      reference[static_cast<std::size_t>(r)] = ctx.ranked[unit];
      for (Eigen::Index c = 0; c < n_children; ++c) {
        const int child = n.children[static_cast<std::size_t>(c)];
        children(r, c) = b.score[static_cast<std::size_t>(child)][unit];
        weights(r, c) = derived ? pool_weights[c] : ctx.weights.weight(unit, child);
      }
      if (!b.share.empty()) {
        const double total = weights.row(r).sum();
        for (Eigen::Index c = 0; c < n_children; ++c)
          b.share[static_cast<std::size_t>(n.children[static_cast<std::size_t>(c)])][unit] = weights(r, c) / total;
      }
    }
    Eigen::VectorXd score(n_rows);
    if (n.agg.method == aggregation_method::topsis) {
      if (n_rows > 0 && !(weights.rowwise() - weights.row(0)).isZero(0))
        throw method_error(fmt::format("node '{}' ({}): TOPSIS needs one weight vector for the whole pool, but units "
                                       "use different weight sets", n.id, where));
      score = aggregate_rows(children, n_rows > 0 ? Eigen::VectorXd(weights.row(0).transpose())
                                                  : Eigen::VectorXd::Ones(n_children), n.agg, reference);
    } else {
      for (Eigen::Index r = 0; r < n_rows; ++r) {
        try {
          score[r] = aggregate_one(children.row(r).transpose(), weights.row(r).transpose(), n.agg);
        } catch (const method_error& e) {
          throw method_error(fmt::format("node '{}', unit '{}' ({}): {}", n.id,
                                         ctx.data.unit_ids()[rows[static_cast<std::size_t>(r)]], where, e.what()));
        }
      }
    }
    score = rescale_scores(score, n.rescale, reference);
    for (Eigen::Index r = 0; r < n_rows; ++r) {
      const std::uint32_t unit = rows[static_cast<std::size_t>(r)];
      s[unit] = score[r];
      if (std::isnan(score[r]) && children.row(r).array().isNaN().count() < n_children)
        ctx.notes.push_back({severity::warning, "aggregate", where, n.id, ctx.data.unit_ids()[unit],
                             fmt::format("score missing: present children carry less than {:g}% of the weight",
                                         100 * n.agg.min_coverage)});
    }
  }
}

// Coverage of node k: the indicators its present score rests on.
void coverage_kernel(const node& n, int k, const block_view& b) {
  int* cov = b.coverage[static_cast<std::size_t>(k)];
  const double* s = b.score[static_cast<std::size_t>(k)];
  std::fill(cov, cov + b.size(), 0);
  for (int child : n.children) {
    const double* cs = b.score[static_cast<std::size_t>(child)];
    const int* cc = b.coverage[static_cast<std::size_t>(child)];
    for (std::size_t r = 0; r < b.size(); ++r)
      if (!std::isnan(s[r]) && !std::isnan(cs[r])) cov[r] += cc[r];
  }
}

// Row-local coverage warnings of node k: a missing score although some child is present.
void coverage_warnings(const node& n, int k, std::size_t position, const pool_partition& part, const block_view& b,
                       block_findings& found) {
  const double* s = b.score[static_cast<std::size_t>(k)];
  for (std::size_t r = 0; r < b.size(); ++r) {
    if (!std::isnan(s[r])) continue;
    for (int child : n.children)
      if (!std::isnan(b.score[static_cast<std::size_t>(child)][r])) {
        found.warnings.push_back({position, part.label_of[b.begin + r], b.begin + r, {}});
        break;
      }
  }
}

// Points: a node's score times its share of the total (product of the sibling shares on
// the path from the root, per unit), then the bonus and deduction points on the total.
void finish_block(const pooling_context& ctx, const block_view& b) {
  const framework& fw = ctx.plan.model;
  const auto k = fw.nodes().size();
  if (fw.scores.scale == score_scale::points) {
    std::fill(b.share[0], b.share[0] + b.size(), 1.0);
    for (std::size_t c = 1; c < k; ++c) {
      double* share = b.share[c];
      const double* parent = b.share[static_cast<std::size_t>(fw.at(static_cast<int>(c)).parent)];
      for (std::size_t r = 0; r < b.size(); ++r) share[r] = parent[r] * share[r];
    }
    const double scale = fw.scores.total_points / 100.0;
    for (std::size_t c = 0; c < k; ++c) {
      double* s = b.score[c];
      const double* share = b.share[c];
      for (std::size_t r = 0; r < b.size(); ++r) s[r] *= share[r] * scale;
    }
  }
  double* total = b.score[0];
  if (!ctx.rules.empty())
    for (std::size_t r = 0; r < b.size(); ++r) total[r] += ctx.rules[b.begin + r].adjustment();
}

// Coverage warnings as notes, in the reference engine's order (node, label, unit).
void flush_warnings(const pooling_context& ctx, const pool_partition& part, const std::string& grouping,
                    std::vector<block_event>& warnings) {
  std::sort(warnings.begin(), warnings.end());
  for (const block_event& w : warnings) {
    const node& nd = ctx.plan.model.at(ctx.plan.aggregate_order[w.node_position]);
    ctx.notes.push_back({severity::warning, "aggregate", pool_name(grouping, part.labels[w.label]), nd.id,
                         ctx.data.unit_ids()[w.row],
                         fmt::format("score missing: present children carry less than {:g}% of the weight",
                                     100 * nd.agg.min_coverage)});
  }
  warnings.clear();
}

void evaluate_block(const pooling_context& ctx, const pool_partition& part, const raw_columns& raw,
                    const fitted_table& fitted, const std::string& grouping, const block_view& b,
                    pool_result& out, block_findings& found) {
  const compiled_plan& plan = ctx.plan;
  normalise_block(ctx, part, raw, fitted, b, out);
  for (std::size_t position = 0; position < plan.aggregate_order.size(); ++position) {
    const int k = plan.aggregate_order[position];
    const node& n = plan.model.at(k);
    if (!row_local(plan, n)) {
      pool_kernel(ctx, k, part, grouping, b, out);
    } else {
      // With one block (whole pool), records go in node order as the kernels run.
      if (plan.needs_whole_pool) record_weights(ctx, k, part, grouping, b, out);
      if (n.agg.method == aggregation_method::arithmetic ||
          (n.agg.method == aggregation_method::geometric && n.agg.zeros == zero_policy::error))
        mean_kernel(ctx, k, position, part, b, found);
      else
        row_kernel(ctx, k, position, part, b, found);
      coverage_warnings(n, k, position, part, b, found);
      // One block for the whole pool: notes in node order, among the derived-weight notes.
      if (plan.needs_whole_pool && !found.error) flush_warnings(ctx, part, grouping, found.warnings);
    }
    if (!b.coverage.empty()) coverage_kernel(n, k, b);
    if (found.error) return;
  }
  finish_block(ctx, b);
}

void rethrow_block_error(const pooling_context& ctx, const pool_partition& part, const std::string& grouping,
                         const block_event& e) {
  const node& n = ctx.plan.model.at(ctx.plan.aggregate_order[e.node_position]);
  throw method_error(fmt::format("node '{}', unit '{}' ({}): {}", n.id, ctx.data.unit_ids()[e.row],
                                 pool_name(grouping, part.labels[e.label]), e.message));
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

bool same_strings(const std::vector<std::string>& a, const std::vector<std::string>& b, int threads) {
  if (a.size() != b.size()) return false;
  constexpr std::size_t chunk = std::size_t{1} << 16;
  const std::size_t chunks = (a.size() + chunk - 1) / chunk;
  std::vector<char> equal(chunks, 1);
  parallel_for(chunks, chunks > 1 ? threads : 1, [&](std::size_t c) {
    const std::size_t begin = c * chunk, end = std::min(a.size(), begin + chunk);
    equal[c] = std::equal(a.begin() + static_cast<std::ptrdiff_t>(begin), a.begin() + static_cast<std::ptrdiff_t>(end),
                          b.begin() + static_cast<std::ptrdiff_t>(begin));
  });
  return std::find(equal.begin(), equal.end(), 0) == equal.end();
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
  if (grouping.empty()) {   // a reused result usually holds these already: comparing is cheaper
    const std::string all = "all";
    std::atomic<bool> same = out.labels.size() == n;
    constexpr std::size_t chunk = std::size_t{1} << 16;
    if (same)
      parallel_for((n + chunk - 1) / chunk, n > chunk ? ctx.options.threads : 1, [&](std::size_t c) {
        const auto begin = out.labels.begin() + static_cast<std::ptrdiff_t>(c * chunk);
        const auto end = out.labels.begin() + static_cast<std::ptrdiff_t>(std::min(n, (c + 1) * chunk));
        if (!std::all_of(begin, end, [&](const std::string& l) { return l == all; })) same = false;
      });
    if (!same) {
      reserve_recycled(out.labels, n);
      out.labels.assign(n, all);
    }
  } else {
    out.labels = ctx.data.group(grouping);
  }
  const pool_partition part = grouping.empty() ? pool_partition("all", ctx.ranked)
                                               : pool_partition(out.labels, ctx.ranked);
  const fitted_table fitted = fit_pooling(ctx, part, raw, grouping, out);

  // The kept nodes: every node, or the root and its children.
  std::vector<int> kept;
  if (keep.all_nodes) {
    for (std::size_t c = 0; c < k; ++c) kept.push_back(static_cast<int>(c));
  } else {
    kept = plan.top_nodes;
    out.nodes = kept;
  }
  const auto nn = static_cast<Eigen::Index>(n);
  const auto nk = static_cast<Eigen::Index>(kept.size());
  resize_recycled(out.scores, nn, nk);
  out.rank_nodes = keep.all_ranks ? kept : plan.top_nodes;
  resize_recycled(out.coverage, keep.coverage ? nn : 0, keep.coverage ? nk : 0);
  resize_recycled(out.normalised, keep.normalised ? nn : 0, keep.normalised ? static_cast<Eigen::Index>(raw.size()) : 0);
  const bool points = fw.scores.scale == score_scale::points;

  // Full results are written in place; lean ones through per-block buffers.
  const bool whole = plan.needs_whole_pool;
  const std::size_t block = whole ? std::max<std::size_t>(n, 1) : std::min(std::max<std::size_t>(n, 1), block_rows);
  const std::size_t blocks = (n + block - 1) / block;
  std::vector<block_findings> findings(blocks);
  const int threads = whole || n * raw.size() < parallel_cells ? 1 : ctx.options.threads;
  parallel_chunks(blocks, threads, [&](std::size_t first_block, std::size_t last_block) {
    // Scratch for one block, set up once per thread and reused across calls (scratch.hpp).
    const std::size_t score_size = keep.all_nodes ? 0 : block * k, share_size = points ? block * k : 0;
    const std::size_t coverage_size = keep.coverage && !keep.all_nodes ? block * k : 0;
    const scratch_lease scratch(score_size + share_size + (coverage_size * sizeof(int) + sizeof(double) - 1) / sizeof(double));
    double* const score_buffer = scratch.data();
    double* const share_buffer = score_buffer + score_size;
    int* const coverage_buffer = reinterpret_cast<int*>(share_buffer + share_size);
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
        b.coverage.resize(k);
        for (std::size_t c = 0; c < k; ++c)
          b.coverage[c] = keep.all_nodes ? out.coverage.col(static_cast<Eigen::Index>(c)).data() + b.begin
                                         : coverage_buffer + c * rows;
      }
      if (points) {
        b.share.resize(k);
        for (std::size_t c = 0; c < k; ++c) b.share[c] = share_buffer + c * rows;
      }
      evaluate_block(ctx, part, raw, fitted, grouping, b, out, findings[index]);
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
  if (!whole)
    for (int node_index : plan.aggregate_order) record_weights(ctx, node_index, part, grouping, block_view{}, out);
  out.normalisation.resize(ctx.records.normalisation);
  out.weights.resize(ctx.records.weights);
  flush_warnings(ctx, part, grouping, warnings);

  // Rank the index and its categories (or every kept node) within each label.
  resize_recycled(out.kept_ranks, nn, static_cast<Eigen::Index>(out.rank_nodes.size()));
  out.kept_ranks.setConstant(nan);
  const std::size_t tasks = out.rank_nodes.size() * part.labels.size();
  const bool by_id = fw.rank_rule.ties == tie_break::unit_id;
  parallel_for(tasks, n < parallel_rank_units ? 1 : ctx.options.threads, [&](std::size_t t) {
    const auto c = static_cast<Eigen::Index>(t / part.labels.size());
    const std::vector<std::uint32_t>& rows = part.ranked[t % part.labels.size()];
    const double* scores = out.scores.col(out.column(out.rank_nodes[static_cast<std::size_t>(c)])).data();
    rank_rows(scores, rows.data(), rows.size(), fw.rank_rule, by_id ? &ctx.data.unit_ids() : nullptr,
              out.kept_ranks.col(c).data());
  });
}

}  // namespace parkscore::detail
