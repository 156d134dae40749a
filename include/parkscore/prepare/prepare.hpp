#pragma once
// Data preparation before normalisation, in a fixed order (docs/preparation.md):
//   1. derive  - computed indicators from raw columns (and the previous year)
//   2. screen  - drop units whose coverage of the framework's indicators is too low
//   3. impute  - fill missing values, within each pool
//   4. treat   - outlier treatment, within each pool
// Steps 1-2 do not depend on the pooling and run once; steps 3-4 use pool
// statistics and run once per pooling, inside the evaluation of that pooling.

#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

#include "parkscore/model/dataset.hpp"
#include "parkscore/model/framework.hpp"

namespace parkscore {

/// Imputation and treatment of one pooling.
struct pool_preparation {
  std::string grouping;                      // "" = all units
  cell_mask imputed;                         // N x M: kept units x framework indicators
  std::vector<imputed_cell> imputations;     // every filled cell
  std::vector<imputed_cell> unfilled;        // missing cells left missing, with the reason
  std::vector<treatment_record> treatments;  // indicators with a treatment, one per pool label
};

/// What preparation did, so a report can show it and the index can be regenerated.
struct preparation_record {
  std::vector<std::string> derived;             // ids of the derived columns
  std::vector<derive_warning> derive_warnings;  // derived values that came out missing
  screening_record screening;                   // dropped units and their coverage
  std::vector<pool_preparation> pools;          // one per pooling, in evaluation order

  /// The record of this grouping ("" = all units); throws error if absent.
  const pool_preparation& pool(const std::string& grouping = "") const;
};

/// Steps 1-2, run once.
struct prepared_units {
  dataset data;                     // kept units; data columns plus the derived ones
  std::optional<dataset> previous;  // previous year plus the derived columns it can give (no lag())
  preparation_record record;        // derived, derive_warnings, screening
};
/// Checks the preparation specs (schema_error naming the indicator), derives,
/// then screens. Throws data_error if an indicator has no column after deriving.
prepared_units prepare_units(const framework& model, const dataset& data, const dataset* previous = nullptr);

struct pooling_options {
  std::string grouping;         // "" = all units in one pool
  std::vector<bool> reference;  // per unit of the prepared data: in the statistics; empty = all
};

struct prepared_pooling {
  Eigen::MatrixXd values;  // N x M in framework::indicators() order
  pool_preparation record;
};
/// Steps 3-4 for one pooling.
prepared_pooling prepare_pooling(const framework& model, const prepared_units& units, const pooling_options& options);

/// Column ids the framework's derived indicators read or create; they are not
/// "unknown columns" of the data.
std::vector<std::string> derivation_columns(const framework& model);

/// The data columns a framework reads: its indicators that are not derived, the
/// raw inputs of derived indicators, and the declared event columns (veto, bonus, deduction).
std::vector<std::string> input_columns(const framework& model);

struct preparation_options {
  std::string grouping;               // the pooling whose statistics impute and treat
  std::vector<std::string> excluded;  // units left out of the statistics
  const dataset* previous = nullptr;  // previous year, for lag(), carry_forward and growth
};

struct prepared {
  dataset data;  // kept units x framework indicators (framework order), imputed and treated
  preparation_record record;
};
/// All four steps for one pooling, outside an evaluation.
prepared prepare(const framework& model, const dataset& data, const preparation_options& options = {});

}  // namespace parkscore
