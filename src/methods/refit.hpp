#pragma once
// Refitting a normaliser whose spec is already in place (src-local): the engine's own
// normalisers, refitted for the same indicator of the same plan, skip copying the spec
// (a dozen optionals and three vectors; a fifth of a fit).

#include "parkscore/methods/normalise.hpp"

namespace parkscore::detail {

/// fit_from_stats(stats, into.spec, dir, into), without copying the spec onto itself.
bool refit_from_stats(const column_stats& stats, direction dir, fitted_normaliser& into);

}  // namespace parkscore::detail
