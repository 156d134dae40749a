#include "parkscore/engine/result.hpp"

#include <fmt/format.h>

#include "parkscore/error.hpp"

namespace parkscore {

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
  throw error(fmt::format("node {} was not kept in this result (evaluated with result_contents::all_nodes = false)",
                          node_index));
}

const pool_result& result::pool(const std::string& grouping) const {
  for (const pool_result& p : pools)
    if (p.grouping == grouping) return p;
  throw error(fmt::format("the result has no pooling by '{}'", grouping.empty() ? "all units" : grouping));
}

std::size_t result::unit_index(const std::string& unit_id) const {
  for (std::size_t i = 0; i < unit_ids.size(); ++i)
    if (unit_ids[i] == unit_id) return i;
  throw data_error(fmt::format("no unit '{}' in the result", unit_id));
}

double result::score(const std::string& unit_id, const std::string& node_id, const std::string& grouping) const {
  const pool_result& p = pool(grouping);
  return p.scores(static_cast<Eigen::Index>(unit_index(unit_id)), p.column(model.index_of(node_id)));
}

double result::rank(const std::string& unit_id, const std::string& node_id, const std::string& grouping) const {
  const pool_result& p = pool(grouping);
  return p.ranks(static_cast<Eigen::Index>(unit_index(unit_id)), p.column(model.index_of(node_id)));
}

std::vector<note> result::warnings() const {
  std::vector<note> out;
  for (const note& n : notes)
    if (n.level == severity::warning) out.push_back(n);
  return out;
}

}  // namespace parkscore
