#pragma once
// Declared uncertain inputs of an uncertainty analysis (docs/uncertainty.md):
// weight perturbations, which the engine applies as matrix products on data
// normalised once, and discrete choices or uniform parameters, which are edits
// of the framework's JSON evaluated once per distinct combination.

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parkscore/model/framework.hpp"

namespace parkscore {

enum class weight_draw {
  uniform_factor,   // each child's weight x U(1 - spread, 1 + spread), independently
  dirichlet,        // the children's shares ~ Dirichlet(concentration x nominal share)
  simplex,          // the shares uniform on the simplex (SMAA), optionally within bounds and an order
};

/// The weights that one aggregate node gives its children vary.
struct weight_uncertainty {
  std::string name;              // label in Sobol tables; default "weights:<node>"
  std::string node;              // aggregate node id; "*" = every aggregate node (one input)
  weight_draw draw = weight_draw::uniform_factor;
  double spread = 0.25;          // uniform_factor
  double concentration = 100.0;  // dirichlet
  std::map<std::string, std::pair<double, double>> bounds;   // simplex: child id -> [lo, hi] share
  std::vector<std::string> order;                             // simplex: child ids, heaviest first
};

/// One edit of the framework JSON (RFC 6901 pointer). `value_json` is JSON text;
/// op "remove" deletes the element (used to drop an indicator).
struct framework_edit {
  std::string op = "replace";    // "replace" (or add) | "remove"
  std::string pointer;
  std::string value_json;
};

/// One alternative of a discrete choice: edits of the framework and/or a weight set.
struct choice_option {
  std::string label;
  std::vector<framework_edit> edits;
  std::string weight_set;        // evaluation_options::weight_set for this option ("" = unchanged)
};

/// A discrete uncertain input: one option per replicate, equal probabilities unless given.
struct discrete_uncertainty {
  std::string name;
  std::vector<choice_option> options;
  std::vector<double> probabilities;
};

/// A framework parameter uniform on [lo, hi] (every replicate evaluates its own framework).
struct parameter_uncertainty {
  std::string name;
  std::string pointer;
  double lo = 0.0;
  double hi = 1.0;
};

struct uncertainty_spec {
  std::vector<weight_uncertainty> weights;
  std::vector<discrete_uncertainty> choices;
  std::vector<parameter_uncertainty> parameters;

  /// Inputs in Sobol order: weights, then choices, then parameters.
  std::size_t input_count() const { return weights.size() + choices.size() + parameters.size(); }
  std::vector<std::string> input_names() const;
  bool empty() const { return input_count() == 0; }
};

/// Reads a spec (an object with "inputs", or one with an "uncertainty" key holding it).
/// Node and indicator ids are resolved against `model` into JSON pointers; errors name
/// `source` and the JSON path of the offending entry.
uncertainty_spec parse_uncertainty_spec(std::string_view json_text, const framework& model,
                                        const std::string& source = "<string>");
uncertainty_spec load_uncertainty_spec(const std::filesystem::path& file, const framework& model);

/// The JSON pointer of a node's object in to_json(model) (e.g. "/index/children/0").
std::string node_pointer(const framework& model, const std::string& node_id);

/// The framework with the edits applied (to_json, edit, parse_framework); errors name the pointer.
framework apply_edits(const framework& model, const std::vector<framework_edit>& edits);

}  // namespace parkscore
