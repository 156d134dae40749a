#pragma once
// The raw and the used indicator values behind a result, for reports and the audit.

#include <Eigen/Core>
#include <string>

#include "parkscore/engine/result.hpp"
#include "parkscore/model/dataset.hpp"

namespace parkscore::detail {

struct value_tables {
  Eigen::MatrixXd raw;    // N x M (framework indicator order): as read, derived columns as derived
  Eigen::MatrixXd used;   // after imputation and treatment for the pooling: what was normalised
};

/// `data` must be the dataset `r` was evaluated from; throws data_error if its units differ.
value_tables raw_and_used(const result& r, const dataset& data, const std::string& grouping,
                          const dataset* previous = nullptr);

}  // namespace parkscore::detail
