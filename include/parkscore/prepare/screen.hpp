#pragma once
// Unit screening by data coverage: units with too few indicators present are
// dropped from the evaluation and listed with their coverage.

#include <string>
#include <vector>

#include "parkscore/model/dataset.hpp"

namespace parkscore {

/// Screen on the data as read (parkscore) or on the data after imputation over all
/// units (COINr's order: Impute, then Screen on the imputed data set).
enum class screening_order { before_imputation, after_imputation };

struct screening {
  double min_coverage = 0.0;  // in [0, 1]; 0 keeps every unit
  screening_order order = screening_order::before_imputation;

  friend bool operator==(const screening&, const screening&) = default;
};

/// Why the spec cannot be used, or "".
std::string screening_problem(const screening& spec);

struct screened_unit {
  std::string unit;
  std::size_t present = 0;
  std::size_t total = 0;
  double coverage = 0.0;  // present / total

  friend bool operator==(const screened_unit&, const screened_unit&) = default;
};

struct screening_record {
  double min_coverage = 0.0;
  std::vector<screened_unit> dropped;
};

struct screened_data {
  dataset data;  // the kept units, in input order
  screening_record record;
};

/// Coverage of a unit = share of the columns `indicators` it has a value for.
/// Drops units whose coverage is below spec.min_coverage. Throws data_error if
/// no unit remains or an indicator has no column.
screened_data screen(const dataset& data, const std::vector<std::string>& indicators, const screening& spec);

}  // namespace parkscore
