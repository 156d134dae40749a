#pragma once
// The evaluation options as Python passes them (evaluate, Plan.evaluate, Result.manifest).

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "parkscore/engine/evaluate.hpp"

namespace parkscore::python {

/// (column, {label: set name}) or None.
using group_weights = std::optional<std::pair<std::string, std::map<std::string, std::string>>>;

evaluation_options make_options(std::vector<std::string> pools, std::map<std::string, std::string> excluded,
                                bool allow_extra_columns, const dataset* previous, const std::string& weight_set,
                                const group_weights& weights_by_group);

/// "full", "lean" or "everything"; schema_error otherwise.
result_contents parse_contents(const std::string& keep);

}  // namespace parkscore::python
