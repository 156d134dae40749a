#include "engine/evaluate_rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "parkscore/error.hpp"

namespace parkscore::detail {

unit_weights resolve_unit_weights(const framework& model, const dataset& data, const evaluation_options& options) {
  const auto& by_group = options.weights_by_group ? options.weights_by_group : model.weight_sets.by_group;
  unit_weights out;
  if (!options.weight_set.empty() || !by_group) {   // one set for every unit: no per-unit names
    const std::string name = options.weight_set.empty() ? model.weight_sets.default_name : options.weight_set;
    out.weights = {weight_set_weights(model, name)};   // schema_error for an unknown name
    out.set_names = {name};
    return out;
  }
  const std::vector<std::string> names = unit_weight_sets(model, data, options.weight_set, by_group);
  out.set_of_unit.reserve(names.size());
  for (const std::string& name : names) {
    auto it = std::find(out.set_names.begin(), out.set_names.end(), name);
    if (it == out.set_names.end()) {
      out.set_names.push_back(name);
      out.weights.push_back(weight_set_weights(model, name));
      it = out.set_names.end() - 1;
    }
    out.set_of_unit.push_back(static_cast<std::size_t>(it - out.set_names.begin()));
  }
  return out;
}

namespace {

// The nodes a partial set leaves at the tree's weights where that is likely an oversight:
// the unlisted siblings of a listed node (a sibling group mixing the set's and the tree's
// weights), and a sibling group the set skips while it lists nodes below it (indicator
// weights without their categories'). A set that changes only the upper levels is not flagged.
std::vector<std::string> left_at_tree_weights(const framework& model, const weight_set& set) {
  const std::size_t n = model.nodes().size();
  std::vector<bool> listed(n, false), listed_below(n, false);
  for (std::size_t k = 0; k < n; ++k) listed[k] = set.weights.count(model.nodes()[k].id) != 0;
  for (std::size_t k = n; k-- > 0;)   // parents are stored first: children before parents here
    for (int c : model.nodes()[k].children)
      listed_below[k] = listed_below[k] || listed[static_cast<std::size_t>(c)] || listed_below[static_cast<std::size_t>(c)];
  std::vector<std::string> out;
  for (const node& parent : model.nodes()) {
    bool any_listed = false, deeper = false;
    for (int c : parent.children) {
      any_listed = any_listed || listed[static_cast<std::size_t>(c)];
      deeper = deeper || listed_below[static_cast<std::size_t>(c)];
    }
    if (!any_listed && !deeper) continue;
    for (int c : parent.children)
      if (!listed[static_cast<std::size_t>(c)]) out.push_back(model.at(c).id);
  }
  return out;
}

}  // namespace

void note_partial_weight_sets(const framework& model, const unit_weights& weights, std::vector<note>& notes) {
  constexpr std::size_t shown = 8;
  for (const std::string& name : weights.set_names) {
    const auto set = std::find_if(model.weight_sets.sets.begin(), model.weight_sets.sets.end(),
                                  [&](const weight_set& s) { return s.name == name; });
    if (set == model.weight_sets.sets.end()) continue;   // the default: the tree's own weights
    const std::vector<std::string> left = left_at_tree_weights(model, *set);
    if (left.empty()) continue;
    const std::vector<std::string> head(left.begin(), left.begin() + static_cast<std::ptrdiff_t>(std::min(left.size(), shown)));
    notes.push_back({severity::warning, "weights", "", "", "",
                     fmt::format("weight set '{}' does not list {} node(s), which keep the framework's weights: {}{} "
                                 "(list them, or mark the set \"complete\": true to have every node required)",
                                 name, left.size(), fmt::join(head, ", "),
                                 left.size() > shown ? fmt::format(" and {} more", left.size() - shown) : "")});
  }
}

double previous_year_benchmark(const std::optional<dataset>& previous, const node& indicator,
                               const std::string& grouping, const std::string& label) {
  const std::string where = grouping.empty() ? std::string("all units") : fmt::format("{} = {}", grouping, label);
  if (!previous)
    throw data_error(fmt::format("indicator '{}': its benchmark is {:g} x the previous year's pool mean, but no "
                                 "previous-year data were given (CLI: --previous FILE; Python: previous=...)",
                                 indicator.id, *indicator.norm.benchmark_factor));
  // `previous` holds the derived columns the previous year can give (prepare_units).
  const auto found = previous->find_indicator(indicator.id);
  if (!found)
    throw data_error(fmt::format("indicator '{}': its benchmark is {:g} x the previous year's pool mean, but the "
                                 "previous year's data{} have no column '{}' and cannot derive it (a derived "
                                 "indicator that uses lag() has no previous-year value)",
                                 indicator.id, *indicator.norm.benchmark_factor,
                                 previous->source.empty() ? "" : " (" + previous->source + ")", indicator.id));
  const std::size_t column = *found;
  double sum = 0.0;
  std::size_t count = 0;
  for (std::size_t i = 0; i < previous->unit_count(); ++i) {
    if (!grouping.empty() && previous->group(grouping)[i] != label) continue;
    const double x = clip_value(previous->value(i, column), indicator.norm);
    if (std::isnan(x)) continue;
    sum += x;
    ++count;
  }
  if (count == 0 || !(sum > 0))
    throw data_error(fmt::format("indicator '{}': the previous year's data have no positive mean for {} "
                                 "(needed for the benchmark)", indicator.id, where));
  return *indicator.norm.benchmark_factor * sum / static_cast<double>(count);
}

}  // namespace parkscore::detail
