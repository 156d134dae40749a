#pragma once
// Sorting one unit's list of replicate ranks (src-local; rank_histogram.cpp).

#include <vector>

namespace parkscore::detail {

/// Sorts `list` ascending (linear for the spans of ranks lists hold); `scratch` is reused.
void sort_rank_list(std::vector<int>& list, std::vector<int>& scratch);

}  // namespace parkscore::detail
