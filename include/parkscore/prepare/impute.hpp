#pragma once
// Imputation of missing indicator values, within each pool (the units that are
// normalised together). Statistics use observed values of reference units only
// (never cells imputed in the same pass, never excluded units). Every filled
// cell is recorded and flagged in an N x M mask.

#include <Eigen/Core>
#include <string>
#include <vector>

#include "parkscore/model/dataset.hpp"

namespace parkscore {

enum class imputation_method {
  none,           // leave missing; aggregation renormalises over what is present
  mean,           // pool mean
  median,         // pool median
  group_mean,     // mean over the pool's units with the same label in `group`
  group_median,   // median over the pool's units with the same label in `group`
  carry_forward,  // the unit's own value in the previous year
  growth,         // previous-year value x the pool's median growth ratio x_t / x_{t-1}
};

struct imputation {
  imputation_method method = imputation_method::none;
  std::string group;  // grouping column, group_mean / group_median only

  friend bool operator==(const imputation&, const imputation&) = default;
};

/// Why the spec cannot be used (e.g. a group method without a column), or "".
std::string imputation_problem(const imputation& spec);
std::string to_string(imputation_method m);

using cell_mask = Eigen::Array<bool, Eigen::Dynamic, Eigen::Dynamic>;

/// A cell that imputation filled (or, in `unfilled`, could not fill: value NaN).
struct imputed_cell {
  std::string unit;
  std::string indicator;
  std::string pool;   // "all" or "grouping=label"
  double value = 0.0;
  std::string basis;  // e.g. "mean of 3 values", "previous year 10 x median growth 1.2"

  friend bool operator==(const imputed_cell&, const imputed_cell&) = default;
};

struct impute_options {
  /// Pool label of each unit; empty = all units form one pool ("all").
  std::vector<std::string> pool_labels;
  /// The grouping column the labels come from, used to name pools in the record.
  std::string grouping;
  /// Units whose values feed the statistics; empty = all.
  std::vector<bool> reference;
  /// Previous year's data (units matched by id) for carry_forward and growth.
  const dataset* previous = nullptr;
};

struct imputed_data {
  Eigen::MatrixXd values;  // N x M, the columns of the input dataset
  cell_mask imputed;       // N x M, true where a value was filled
  std::vector<imputed_cell> cells;
  std::vector<imputed_cell> unfilled;  // missing cells the method could not fill, with the reason
};

/// Imputes each column j of `data` with `specs[j]`. Throws data_error naming the
/// indicator for a missing grouping column or missing previous-year data.
imputed_data impute(const dataset& data, const std::vector<imputation>& specs, const impute_options& options = {});

}  // namespace parkscore
