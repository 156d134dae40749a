#include "analysis/workspace_pool.hpp"

#include <mutex>
#include <vector>

namespace parkscore::detail {

namespace {

// Enough for the threads of a few concurrent analyses. A workspace over 32 MB (a pool of
// ~10^6 units) is freed on return rather than kept for an analysis that may never come.
constexpr std::size_t kept_workspaces = 8;
constexpr std::size_t kept_bytes = std::size_t{32} << 20;

struct workspace_pool {
  std::mutex mutex;
  std::vector<std::unique_ptr<workspace>> free;
};

workspace_pool& workspaces() {
  static workspace_pool p;
  return p;
}

std::size_t bytes_of(const workspace& ws) {
  std::size_t doubles = static_cast<std::size_t>(ws.weights.size() + ws.scores.size() + ws.block_scores.size() + ws.shares.size());
  for (const auto& m : ws.node_scores) doubles += static_cast<std::size_t>(m.size());
  doubles += ws.key.capacity() + ws.pool_key.capacity() + ws.run_key.capacity();
  std::size_t bytes = 8 * doubles + 8 * (ws.bits.capacity() + ws.bits_tmp.capacity()) +
                      sizeof(rank_entry) * ws.entries.capacity();
  bytes += 4 * (ws.order.capacity() + ws.order_tmp.capacity() + ws.counts.capacity() + ws.smaller.capacity() +
                ws.pool_key_float.capacity()) + 2 * ws.pool_key_short.capacity();
  return bytes;
}

}  // namespace

workspace_lease::workspace_lease() {
  {
    std::lock_guard lock(workspaces().mutex);
    auto& free = workspaces().free;
    if (!free.empty()) {
      ws_ = std::move(free.back());
      free.pop_back();
      return;
    }
  }
  ws_ = std::make_unique<workspace>();
}

workspace_lease::~workspace_lease() {
  if (bytes_of(*ws_) > kept_bytes) return;
  std::lock_guard lock(workspaces().mutex);
  auto& free = workspaces().free;
  if (free.size() < kept_workspaces) free.push_back(std::move(ws_));
}

}  // namespace parkscore::detail
