#pragma once
// Replicate workspaces reused across analyses (src-local). A thread's workspace holds a block's
// scores and sort buffers (400 kB at 91 units, 8 MB at 10 000): new for every run they cost
// fresh pages each time, a twentieth of a 91 x 32 analysis and more at 10 000 units. Leases come
// back to a small process-wide pool; a workspace keeps its buffers' contents, which every block
// overwrites before reading.

#include <memory>

#include "analysis/scenario.hpp"

namespace parkscore::detail {

class workspace_lease {
 public:
  workspace_lease();
  ~workspace_lease();
  workspace_lease(const workspace_lease&) = delete;
  workspace_lease& operator=(const workspace_lease&) = delete;

  workspace& operator*() const { return *ws_; }

 private:
  std::unique_ptr<workspace> ws_;
};

}  // namespace parkscore::detail
