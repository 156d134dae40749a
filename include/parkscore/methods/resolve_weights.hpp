#pragma once
// Freezes a framework's declared weightings (AHP, entropy, CRITIC, ...) into
// plain weights for one pool, e.g. to publish or reuse the weights.

#include <string>
#include <vector>

#include "parkscore/model/dataset.hpp"
#include "parkscore/engine/evaluate.hpp"
#include "parkscore/model/framework.hpp"
#include "parkscore/engine/result.hpp"

namespace parkscore {

/// A pool: the units with `label` in the grouping column ("" = all units, label ignored).
struct pool_selector {
  std::string grouping;
  std::string label;
};

struct resolved_weights {
  framework model;                     // every node's weighting is fixed; children weights sum to 1
  std::string pool;                    // "all" or "grouping=label"
  std::vector<weight_record> records;  // per aggregate node, with the diagnostics
};

/// Evaluates `model` on `data` for the pool's grouping (with `options.excluded`)
/// and takes the weights each node used for the pool's label. Throws data_error
/// for an unknown grouping or label.
resolved_weights resolve_weights(const framework& model, const dataset& data, const pool_selector& pool = {},
                                 const evaluation_options& options = {});

}  // namespace parkscore
