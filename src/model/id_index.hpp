#pragma once
// A set of ids, each with a number (a line, a position), for duplicate checks
// over up to millions of units: open addressing over one slot array, instead of
// a node and an allocation per id as in std::set or std::unordered_map.

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "parkscore/error.hpp"

namespace parkscore::detail {

class id_index {
 public:
  /// `borrowed`: the ids outlive the index (no copy); `copied`: they may not.
  enum class keys { borrowed, copied };

  explicit id_index(std::size_t expected = 0, keys k = keys::copied) : copy_(k == keys::copied) {
    std::size_t capacity = 16;
    while (capacity < 2 * expected) capacity *= 2;
    slots_.assign(capacity, slot{0, 0});
    entries_.reserve(expected);
  }

  /// The number of an earlier `id`, or records `id` with `number` and returns nullopt.
  std::optional<std::size_t> insert(std::string_view id, std::size_t number) {
    if (2 * (entries_.size() + 1) > slots_.size()) grow();
    if (entries_.size() >= std::numeric_limits<std::uint32_t>::max() - 1) throw data_error("more than 4 billion ids");
    const std::size_t hash = std::hash<std::string_view>{}(id);
    const auto tag = static_cast<std::uint32_t>(hash >> 32);
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = hash & mask;
    for (; slots_[i].index != 0; i = (i + 1) & mask) {
      if (slots_[i].hash != tag) continue;
      const entry& e = entries_[slots_[i].index - 1];
      if (e.id == id) return e.number;
    }
    entries_.push_back({copy_ ? keep(id) : id, number});
    slots_[i] = {static_cast<std::uint32_t>(entries_.size()), tag};
    return std::nullopt;
  }

 private:
  struct entry {
    std::string_view id;
    std::size_t number;
  };
  // Index + 1 into entries_ (0 = empty) and the high half of the id's hash, so
  // that a probe rarely looks at an entry that does not match.
  struct slot {
    std::uint32_t index;
    std::uint32_t hash;
  };

  std::string_view keep(std::string_view id) {
    constexpr std::size_t chunk = 1 << 16;
    if (id.size() > arena_left_) {
      const std::size_t size = std::max(chunk, id.size());
      arena_.push_back(std::make_unique<char[]>(size));
      arena_next_ = arena_.back().get();
      arena_left_ = size;
    }
    std::memcpy(arena_next_, id.data(), id.size());
    const std::string_view kept(arena_next_, id.size());
    arena_next_ += id.size();
    arena_left_ -= id.size();
    return kept;
  }

  void grow() {
    std::vector<slot> old(slots_.size() * 2, slot{0, 0});
    old.swap(slots_);
    const std::size_t mask = slots_.size() - 1;
    for (const slot& s : old) {
      if (s.index == 0) continue;
      std::size_t i = std::hash<std::string_view>{}(entries_[s.index - 1].id) & mask;
      while (slots_[i].index != 0) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }

  bool copy_ = true;
  std::vector<slot> slots_;
  std::vector<entry> entries_;
  std::vector<std::unique_ptr<char[]>> arena_;   // copies of the ids, in chunks that never move
  std::size_t arena_left_ = 0;
  char* arena_next_ = nullptr;
};

}  // namespace parkscore::detail
