#include "parkscore/methods/rank.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "parkscore/error.hpp"

namespace parkscore {

Eigen::VectorXd rank_scores(const Eigen::Ref<const Eigen::VectorXd>& scores, const ranking& rule,
                            const std::vector<bool>& eligible, const std::vector<std::string>& ids) {
  const Eigen::Index n = scores.size();
  if (rule.ties == tie_break::unit_id && ids.size() != static_cast<std::size_t>(n))
    throw error(fmt::format("ranking by unit id needs {} ids, got {}", n, ids.size()));
  const double scale = rule.round_decimals >= 0 ? std::pow(10.0, rule.round_decimals) : 0.0;
  // Sort keys: smaller key = better rank.
  std::vector<double> key(static_cast<std::size_t>(n));
  std::vector<std::size_t> order;
  for (Eigen::Index i = 0; i < n; ++i) {
    double v = scores[i];
    if (std::isnan(v) || (!eligible.empty() && !eligible[static_cast<std::size_t>(i)])) continue;
    if (scale > 0) v = std::round(v * scale) / scale;
    key[static_cast<std::size_t>(i)] = rule.order == rank_order::descending ? -v : v;
    order.push_back(static_cast<std::size_t>(i));
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (key[a] != key[b]) return key[a] < key[b];
    if (rule.ties == tie_break::unit_id) return ids[a] < ids[b];
    return a < b;
  });

  Eigen::VectorXd rank = Eigen::VectorXd::Constant(n, std::numeric_limits<double>::quiet_NaN());
  std::size_t start = 0;
  double dense = 0.0;
  while (start < order.size()) {
    std::size_t end = start + 1;
    while (end < order.size() && key[order[end]] == key[order[start]]) ++end;
    dense += 1.0;
    for (std::size_t pos = start; pos < end; ++pos) {
      double r = 0.0;
      switch (rule.method) {
        case rank_method::competition: r = static_cast<double>(start + 1); break;
        case rank_method::dense: r = dense; break;
        case rank_method::ordinal: r = static_cast<double>(pos + 1); break;
        case rank_method::fractional: r = 0.5 * static_cast<double>(start + 1 + end); break;
      }
      rank[static_cast<Eigen::Index>(order[pos])] = r;
    }
    start = end;
  }
  return rank;
}

}  // namespace parkscore
