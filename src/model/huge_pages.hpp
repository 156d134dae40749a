#pragma once
// Large arrays that are about to be filled, on transparent huge pages where the
// kernel allows it: one page fault (and one 2 MB clear) instead of 512 faults of
// 4 KB each, which in a virtual machine cost more than the clearing itself.

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace parkscore::detail {

/// Advises the pages of [data, data + bytes) to be huge (from 2 MB on). The range is rounded
/// out to whole pages: a block from malloc starts a few bytes into its first page, and a huge
/// page needs the whole 2 MB it covers advised, so rounding in would lose the first one. The
/// advice never changes the contents of a page, ours or a neighbour's.
inline void advise_huge_pages(void* data, std::size_t bytes) {
  constexpr std::uintptr_t page = 4096;
  const auto begin = reinterpret_cast<std::uintptr_t>(data) / page * page;
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes + page - 1) / page * page;
#if defined(MADV_HUGEPAGE)   // advice only: the numbers do not depend on whether the kernel takes it
  if (bytes >= (std::size_t{2} << 20) && end > begin)
    ::madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)begin;
  (void)end;
#endif
}

/// `v` resized to `n` elements (from empty), its storage advised huge before the elements are made.
template <class T, class Allocator>
void resize_on_huge_pages(std::vector<T, Allocator>& v, std::size_t n) {
  v.reserve(n);
  advise_huge_pages(v.data(), n * sizeof(T));
  v.resize(n);
}

}  // namespace parkscore::detail
