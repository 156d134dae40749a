#pragma once
// The compiled evaluation plan. Compiling validates the framework once and resolves
// everything that depends on the method only (indicator order, aggregation order, which
// nodes need the whole pool at once, the weight notes); evaluating a dataset then only
// prepares, fits pool statistics, applies the column kernels and ranks. A plan is an
// immutable value: evaluate many datasets with it, from several threads if you like.
// docs/performance.md describes the stages.

#include <memory>

#include "parkscore/engine/evaluate.hpp"

namespace parkscore {

namespace detail {
struct compiled_plan;
}

class evaluation_plan {
 public:
  /// Validates the framework (schema_error naming the first bad node).
  explicit evaluation_plan(const framework& model);

  const framework& model() const;
  /// The same result as parkscore::evaluate(model(), data, options).
  result evaluate(const dataset& data, const evaluation_options& options = {}) const;
  /// The same result, written over `out`: its score, rank and id buffers are reused when
  /// the sizes allow, so a loop of evaluations (years, what-ifs, replicates) does not pay
  /// for fresh memory on every call (docs/performance.md). Whatever `out` held is replaced.
  void evaluate_into(const dataset& data, result& out, const evaluation_options& options = {}) const;

 private:
  std::shared_ptr<const detail::compiled_plan> plan_;
};

/// Compiles a framework into a reusable plan.
evaluation_plan compile(const framework& model);

}  // namespace parkscore
