#include "parkscore/model/weight_set.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "parkscore/model/dataset.hpp"
#include "parkscore/error.hpp"
#include "parkscore/model/framework.hpp"

namespace parkscore {

namespace {

const weight_set* find_set(const framework& model, const std::string& name) {
  for (const weight_set& s : model.weight_sets.sets)
    if (s.name == name) return &s;
  return nullptr;
}

void require_known(const framework& model, const std::string& name) {
  if (name == model.weight_sets.default_name || find_set(model, name)) return;
  throw schema_error(fmt::format("framework '{}': no weight set named '{}' (known: {})", model.id, name,
                                 fmt::join(weight_set_names(model), ", ")));
}

}  // namespace

std::vector<std::string> weight_set_names(const framework& model) {
  std::vector<std::string> names{model.weight_sets.default_name};
  for (const weight_set& s : model.weight_sets.sets) names.push_back(s.name);
  return names;
}

std::vector<std::string> unlisted_nodes(const framework& model, const std::string& name) {
  require_known(model, name);
  std::vector<std::string> out;
  const weight_set* s = find_set(model, name);
  if (!s) return out;   // the default: the tree's own weights
  for (std::size_t i = 1; i < model.nodes().size(); ++i)
    if (!s->weights.count(model.nodes()[i].id)) out.push_back(model.nodes()[i].id);
  return out;
}

std::vector<double> weight_set_weights(const framework& model, const std::string& name) {
  require_known(model, name);
  std::vector<double> w;
  w.reserve(model.nodes().size());
  for (const node& n : model.nodes()) w.push_back(n.weight);
  if (const weight_set* s = find_set(model, name))
    for (const auto& [id, weight] : s->weights) w[static_cast<std::size_t>(model.index_of(id))] = weight;
  return w;
}

framework apply_weight_set(const framework& model, const std::string& name) {
  require_known(model, name);
  if (name == model.weight_sets.default_name) return model;
  framework out = model;
  weight_set former{model.weight_sets.default_name, "the tree weights before '" + name + "' was applied", "", {}};
  const std::vector<double> w = weight_set_weights(model, name);
  for (std::size_t i = 1; i < model.nodes().size(); ++i) {
    former.weights[model.nodes()[i].id] = model.nodes()[i].weight;
    out.at(static_cast<int>(i)).weight = w[i];
  }
  auto& sets = out.weight_sets.sets;
  const auto it = std::find_if(sets.begin(), sets.end(), [&](const weight_set& s) { return s.name == name; });
  *it = std::move(former);
  out.weight_sets.default_name = name;
  return out;
}

std::vector<std::string> unit_weight_sets(const framework& model, const dataset& data, const std::string& chosen,
                                          const std::optional<weight_set_by_group>& by_group) {
  if (!chosen.empty()) {
    require_known(model, chosen);
    return std::vector<std::string>(data.unit_count(), chosen);
  }
  std::vector<std::string> out(data.unit_count(), model.weight_sets.default_name);
  if (!by_group) return out;
  for (const auto& [label, set] : by_group->sets) require_known(model, set);
  const std::vector<std::string>& labels = data.group(by_group->column);
  for (std::size_t i = 0; i < labels.size(); ++i)
    if (const auto it = by_group->sets.find(labels[i]); it != by_group->sets.end()) out[i] = it->second;
  return out;
}

namespace detail {

void validate_weighting(const framework& model) {
  const weighting& w = model.weight_sets;
  if (w.default_name.empty()) throw schema_error(fmt::format("framework '{}': the default weight set needs a name", model.id));
  std::set<std::string> names{w.default_name};
  for (const weight_set& s : w.sets) {
    if (s.name.empty()) throw schema_error(fmt::format("framework '{}': a weight set has no name", model.id));
    if (!names.insert(s.name).second)
      throw schema_error(fmt::format("framework '{}': weight set '{}' is defined twice", model.id, s.name));
    for (const auto& [id, weight] : s.weights) {
      const auto index = model.find(id);
      if (!index) throw schema_error(fmt::format("weight set '{}': no node with id '{}'", s.name, id));
      if (*index == 0) throw schema_error(fmt::format("weight set '{}': the root '{}' has no siblings to weigh against", s.name, id));
      if (!std::isfinite(weight) || weight < 0)
        throw schema_error(fmt::format("weight set '{}', node '{}': weight must be a finite number >= 0, got {}",
                                       s.name, id, weight));
    }
    if (s.complete)
      if (const std::vector<std::string> missing = unlisted_nodes(model, s.name); !missing.empty())
        throw schema_error(fmt::format("weight set '{}' is complete but does not list {} node(s): {}", s.name,
                                       missing.size(), fmt::join(missing, ", ")));
    const std::vector<double> weights = weight_set_weights(model, s.name);
    for (const node& n : model.nodes()) {
      if (n.is_indicator()) continue;
      double sum = 0.0;
      for (int c : n.children) sum += weights[static_cast<std::size_t>(c)];
      if (!(sum > 0))
        throw schema_error(fmt::format("weight set '{}': the weights of the children of '{}' are all zero", s.name, n.id));
      if (!std::isfinite(sum))
        throw schema_error(fmt::format("weight set '{}': the weights of the children of '{}' sum beyond the range of a "
                                       "double; scale them down (only their ratios matter)", s.name, n.id));
    }
  }
  if (w.by_group) {
    if (w.by_group->column.empty())
      throw schema_error(fmt::format("framework '{}': weight sets by group need a grouping column", model.id));
    for (const auto& [label, set] : w.by_group->sets)
      if (!names.count(set))
        throw schema_error(fmt::format("weight sets by '{}': label '{}' names unknown weight set '{}'",
                                       w.by_group->column, label, set));
  }
}

}  // namespace detail

}  // namespace parkscore
