#pragma once
// Pieces of the evaluation that the zone rules add (src-local): the weights
// each unit is aggregated with, and benchmarks from the previous year.

#include <string>
#include <vector>

#include "parkscore/engine/evaluate.hpp"

namespace parkscore::detail {

/// The weight set of every unit, resolved to node weights.
struct unit_weights {
  std::vector<std::string> set_names;         // distinct sets in use
  std::vector<std::vector<double>> weights;   // per set: node weights (framework::nodes() order)
  std::vector<std::size_t> set_of_unit;       // empty: set 0 for every unit (8 MB less at 10^6)

  std::size_t set(std::size_t unit) const { return set_of_unit.empty() ? 0 : set_of_unit[unit]; }
  double weight(std::size_t unit, int node) const { return weights[set(unit)][static_cast<std::size_t>(node)]; }
  const std::string& name(std::size_t unit) const { return set_names[set(unit)]; }
};

unit_weights resolve_unit_weights(const framework& model, const dataset& data, const evaluation_options& options);

/// A warning for each weight set in use that leaves nodes at the tree's weights (it does
/// not list them), naming the set and the nodes: a set of indicator weights only would
/// otherwise keep the categories' weights silently.
void note_partial_weight_sets(const framework& model, const unit_weights& weights, std::vector<note>& notes);

/// benchmark_factor x the mean of the previous year's (clipped) values of the
/// indicator over the units with the same label; throws data_error naming what is missing.
double previous_year_benchmark(const std::optional<dataset>& previous, const node& indicator,
                               const std::string& grouping, const std::string& label);

}  // namespace parkscore::detail
