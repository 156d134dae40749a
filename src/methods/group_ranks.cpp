#include "parkscore/methods/group_ranks.hpp"

#include <cstdint>
#include <limits>

#include "parkscore/methods/rank.hpp"

namespace parkscore {

pool_result rank_within_groups(const pool_result& global, const std::vector<std::string>& labels,
                               const std::string& grouping, const std::vector<bool>& ranked, const ranking& rule,
                               const std::vector<std::string>& unit_ids) {
  pool_result out = global;
  out.grouping = grouping;
  out.labels = labels;
  out.kept_ranks.setConstant(std::numeric_limits<double>::quiet_NaN());
  // The ranked rows of each label, labels in order of first appearance.
  std::vector<std::string> seen;
  std::vector<std::vector<std::uint32_t>> rows;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    std::size_t l = 0;
    while (l < seen.size() && seen[l] != labels[i]) ++l;
    if (l == seen.size()) {
      seen.push_back(labels[i]);
      rows.emplace_back();
    }
    if (ranked[i]) rows[l].push_back(static_cast<std::uint32_t>(i));
  }
  // Every label uses the all-units constants: the records say so under each label, so a lookup by
  // label (explain, reports) finds them; weights.pool still names the pool they were fitted on ("all").
  out.normalisation.clear();
  out.weights.clear();
  for (const std::string& label : seen) {
    for (normalisation_record rec : global.normalisation) {
      rec.pool_label = label;
      out.normalisation.push_back(std::move(rec));
    }
    for (weight_record rec : global.weights) {
      rec.pool_label = label;
      out.weights.push_back(std::move(rec));
    }
  }
  const bool by_id = rule.ties == tie_break::unit_id;
  for (std::size_t c = 0; c < out.rank_nodes.size(); ++c) {
    const double* scores = out.scores.col(out.column(out.rank_nodes[c])).data();
    for (const std::vector<std::uint32_t>& r : rows)
      detail::rank_rows(scores, r.data(), r.size(), rule, by_id ? &unit_ids : nullptr,
                        out.kept_ranks.col(static_cast<Eigen::Index>(c)).data());
  }
  return out;
}

}  // namespace parkscore
