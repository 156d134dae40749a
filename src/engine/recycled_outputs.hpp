#pragma once
// The large outputs of results that no longer exist, kept for the next evaluation
// (src-local). A fresh page costs a page fault on first touch, ~10 µs on the virtual
// machines measured here, and glibc hands the freed top of its heap back to the kernel at
// once: a loop of fresh 10^4-unit results spent 90 % of its time faulting. A result gives
// its score, rank, coverage and normalised matrices here when it is destroyed; an evaluation
// that needs one of that size takes it back. The contents are never read: every element is
// written before it is used.

#include <Eigen/Core>

namespace parkscore::detail {

/// Keeps the storage of `m` if it is large and the cache has room (it is then empty).
void recycle(Eigen::MatrixXd& m);
void recycle(Eigen::MatrixXi& m);

/// m resized to rows x cols (contents unspecified): its own storage if the size is
/// unchanged, else recycled storage of that size if there is some, else fresh memory
/// (huge pages advised, fresh_memory.hpp).
void resize_recycled(Eigen::MatrixXd& m, Eigen::Index rows, Eigen::Index cols);
void resize_recycled(Eigen::MatrixXi& m, Eigen::Index rows, Eigen::Index cols);

}  // namespace parkscore::detail
