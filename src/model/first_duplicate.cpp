#include "model/first_duplicate.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <functional>
#include <string_view>

#include "model/huge_pages.hpp"
#include "model/id_index.hpp"

namespace parkscore::detail {

namespace {

// The one-table way: exact whatever the hashes, and quickest for short lists.
std::optional<std::size_t> first_duplicate_by_index(const std::vector<std::string>& ids) {
  id_index seen(ids.size(), id_index::keys::borrowed);
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (seen.insert(ids[i], i)) return i;
  return std::nullopt;
}

struct item {
  std::uint64_t hash;
  std::size_t index;
};

}  // namespace

std::optional<std::size_t> first_duplicate(const std::vector<std::string>& ids) {
  const std::size_t n = ids.size();
  if (n < 8192) return first_duplicate_by_index(ids);
  // About 256 ids a bucket; the top `bits` of the hash choose it, the low bits the slot.
  const int bits = static_cast<int>(std::bit_width(n)) - 1 - 8;
  const std::size_t buckets = std::size_t{1} << bits;
  std::vector<std::uint64_t> hashes;
  resize_on_huge_pages(hashes, n);
  std::vector<std::size_t> start(buckets + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    hashes[i] = std::hash<std::string_view>{}(ids[i]);
    ++start[(hashes[i] >> (64 - bits)) + 1];
  }
  for (std::size_t b = 0; b < buckets; ++b) start[b + 1] += start[b];
  std::vector<item> items;
  resize_on_huge_pages(items, n);
  {
    std::vector<std::size_t> next(start.begin(), start.end() - 1);
    for (std::size_t i = 0; i < n; ++i) items[next[hashes[i] >> (64 - bits)]++] = {hashes[i], i};   // in id order
  }
  hashes = {};
  std::size_t largest = 0;
  for (std::size_t b = 0; b < buckets; ++b) largest = std::max(largest, start[b + 1] - start[b]);
  std::vector<std::uint32_t> slots(std::bit_ceil(2 * largest));   // position in the bucket + 1; 0 = empty
  const std::size_t mask = slots.size() - 1;
  std::optional<std::size_t> first;
  for (std::size_t b = 0; b < buckets; ++b) {
    const item* bucket = items.data() + start[b];
    const std::size_t size = start[b + 1] - start[b];
    std::fill(slots.begin(), slots.end(), 0u);
    for (std::size_t k = 0; k < size; ++k) {
      std::size_t s = bucket[k].hash & mask;
      for (; slots[s] != 0; s = (s + 1) & mask) {
        const item& earlier = bucket[slots[s] - 1];
        if (earlier.hash != bucket[k].hash) continue;
        // Equal hashes: the ids are equal (a repeat, later than `earlier` since
        // buckets keep id order), or a 64-bit collision, which the table settles.
        if (ids[earlier.index] != ids[bucket[k].index]) return first_duplicate_by_index(ids);
        if (!first || bucket[k].index < *first) first = bucket[k].index;
        break;
      }
      if (slots[s] == 0) slots[s] = static_cast<std::uint32_t>(k + 1);
    }
  }
  return first;
}

}  // namespace parkscore::detail
