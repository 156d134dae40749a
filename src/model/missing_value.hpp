#pragma once
// The missing value: NaN marks a cell without a value everywhere in the library
// (docs/methods.md). Defined once, so that a unity build (tests/consumer) sees one definition.

#include <limits>

namespace parkscore {

inline constexpr double nan = std::numeric_limits<double>::quiet_NaN();

}  // namespace parkscore
