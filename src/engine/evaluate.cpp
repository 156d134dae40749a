#include "parkscore/engine/evaluate.hpp"

#include <cstddef>
#include <deque>
#include <mutex>

#include "parkscore/engine/plan.hpp"

namespace parkscore {

namespace {

// evaluate() is compile + evaluate, and compiling (validation, weight notes) costs about as
// much as evaluating 91 units. A caller who evaluates with one framework again and again
// (years, what-ifs, a loop in Python) need not keep the plan: the last few plans are kept and
// found again by comparing frameworks, about a tenth of compiling. Equal frameworks compile
// to the same plan, and plans are immutable, so a kept one serves any caller.
evaluation_plan plan_for(const framework& model) {
  constexpr std::size_t kept = 4;
  struct recent_plans {
    std::mutex mutex;
    std::deque<evaluation_plan> plans;   // most recent first
  };
  static recent_plans* recent = new recent_plans;   // never destroyed: evaluate() may run at exit
  {
    std::lock_guard lock(recent->mutex);
    for (const evaluation_plan& plan : recent->plans)
      if (plan.model() == model) return plan;
  }
  evaluation_plan plan = compile(model);   // throws for an invalid framework: nothing kept
  std::lock_guard lock(recent->mutex);
  recent->plans.push_front(plan);
  if (recent->plans.size() > kept) recent->plans.pop_back();
  return plan;
}

}  // namespace

result evaluate(const framework& model, const dataset& data, const evaluation_options& options) {
  return plan_for(model).evaluate(data, options);
}

}  // namespace parkscore
