#pragma once
// Sorting of small key arrays, for ranking many small pools.

#include <cstddef>
#include <cstdint>

namespace parkscore::detail {

/// The largest n that sort_small_keys sorts with its networks.
constexpr std::size_t small_sort_capacity = 512;

/// Sorts keys[0, n) ascending, n <= 512 (small_sort_capacity). Same result on every machine: where the
/// CPU has AVX2, a sorting network in AVX2 registers up to 128 keys, and above that blocks of 128 sorted
/// so and merged by bitonic merge networks (a 2 KiB buffer on the stack); std::sort elsewhere.
/// A larger n is still sorted (by std::sort). Never reads or writes outside keys[0, n).
void sort_small_keys(std::uint32_t* keys, std::size_t n);

}  // namespace parkscore::detail
