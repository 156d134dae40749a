#pragma once
// The checks of framework::validate, one node at a time, with the key that is
// wrong, so the file reader can point at its JSON path instead of at the root.

#include <optional>
#include <string>

#include "parkscore/model/framework.hpp"

namespace parkscore::detail {

/// Largest magnitude accepted for parameters that set a score scale (lo, hi,
/// d0, c, target_mean, target_sd, tier scores, rescale bounds, total_points):
/// products of such a parameter with a normalised value stay far from overflow.
inline constexpr double max_scale_parameter = 1e100;
/// Largest |p| of a power mean; beyond it the mean is the maximum (or minimum) to print precision.
inline constexpr double max_power = 1000.0;
/// Deepest tree accepted (levels below the root).
inline constexpr int max_tree_depth = 1000;

struct node_problem {
  std::string key;       // relative to the node, e.g. "normalisation/hi", "children", "weight"
  std::string message;   // names the node, e.g. "indicator 'gdp': normalisation 'min_max': hi (0) must exceed lo (1)"
};

/// The first problem of node `index` (its own settings and its children's weights), if any.
std::optional<node_problem> check_node(const framework& fw, int index);

}  // namespace parkscore::detail
