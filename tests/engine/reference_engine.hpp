#pragma once
// The pre-plan evaluation engine, kept in the tests as the golden oracle.

#include "parkscore/engine/evaluate.hpp"

namespace parkscore::testing {

result reference_evaluate(const framework& model, const dataset& data, const evaluation_options& options = {});

}  // namespace parkscore::testing
