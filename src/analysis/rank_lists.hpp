#pragma once
// Sorting one unit's list of replicate ranks (src-local; rank_histogram.cpp).

#include <cstddef>
#include <vector>

namespace parkscore::detail {

/// Sorts ranks[0, n) ascending (linear for the spans of ranks lists hold); `scratch` is reused.
void sort_rank_list(int* ranks, std::size_t n, std::vector<int>& scratch);

}  // namespace parkscore::detail
