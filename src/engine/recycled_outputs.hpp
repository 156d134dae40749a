#pragma once
// The large outputs of results that no longer exist, kept for the next evaluation
// (src-local). A fresh page costs a page fault on first touch, ~10 µs on the virtual
// machines measured here, and glibc hands the freed top of its heap back to the kernel at
// once: a loop of fresh 10^4-unit results spent 90 % of its time faulting. A result gives
// its score, rank, coverage and normalised matrices here when it is destroyed; an evaluation
// that needs one of that size takes it back. The contents are never read: every element is
// written before it is used.

#include <Eigen/Core>

#include <vector>

#include "parkscore/engine/result.hpp"

namespace parkscore::detail {

/// Keeps the storage of `m` if it is large and the cache has room (it is then empty).
void recycle(Eigen::MatrixXd& m);
void recycle(Eigen::MatrixXi& m);

/// m resized to rows x cols (contents unspecified): its own storage if the size is
/// unchanged, else recycled storage of that size if there is some, else fresh memory
/// (huge pages advised, fresh_memory.hpp).
void resize_recycled(Eigen::MatrixXd& m, Eigen::Index rows, Eigen::Index cols);
void resize_recycled(Eigen::MatrixXi& m, Eigen::Index rows, Eigen::Index cols);

/// The pools and notes of a small result (every matrix below what the caches above keep)
/// that no longer exists, kept whole: a fresh result takes them, and its evaluation then
/// reuses their records, strings and matrices as a reused result's does, where malloc would
/// otherwise be asked for each (a 91-unit evaluate(): 141.7 k -> 130.2 k instructions). Larger
/// pools are left to destruct (their matrices go to the caches above).
void recycle_small(std::vector<pool_result>& pools, std::vector<note>& notes) noexcept;
/// Swaps in a small result's pools and notes if some are kept (a fresh result's are empty).
void take_small(std::vector<pool_result>& pools, std::vector<note>& notes);

}  // namespace parkscore::detail
