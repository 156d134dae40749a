#include "parkscore/engine/evaluate.hpp"

#include "parkscore/engine/plan.hpp"

namespace parkscore {

result evaluate(const framework& model, const dataset& data, const evaluation_options& options) {
  return compile(model).evaluate(data, options);
}

}  // namespace parkscore
