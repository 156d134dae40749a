// Runs BoD or Condorcet-Kemeny on an evaluation's normalised values, pool by pool.
#include "parkscore/methods/mcda.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "methods/mcda_names.hpp"
#include "parkscore/error.hpp"

namespace parkscore {

std::string to_string(mcda_method m) { return std::string(detail::name_of(detail::mcda_method_names, m)); }

node_indicators indicators_below(const framework& model, const std::string& node_id) {
  const int top = model.index_of(node_id);
  node_indicators out;
  out.node = node_id;
  // Share of each node within `top`: parents come before children, so one forward pass suffices.
  std::vector<double> share(model.nodes().size(), 0.0);
  share[static_cast<std::size_t>(top)] = 1.0;
  for (std::size_t k = static_cast<std::size_t>(top); k < model.nodes().size(); ++k) {
    const node& n = model.nodes()[k];
    if (share[k] == 0.0 || n.is_indicator()) continue;
    double total = 0.0;
    for (int c : n.children) total += model.at(c).weight;
    for (int c : n.children)
      share[static_cast<std::size_t>(c)] = total > 0.0 ? share[k] * model.at(c).weight / total : 0.0;
  }
  // A node under `top` with zero weight still belongs to it: mark membership separately.
  std::vector<bool> inside(model.nodes().size(), false);
  inside[static_cast<std::size_t>(top)] = true;
  for (std::size_t k = static_cast<std::size_t>(top) + 1; k < model.nodes().size(); ++k) {
    const int parent = model.nodes()[k].parent;
    inside[k] = parent >= 0 && inside[static_cast<std::size_t>(parent)];
  }
  std::vector<double> nominal;
  for (std::size_t col = 0; col < model.indicators().size(); ++col) {
    const auto k = static_cast<std::size_t>(model.indicators()[col]);
    if (!inside[k]) continue;
    out.columns.push_back(col);
    out.ids.push_back(model.nodes()[k].id);
    nominal.push_back(share[k]);
  }
  out.nominal = Eigen::Map<const Eigen::VectorXd>(nominal.data(), static_cast<Eigen::Index>(nominal.size()));
  return out;
}

mcda_result run_mcda(const result& evaluation, const mcda_spec& spec) {
  const framework& model = evaluation.model;
  mcda_result out;
  out.method = spec.method;
  out.grouping = spec.pool ? *spec.pool : (model.pools.empty() ? "" : model.pools.front());
  if (out.grouping == "all") out.grouping.clear();
  out.indicators = indicators_below(model, spec.node.empty() ? model.root().id : spec.node);
  const pool_result& pool = evaluation.pool(out.grouping);
  const auto m = static_cast<Eigen::Index>(out.indicators.columns.size());

  // Labels in order of first appearance, so the output follows the data file.
  std::vector<std::string> labels;
  for (const std::string& l : pool.labels)
    if (std::find(labels.begin(), labels.end(), l) == labels.end()) labels.push_back(l);

  for (const std::string& label : labels) {
    mcda_pool p;
    p.label = label;
    for (std::size_t u : pool.members_of(label)) {
      if (evaluation.excluded.count(evaluation.unit_ids[u])) continue;
      bool complete = true;
      for (std::size_t col : out.indicators.columns)
        complete = complete && !std::isnan(pool.normalised(static_cast<Eigen::Index>(u), static_cast<Eigen::Index>(col)));
      (complete || spec.missing == missing_rule::error ? p.units : p.dropped).push_back(u);
    }
    if (p.units.empty()) continue;
    const auto n = static_cast<Eigen::Index>(p.units.size());
    Eigen::MatrixXd y(n, m);
    std::vector<std::string> unit_ids;
    for (Eigen::Index r = 0; r < n; ++r) {
      unit_ids.push_back(evaluation.unit_ids[p.units[static_cast<std::size_t>(r)]]);
      for (Eigen::Index c = 0; c < m; ++c)
        y(r, c) = pool.normalised(static_cast<Eigen::Index>(p.units[static_cast<std::size_t>(r)]),
                                  static_cast<Eigen::Index>(out.indicators.columns[static_cast<std::size_t>(c)]));
    }
    const std::string where = out.grouping.empty() ? "all units" : fmt::format("pool {}={}", out.grouping, label);
    try {
      if (spec.method == mcda_method::bod) {
        p.bod = benefit_of_the_doubt(y, spec.bod, unit_ids, out.indicators.ids);
      } else {
        p.outranking = outranking_matrix(y, out.indicators.nominal, spec.outranking, unit_ids, out.indicators.ids);
        p.kemeny = kemeny_ranking(p.outranking, spec.kemeny);
      }
    } catch (const data_error& e) {
      throw data_error(fmt::format("{}: {}", where, e.what()));
    } catch (const method_error& e) {
      throw method_error(fmt::format("{}: {}", where, e.what()));
    }
    out.pools.push_back(std::move(p));
  }
  return out;
}

}  // namespace parkscore
