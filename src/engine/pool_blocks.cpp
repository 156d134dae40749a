#include "engine/pool_blocks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "engine/column_kernels.hpp"
#include "parkscore/error.hpp"
#include "parkscore/methods/aggregate.hpp"
#include "parkscore/methods/weight.hpp"
#include "prepare/preparation_names.hpp"
#include "model/missing_value.hpp"

namespace parkscore::detail {

namespace {

// Keeps the first error in the reference engine's order (node, label, unit).
void note_error(block_findings& found, block_event e) {
  if (!found.error || e < *found.error) found.error = std::move(e);
}

// aggregate_one for one row; a method_error is noted at `where` and leaves the score missing.
double aggregate_or_note(const Eigen::VectorXd& values, const Eigen::VectorXd& weights, const node& n,
                         block_event where, block_findings& found) {
  try {
    return aggregate_one(values, weights, n.agg);
  } catch (const method_error& e) {
    where.message = e.what();
    note_error(found, std::move(where));
    return nan;
  }
}

bool row_local(const compiled_plan& plan, const node& n) {
  return !plan.needs_whole_pool ||
         (n.weighting.method == weighting_method::fixed && n.agg.method != aggregation_method::topsis &&
          n.rescale.method == rescale_method::none);
}

// Indicators of a node in `fused` are left out: that node normalises them as it sums them.
void normalise_block(const pooling_context& ctx, const pool_partition& part, const raw_columns& raw,
                     const fitted_table& fitted, const block_view& b, const std::vector<char>& fused,
                     pool_result& out) {
  const framework& fw = ctx.plan.model;
  const bool one_pool = part.labels.size() == 1;
  for (std::size_t j = 0; j < raw.size(); ++j) {
    const int indicator = fw.indicators()[j];
    if (!fused.empty() && fused[static_cast<std::size_t>(fw.at(indicator).parent)]) continue;
    double* column = b.score[static_cast<std::size_t>(indicator)];
    bool missing = true;   // some value of the column may be missing: any_nan looks
    if (one_pool) {
      if (fitted(j, 0))
        missing = fitted(j, 0)->apply_range(raw[j] + b.begin, column, b.size());
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
      const auto node = static_cast<std::size_t>(fw.indicators()[j]);
      int* cov = b.coverage[node];
      if (missing && any_nan(column, b.size())) {
        count_present(column, cov, b.size());
      } else {
        fill_coverage(cov, 1, b.size());
        b.uniform_coverage[node] = 1;
      }
    }
  }
}

// Arithmetic mean with one weight set: a branch-free weighted sum per child (it vectorises),
// over the total; `add_child(child, weight, s)` adds the child's values, weighted, to s. False
// if some row is not complete: only rows where a child is missing (the sum is NaN) then take
// the general path, and rows with every child present get the same bits, for the general path
// adds the same terms in the same order, and its present weight is then the total.
template <class AddChild>
bool weighted_mean(const pooling_context& ctx, const node& n, int k, const block_view& b, double& total,
                   AddChild add_child) {
  const std::vector<double>& w = ctx.weights.weights[0];
  total = 0.0;
  for (int child : n.children) total += w[static_cast<std::size_t>(child)];
  if (!(total > 0) || !std::isfinite(total)) return false;
  double* s = b.score[static_cast<std::size_t>(k)];
  std::fill(s, s + b.size(), 0.0);
  for (int child : n.children) {
    const double wc = w[static_cast<std::size_t>(child)];
    if (wc != 0) add_child(child, wc, s);
  }
  // Not finite: a missing child, or a sum beyond a double.
  return divide_all_finite(s, b.size(), total);
}

// weighted_mean of the children's columns, and the children's shares for points.
bool dense_mean_kernel(const pooling_context& ctx, const node& n, int k, const block_view& b) {
  const std::size_t size = b.size();
  double total = 0.0;
  const bool complete = weighted_mean(ctx, n, k, b, total, [&](int child, double wc, double* s) {
    add_scaled(s, b.score[static_cast<std::size_t>(child)], wc, size);
  });
  if (!(total > 0) || !std::isfinite(total)) return false;
  if (!b.share.empty())
    for (int child : n.children)
      std::fill(b.share[static_cast<std::size_t>(child)], b.share[static_cast<std::size_t>(child)] + size,
                ctx.weights.weights[0][static_cast<std::size_t>(child)] / total);
  return complete;
}

}  // namespace

std::vector<char> fused_nodes(const pooling_context& ctx, const pool_partition& part, const fitted_table& fitted,
                              const pool_result& out) {
  const compiled_plan& plan = ctx.plan;
  const result_contents& keep = ctx.options.keep;
  std::vector<char> fused;
  if (part.labels.size() != 1 || out.normalised.size() > 0 || keep.coverage || keep.all_nodes ||
      plan.model.scores.scale == score_scale::points || plan.needs_whole_pool || ctx.weights.weights.size() != 1)
    return fused;
  fused.assign(plan.model.nodes().size(), 0);
  for (int k : plan.aggregate_order) {
    if (k == 0 || !plan.means_indicators[static_cast<std::size_t>(k)]) continue;
    const std::vector<int>& children = plan.model.at(k).children;
    fused[static_cast<std::size_t>(k)] = std::all_of(children.begin(), children.end(), [&](int c) {
      return fitted(static_cast<std::size_t>(plan.indicator_column[static_cast<std::size_t>(c)]), 0) != nullptr;
    });
  }
  return fused;
}

namespace {

// dense_mean_kernel for a fused node: each indicator normalised and added, weighted, in one
// pass (fitted_normaliser::add_weighted_range: the same bits as the column and add_scaled).
// False if some row is not complete; the caller then normalises the columns and takes
// mean_kernel, which starts over.
bool fused_mean_kernel(const pooling_context& ctx, const raw_columns& raw, const fitted_table& fitted, int k,
                       const block_view& b) {
  const compiled_plan& plan = ctx.plan;
  double total = 0.0;
  return weighted_mean(ctx, plan.model.at(k), k, b, total, [&](int child, double wc, double* s) {
    const auto j = static_cast<std::size_t>(plan.indicator_column[static_cast<std::size_t>(child)]);
    fitted(j, 0)->add_weighted_range(raw[j] + b.begin, s, wc, b.size());
  });
}

// Arithmetic or geometric mean with fixed weights, column by column: the sums run over the
// children in the same order as aggregate_one, so the bits are the same.
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
          note_error(found, {position, part.label_of[b.begin + r], b.begin + r,
                             fmt::format("a geometric mean needs positive values, got {}", v[r])});
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
      s[r] = aggregate_or_note(values, weights, n, {position, part.label_of[b.begin + r], b.begin + r, {}}, found);
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
    s[r] = aggregate_or_note(values, weights, n, {position, part.label_of[b.begin + r], b.begin + r, {}}, found);
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
  int sum = 0;   // the children's coverage, if each is one number over the block
  bool uniform_children = true;
  for (int child : n.children) {
    const int c = b.uniform_coverage[static_cast<std::size_t>(child)];
    uniform_children = uniform_children && c >= 0;
    sum += c;
  }
  if (uniform_children && !any_nan(s, b.size())) {   // every child and every score present
    fill_coverage(cov, sum, b.size());
    b.uniform_coverage[static_cast<std::size_t>(k)] = sum;
    return;
  }
  fill_coverage(cov, 0, b.size());
  for (int child : n.children)
    add_coverage(s, b.score[static_cast<std::size_t>(child)], b.coverage[static_cast<std::size_t>(child)], cov,
                 b.size());
}

// Row-local coverage warnings of node k: a missing score although some child is present.
void coverage_warnings(const node& n, int k, std::size_t position, const pool_partition& part, const block_view& b,
                       block_findings& found) {
  const double* s = b.score[static_cast<std::size_t>(k)];
  if (!any_nan(s, b.size())) return;   // the usual case, in one vectorised pass
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

}  // namespace

void record_weights(const pooling_context& ctx, int k, const pool_partition& part, const std::string& grouping,
                    const block_view& b, pool_result& out) {
  for (std::size_t l = 0; l < part.labels.size(); ++l)
    label_weights(ctx, k, part.labels[l], pool_name(grouping, part.labels[l]), part.ranked[l], b, out);
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
                    const fitted_table& fitted, const std::vector<char>& fused, const std::string& grouping,
                    const block_view& b, pool_result& out, block_findings& found) {
  const compiled_plan& plan = ctx.plan;
  normalise_block(ctx, part, raw, fitted, b, fused, out);
  for (std::size_t position = 0; position < plan.aggregate_order.size(); ++position) {
    const int k = plan.aggregate_order[position];
    const node& n = plan.model.at(k);
    if (!row_local(plan, n)) {
      pool_kernel(ctx, k, part, grouping, b, out);
    } else {
      // With one block (whole pool), records go in node order as the kernels run.
      if (plan.needs_whole_pool) record_weights(ctx, k, part, grouping, b, out);
      const bool fuse = !fused.empty() && fused[static_cast<std::size_t>(k)];
      if (!fuse || !fused_mean_kernel(ctx, raw, fitted, k, b)) {
        if (fuse)   // a row with a missing value: the indicators' columns after all, then the general mean
          for (int child : n.children) {
            const auto j = static_cast<std::size_t>(plan.indicator_column[static_cast<std::size_t>(child)]);
            fitted(j, 0)->apply_range(raw[j] + b.begin, b.score[static_cast<std::size_t>(child)], b.size());
          }
        if (n.agg.method == aggregation_method::arithmetic ||
            (n.agg.method == aggregation_method::geometric && n.agg.zeros == zero_policy::error))
          mean_kernel(ctx, k, position, part, b, found);
        else
          row_kernel(ctx, k, position, part, b, found);
        coverage_warnings(n, k, position, part, b, found);
      }
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

}  // namespace parkscore::detail
