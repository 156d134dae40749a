#pragma once
// Uncertainty analysis: how robust is each unit's rank to the method's choices.
// Replicates draw the declared uncertain inputs from a counter-based stream keyed
// by (seed, replicate), so the statistics are the same bits for any thread count
// and any split of the replicate range (docs/uncertainty.md).

#include <Eigen/Core>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "parkscore/analysis/rank_histogram.hpp"
#include "parkscore/analysis/uncertainty_spec.hpp"
#include "parkscore/engine/evaluate.hpp"
#include "parkscore/error.hpp"
#include "parkscore/model/dataset.hpp"
#include "parkscore/model/framework.hpp"

namespace parkscore {

struct uncertainty_options {
  std::size_t replicates = 1000;
  std::uint64_t seed = 1;
  unsigned threads = 1;            // 0: std::thread::hardware_concurrency()
  std::string grouping;            // the pooling whose ranks are analysed; default the framework's first
  double interval_lo = 0.05;       // rank interval, as quantiles
  double interval_hi = 0.95;
  int top = 3;                     // P(rank <= top)
  int bottom = 3;                  // P(rank among the last `bottom` of the unit's pool)
  evaluation_options evaluation;   // passed to every evaluate()
  /// Called with (replicates done, total) after each block, from the calling thread's merge loop.
  std::function<void(std::size_t, std::size_t)> progress;
  /// Set to true (from any thread) to stop: run() throws cancelled_error.
  const std::atomic<bool>* cancel = nullptr;
};

/// Thrown when uncertainty_options::cancel was set during a run.
class cancelled_error : public error {
 public:
  using error::error;
};

/// Per-call control of a run: threads (0: the engine's option), progress, cancellation.
struct run_control {
  unsigned threads = 0;
  std::function<void(std::size_t, std::size_t)> progress;
  const std::atomic<bool>* cancel = nullptr;
};

/// Mergeable partial statistics of a replicate range: integer counts only, so
/// merging is exact in any order.
struct uncertainty_partial {
  std::size_t replicates = 0;
  rank_histogram ranks;                        // per unit
  std::vector<std::uint64_t> abs_shift;        // per unit: sum of |rank - nominal rank|
  std::vector<std::uint64_t> unranked;         // per unit: replicates with no rank (missing score)
  // SMAA: per unit and weight of the first simplex input, the sum of the weight over
  // replicates where the unit ranked first, in units of 2^-40 (exact integer sums).
  std::vector<std::int64_t> first_rank_weight_sum;   // unit-major, units x smaa children
  std::vector<std::uint64_t> first_rank_count;

  void merge(const uncertainty_partial& other);
};

/// Per-unit rank statistics.
struct rank_statistics {
  std::vector<std::string> unit_ids;
  std::vector<std::string> pool_labels;
  Eigen::VectorXi pool_size;
  Eigen::VectorXd nominal_score, nominal_rank, mean_rank, median_rank, interval_lo, interval_hi;
  Eigen::VectorXd p_top, p_bottom, mean_abs_shift, unranked_share;
  double interval_lo_q = 0.05, interval_hi_q = 0.95;
  int top = 3, bottom = 3;
};

/// SMAA-2 descriptors for the first `simplex` weight input (Lahdelma and Salminen 2001).
struct smaa_result {
  std::string node;
  std::vector<std::string> criteria;     // the node's children
  Eigen::MatrixXd acceptability;         // units x ranks: b_i^r, share of replicates with rank r
  Eigen::MatrixXd central_weights;       // units x criteria: mean weights where the unit ranks first (NaN if never)
  Eigen::VectorXd confidence;            // P(rank 1 | central weights), NaN if never first
};

struct uncertainty_result {
  uncertainty_partial partial;
  rank_statistics stats;
  std::size_t scenarios = 0;   // distinct discrete combinations evaluated
  bool fast_path = true;       // weights applied as matrix products (false: evaluate() per replicate)
};

/// The compiled analysis: the nominal evaluation, the sampling plan and the data
/// normalised once per distinct discrete combination. Thread-safe to run ranges on.
class uncertainty_engine {
 public:
  uncertainty_engine(framework model, dataset data, uncertainty_spec spec, uncertainty_options options = {});
  ~uncertainty_engine();
  uncertainty_engine(uncertainty_engine&&) noexcept;
  uncertainty_engine& operator=(uncertainty_engine&&) noexcept;

  /// Replicates [begin, end): partial statistics (uses options.threads).
  uncertainty_partial run_range(std::size_t begin, std::size_t end) const;
  /// The same with this call's threads, progress and cancellation.
  uncertainty_partial run_range(std::size_t begin, std::size_t end, const run_control& control) const;
  /// All options.replicates replicates, with statistics.
  uncertainty_result run() const;
  /// Statistics from (merged) partials.
  rank_statistics statistics(const uncertainty_partial& partial) const;
  /// SMAA-2 descriptors; needs a simplex weight input. Confidence factors re-run the
  /// replicates with each unit's central weights (other inputs drawn as before).
  smaa_result smaa(const uncertainty_partial& partial) const;

  /// Root scores of one replicate's design row for Sobol: inputs i take their draws
  /// from stream `streams[i]`. Rows are scored in blocks; returns units x rows scores.
  Eigen::MatrixXd scores_for_streams(const std::vector<std::vector<std::uint64_t>>& streams) const;
  /// Competition/dense/ordinal ranks of a score column with the framework's rule, within pools.
  Eigen::MatrixXd rank_columns(const Eigen::MatrixXd& scores) const;

  const result& nominal() const;
  const std::vector<std::string>& unit_ids() const;
  std::size_t input_count() const;
  std::vector<std::string> input_names() const;
  const uncertainty_options& options() const;
  bool fast_path() const;
  std::size_t scenario_count() const;

  struct impl;
  const impl& internals() const { return *impl_; }   // for Sobol and the bindings (src/analysis/engine_impl.hpp)

 private:
  std::unique_ptr<impl> impl_;
};

/// Convenience: compile and run.
uncertainty_result run_uncertainty(const framework& model, const dataset& data, const uncertainty_spec& spec,
                                   const uncertainty_options& options = {});

}  // namespace parkscore
