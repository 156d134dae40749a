#pragma once
// Named convention sets: where published tools differ on a detail (the log fallback of
// an outlier treatment, ties in a rank, an entropy of a zero, ...), a framework file may
// say "conventions": "coinr" and get that tool's choice for every detail at once, then
// override single options. docs/conventions.md lists each option and set side by side.

#include <string>
#include <vector>

#include "parkscore/model/framework.hpp"

namespace parkscore {

/// The defaults a convention set gives a framework file before its own "defaults" and
/// node fields (which still win).
struct convention_defaults {
  normalisation norm;
  aggregation agg;
  treatment treat;
  screening screen;
  ranking rank_rule;
  entropy_options entropy;
  variation_options variation;
};

/// "parkscore" (the library's defaults), "coinr", "spssau", "pymcdm".
std::vector<std::string> convention_set_names();

/// The defaults of a named set; throws schema_error listing the known names.
convention_defaults convention_set(const std::string& name);

}  // namespace parkscore
