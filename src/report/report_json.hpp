#pragma once
// JSON helpers shared by the report writers (src-local).

#include <cmath>
#include <nlohmann/json.hpp>

namespace parkscore::detail {

/// A number, or null for NaN (JSON has no NaN).
inline nlohmann::ordered_json json_number(double x) {
  return std::isnan(x) ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(x);
}

}  // namespace parkscore::detail
