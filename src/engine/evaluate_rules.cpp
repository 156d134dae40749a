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
    out.set_of_unit.assign(data.unit_count(), 0);
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

double previous_year_benchmark(const std::optional<dataset>& previous, const node& indicator,
                               const std::string& grouping, const std::string& label) {
  const std::string where = grouping.empty() ? std::string("all units") : fmt::format("{} = {}", grouping, label);
  if (!previous)
    throw data_error(fmt::format("indicator '{}': its benchmark is {:g} x the previous year's pool mean, but no "
                                 "previous-year data were given (evaluation_options::previous)",
                                 indicator.id, *indicator.norm.benchmark_factor));
  const std::size_t column = previous->indicator_index(indicator.id);
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
