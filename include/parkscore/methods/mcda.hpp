#pragma once
// Beyond weighted sums, run on an evaluation: benefit-of-the-doubt scores or
// the Condorcet-Kemeny ranking of the indicators below one node, within each
// pool of a grouping. The method and its options come from an analysis spec
// (JSON, read strictly; format in docs/methods.md, "Beyond weighted sums") or are set in code.

#include <Eigen/Core>
#include <optional>
#include <string>
#include <vector>

#include "parkscore/engine/result.hpp"
#include "parkscore/methods/bod.hpp"
#include "parkscore/methods/outranking.hpp"
#include "parkscore/model/framework.hpp"

namespace parkscore {

enum class mcda_method { bod, kemeny };

/// The indicators below a node, in framework::indicators() order, and their
/// nominal weights: the product of normalised sibling weights from the node
/// down (the framework's declared weights), summing to 1.
struct node_indicators {
  std::string node;
  std::vector<std::size_t> columns;    // columns of pool_result::normalised
  std::vector<std::string> ids;
  Eigen::VectorXd nominal;
};

/// Throws schema_error naming the node if it is unknown.
node_indicators indicators_below(const framework& model, const std::string& node_id);

/// What to do with a unit missing a normalised value of the node's indicators.
enum class missing_rule {
  error,       // data_error naming the pool, unit and indicator (default: impute first)
  drop_units,  // leave the unit out of the analysis; it is listed in mcda_pool::dropped
};

struct mcda_spec {
  mcda_method method = mcda_method::bod;
  missing_rule missing = missing_rule::error;
  std::string node;                  // "" = the root
  std::optional<std::string> pool;   // grouping column, "" = all units; unset = the framework's first pool
  bod_options bod;                   // indicator indices refer to indicators_below(node)
  outranking_options outranking;
  kemeny_options kemeny;
};

/// Spec fields a caller (e.g. the command line) sets over those of the file,
/// before indicator names are resolved.
struct mcda_overrides {
  std::optional<mcda_method> method;
  std::optional<std::string> node;
  std::optional<std::string> pool;
  std::optional<missing_rule> missing;
};

/// Reads an analysis spec; indicator ids in restrictions must lie below the
/// spec's node in `model`. Every error is a schema_error naming `source` and
/// the JSON path.
mcda_spec parse_mcda_spec(const std::string& json_text, const framework& model,
                          const std::string& source = "<string>", const mcda_overrides& overrides = {});
mcda_spec load_mcda_spec(const std::string& file, const framework& model, const mcda_overrides& overrides = {});

/// One pool (grouping label): the ranked units (excluded ones are left out).
struct mcda_pool {
  std::string label;
  std::vector<std::size_t> units;    // indices into result::unit_ids
  std::vector<std::size_t> dropped;  // ranked units left out for a missing value (missing_rule::drop_units)
  std::optional<bod_result> bod;
  Eigen::MatrixXd outranking;        // kemeny: units x units, e(j, k)
  std::optional<kemeny_result> kemeny;
};

struct mcda_result {
  mcda_method method = mcda_method::bod;
  std::string grouping;
  node_indicators indicators;
  std::vector<mcda_pool> pools;
};

/// Runs the spec on the normalised values of an evaluation (pool `spec.pool`).
/// Throws error naming the pool and unit for data the method cannot take.
mcda_result run_mcda(const result& evaluation, const mcda_spec& spec);

std::string to_string(mcda_method m);

}  // namespace parkscore
