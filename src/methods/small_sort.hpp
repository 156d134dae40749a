#pragma once
// Sorting of small key arrays, for ranking many small pools.

#include <cstddef>
#include <cstdint>

namespace parkscore::detail {

/// The largest n that sort_small_keys sorts with its network.
constexpr std::size_t small_sort_capacity = 128;

/// Sorts keys[0, n) ascending, n <= 128 (small_sort_capacity). Same result on every machine:
/// a sorting network in AVX2 registers where the CPU has AVX2, std::sort elsewhere.
/// A larger n is still sorted (by std::sort), never written past.
void sort_small_keys(std::uint32_t* keys, std::size_t n);

}  // namespace parkscore::detail
