#pragma once
// Scratch memory reused across evaluations (src-local). A block's buffers hold every
// node's scores for 2048 rows (600 kB for 38 nodes): allocated and zeroed per call they
// cost fresh pages each time, which at 10^4 units was a quarter of an evaluation. Leases
// come back to a small process-wide pool and go out again uninitialised; every element is
// written by a kernel before it is read.

#include <cstddef>
#include <memory>

namespace parkscore::detail {

class scratch_lease {
 public:
  /// At least `doubles` doubles of uninitialised memory, until the lease ends.
  explicit scratch_lease(std::size_t doubles);
  ~scratch_lease();
  scratch_lease(const scratch_lease&) = delete;
  scratch_lease& operator=(const scratch_lease&) = delete;

  double* data() const { return memory_.get(); }

 private:
  std::unique_ptr<double[]> memory_;
  std::size_t size_ = 0;
};

}  // namespace parkscore::detail
