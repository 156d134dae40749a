#include <doctest/doctest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "methods/small_sort.hpp"

using parkscore::detail::small_sort_capacity;
using parkscore::detail::sort_small_keys;

namespace {

constexpr std::uint32_t max_key = std::numeric_limits<std::uint32_t>::max();

// Sorts a copy with sort_small_keys and compares it with std::sort key by key. Guard keys either
// side of the range catch a store outside [0, n).
void check_sorts(const std::vector<std::uint32_t>& input) {
  constexpr std::size_t guard = 8;
  constexpr std::uint32_t guard_key = 0x5EA1ED;
  const std::size_t n = input.size();
  std::vector<std::uint32_t> want = input;
  std::sort(want.begin(), want.end());
  std::vector<std::uint32_t> buffer(guard + n + guard, guard_key);
  std::copy(input.begin(), input.end(), buffer.begin() + guard);

  sort_small_keys(buffer.data() + guard, n);

  const auto got = buffer.begin() + guard;
  const auto first_wrong = std::mismatch(want.begin(), want.end(), got).first - want.begin();
  CAPTURE(n);
  CAPTURE(first_wrong);
  CHECK(static_cast<std::size_t>(first_wrong) == n);
  CHECK(std::all_of(buffer.begin(), got, [](std::uint32_t k) { return k == guard_key; }));
  CHECK(
      std::all_of(got + static_cast<std::ptrdiff_t>(n), buffer.end(), [](std::uint32_t k) { return k == guard_key; }));
}

template <class Draw>
std::vector<std::uint32_t> keys(std::size_t n, Draw draw) {
  std::vector<std::uint32_t> out(n);
  for (auto& k : out) k = draw();
  return out;
}

}  // namespace

TEST_CASE("sort_small_keys matches std::sort for every n up to the capacity") {
  static_assert(small_sort_capacity == 512);
  for (std::uint32_t seed : {1u, 2u, 3u, 42u, 2024u}) {
    std::mt19937 rng(seed);
    for (std::size_t n = 0; n <= small_sort_capacity; ++n) {
      CAPTURE(seed);
      check_sorts(keys(n, [&] { return static_cast<std::uint32_t>(rng()); }));
      check_sorts(keys(n, [&] { return static_cast<std::uint32_t>(rng() >> 1); }));  // 31-bit keys, as in ranking
    }
  }
}

TEST_CASE("sort_small_keys with many duplicates") {
  std::mt19937 rng(7);
  std::uniform_int_distribution<std::uint32_t> four(0, 3);
  for (std::size_t n = 0; n <= small_sort_capacity; ++n) {
    check_sorts(keys(n, [&] { return four(rng); }));
    check_sorts(std::vector<std::uint32_t>(n, 5));
  }
}

TEST_CASE("sort_small_keys on sorted and reversed input") {
  for (std::size_t n = 0; n <= small_sort_capacity; ++n) {
    std::vector<std::uint32_t> up(n);
    for (std::size_t i = 0; i < n; ++i) up[i] = static_cast<std::uint32_t>(3 * i + 1);
    check_sorts(up);
    check_sorts(std::vector<std::uint32_t>(up.rbegin(), up.rend()));
  }
}

TEST_CASE("sort_small_keys with the extreme keys 0 and 0xFFFFFFFF, which equal the padding") {
  std::mt19937 rng(11);
  const std::uint32_t pool[] = {0, 1, 0x7FFFFFFF, 0x80000000, max_key - 1, max_key};
  for (std::size_t n = 0; n <= small_sort_capacity; ++n) {
    check_sorts(keys(n, [&] { return (rng() & 1) != 0 ? pool[rng() % 6] : static_cast<std::uint32_t>(rng()); }));
    check_sorts(keys(n, [&] { return pool[rng() % 6]; }));
    check_sorts(std::vector<std::uint32_t>(n, max_key));
  }
  // The unsigned order, not the signed one: 0x80000000 sorts after 0x7FFFFFFF.
  std::vector<std::uint32_t> signs = {0x80000000, 0x7FFFFFFF, max_key, 0, 3, 0x80000001, 2, 1, 9, 8};
  sort_small_keys(signs.data(), signs.size());
  CHECK(signs == std::vector<std::uint32_t>{0, 1, 2, 3, 8, 9, 0x7FFFFFFF, 0x80000000, 0x80000001, max_key});
}

// Above 128 keys the function sorts blocks of 128 and merges them: inputs whose blocks overlap little or
// not at all, so that one input of a merge runs out early, and max_key keys that meet the padding.
TEST_CASE("sort_small_keys on block patterns that stress the merges") {
  std::mt19937 rng(13);
  for (std::size_t n = 129; n <= small_sort_capacity; ++n) {
    CAPTURE(n);
    std::vector<std::uint32_t> in(n);
    for (std::size_t i = 0; i < n; ++i) in[i] = static_cast<std::uint32_t>(i % 128);  // every block sorted, alike
    check_sorts(in);
    for (std::size_t i = 0; i < n; ++i) in[i] = static_cast<std::uint32_t>(n - i / 128);  // blocks descending
    check_sorts(in);
    for (std::size_t i = 0; i < n; ++i) in[i] = i < 128 * ((n - 1) / 128) ? max_key : static_cast<std::uint32_t>(rng());
    check_sorts(in);  // the last, short block holds the small keys
    for (std::size_t i = 0; i < n; ++i) in[i] = i < 128 * ((n - 1) / 128) ? static_cast<std::uint32_t>(rng()) : max_key;
    check_sorts(in);  // the last block holds keys equal to its padding
    for (std::size_t i = 0; i < n; ++i) in[i] = static_cast<std::uint32_t>(std::min(i, n - 1 - i));  // organ pipe
    check_sorts(in);
  }
}

TEST_CASE("sort_small_keys past the capacity still sorts (std::sort fallback)") {
  std::mt19937 rng(5);
  for (std::size_t n : {small_sort_capacity + 1, std::size_t{600}, std::size_t{1000}})
    check_sorts(keys(n, [&] { return static_cast<std::uint32_t>(rng()); }));
}
