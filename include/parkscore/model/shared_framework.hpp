#pragma once
// The framework a result was evaluated with: shared with the plan that evaluated it, read-only,
// never copied per evaluation and never null (docs/performance.md, "The framework is shared").

#include <memory>

#include "parkscore/model/framework.hpp"

namespace parkscore {

/// Read with `->` or `*`, or pass where a `const framework&` is taken. Made from a framework
/// (copied once, into shared memory) or from a shared pointer (no copy); an empty framework
/// by default.
class shared_framework {
 public:
  shared_framework();
  shared_framework(framework model);                          // NOLINT(google-explicit-constructor)
  shared_framework(std::shared_ptr<const framework> model);   // NOLINT(google-explicit-constructor)
  // A moved-from handle holds the empty framework, not null: a moved-from result still reads.
  shared_framework(const shared_framework&) = default;
  shared_framework(shared_framework&& other) noexcept;
  shared_framework& operator=(const shared_framework&) = default;
  shared_framework& operator=(shared_framework&& other) noexcept;

  const framework& operator*() const { return *model_; }
  const framework* operator->() const { return model_.get(); }
  operator const framework&() const { return *model_; }       // NOLINT(google-explicit-constructor)
  const std::shared_ptr<const framework>& pointer() const { return model_; }

 private:
  std::shared_ptr<const framework> model_;
};

}  // namespace parkscore
