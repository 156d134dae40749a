#include "parkscore/engine/result.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

#include "engine/recycled_outputs.hpp"
#include "parkscore/error.hpp"
#include "parkscore/methods/rank.hpp"

namespace parkscore {

pool_result::~pool_result() {
  detail::recycle(scores);
  detail::recycle(normalised);
  detail::recycle(kept_ranks);
  detail::recycle(coverage);
}

result::~result() { detail::recycle_small(pools, notes); }

std::vector<std::size_t> pool_result::members_of(const std::string& label) const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (labels[i] == label) out.push_back(i);
  return out;
}

Eigen::Index pool_result::column(int node_index) const {
  if (nodes.empty()) return node_index;
  for (std::size_t c = 0; c < nodes.size(); ++c)
    if (nodes[c] == node_index) return static_cast<Eigen::Index>(c);
  throw error(fmt::format("node number {} was not kept in this result: a lean evaluation keeps the index and its "
                          "categories only (evaluate with the full contents, e.g. Python keep=\"full\")", node_index));
}

std::optional<Eigen::Index> pool_result::rank_column(int node_index) const {
  for (std::size_t c = 0; c < rank_nodes.size(); ++c)
    if (rank_nodes[c] == node_index) return static_cast<Eigen::Index>(c);
  return std::nullopt;
}

void pool_result::require_records(const std::string& purpose) const {
  if (!records)
    throw error(fmt::format("the pooling '{}' kept no normalisation or weight records (evaluated with "
                            "result_contents::records off, as keep=\"index\" does): evaluate with records for {}",
                            grouping.empty() ? "all" : grouping, purpose));
}

void pool_result::require_every_node(const std::string& purpose, bool normalised_values) const {
  if (!nodes.empty() || (normalised_values && normalised.size() == 0))
    throw error(fmt::format("the pooling '{}' kept {} (a lean evaluation): evaluate with the full contents for {}",
                            grouping.empty() ? "all" : grouping,
                            nodes.empty() ? "no normalised values" : "only the index and its categories", purpose));
}

const pool_result& result::pool(const std::string& grouping) const {
  for (const pool_result& p : pools)
    if (p.grouping == grouping) return p;
  throw error(fmt::format("the result has no pooling by '{}'", grouping.empty() ? "all units" : grouping));
}

const unit_rule_record& result::rule(std::size_t unit) const {
  if (unit >= unit_ids.size()) throw error(fmt::format("no unit in row {} of the result", unit));
  return rules.empty() ? common_rule : rules[unit];
}

std::size_t result::unit_index(const std::string& unit_id) const {
  for (std::size_t i = 0; i < unit_ids.size(); ++i)
    if (unit_ids[i] == unit_id) return i;
  throw data_error(fmt::format("no unit '{}' in the result", unit_id));
}

double result::score(const std::string& unit_id, const std::string& node_id, const std::string& grouping) const {
  const pool_result& p = pool(grouping);
  return p.scores(static_cast<Eigen::Index>(unit_index(unit_id)), p.column(model->index_of(node_id)));
}

double result::rank(const std::string& unit_id, const std::string& node_id, const std::string& grouping) const {
  const pool_result& p = pool(grouping);
  const auto row = static_cast<Eigen::Index>(unit_index(unit_id));
  const int node = model->index_of(node_id);
  if (const auto c = p.rank_column(node)) return p.kept_ranks(row, *c);
  return ranks_of(p, node)[row];
}

Eigen::VectorXd result::ranks_of(const pool_result& p, int node_index) const {
  if (const auto c = p.rank_column(node_index)) return p.kept_ranks.col(*c);
  const Eigen::Index column = p.column(node_index);
  // The ranked rows of each label, ascending, as the evaluation partitioned them.
  std::vector<std::string> labels;
  std::vector<std::vector<std::uint32_t>> rows;
  for (std::size_t u = 0; u < p.labels.size(); ++u) {
    if (excluded.count(unit_ids[u])) continue;
    const auto l = static_cast<std::size_t>(std::find(labels.begin(), labels.end(), p.labels[u]) - labels.begin());
    if (l == labels.size()) {
      labels.push_back(p.labels[u]);
      rows.emplace_back();
    }
    rows[l].push_back(static_cast<std::uint32_t>(u));
  }
  Eigen::VectorXd out = Eigen::VectorXd::Constant(p.scores.rows(), std::numeric_limits<double>::quiet_NaN());
  const bool by_id = model->rank_rule.ties == tie_break::unit_id;
  for (const std::vector<std::uint32_t>& members : rows)
    detail::rank_rows(p.scores.col(column).data(), members.data(), members.size(), model->rank_rule,
                      by_id ? &*unit_ids : nullptr, out.data());
  return out;
}

Eigen::VectorXd result::ranks_of(const std::string& node_id, const std::string& grouping) const {
  return ranks_of(pool(grouping), model->index_of(node_id));
}

Eigen::MatrixXd result::rank_matrix(const pool_result& p) const {
  Eigen::MatrixXd out(p.scores.rows(), p.scores.cols());
  for (Eigen::Index c = 0; c < p.scores.cols(); ++c)
    out.col(c) = ranks_of(p, p.nodes.empty() ? static_cast<int>(c) : p.nodes[static_cast<std::size_t>(c)]);
  return out;
}

std::vector<note> result::warnings() const {
  std::vector<note> out;
  for (const note& n : notes)
    if (n.level == severity::warning) out.push_back(n);
  return out;
}

}  // namespace parkscore
