#pragma once
// Large outputs on fresh memory (src-local). Every fresh 4 KiB page costs a page fault on
// first touch; on the virtual machines this library is measured on a fault costs tens of
// microseconds, so the outputs of 10^6 units (~10^5 pages) cost more than computing them.
// Transparent huge pages turn 512 faults into one: we ask for them (madvise) on large
// blocks before anything is written (docs/performance.md).

#include <Eigen/Core>
#include <cstddef>
#include <vector>

#include "model/huge_pages.hpp"

namespace parkscore::detail {

/// Asks for huge pages on [p, p + bytes) where the kernel allows (model/huge_pages.hpp).
inline void prefer_huge_pages(const void* p, std::size_t bytes) { advise_huge_pages(const_cast<void*>(p), bytes); }

/// m.resize(rows, cols), with huge pages preferred before the first write (a matrix of
/// the same size keeps its memory).
template <class Matrix>
void resize_fresh(Matrix& m, Eigen::Index rows, Eigen::Index cols) {
  if (m.rows() == rows && m.cols() == cols) return;
  m.resize(rows, cols);
  prefer_huge_pages(m.data(), static_cast<std::size_t>(m.size()) * sizeof(typename Matrix::Scalar));
}

/// v.reserve(n), with huge pages preferred before the first write.
template <class T>
void reserve_fresh(std::vector<T>& v, std::size_t n) {
  v.reserve(n);
  prefer_huge_pages(v.data(), n * sizeof(T));
}

}  // namespace parkscore::detail
