#pragma once
// A scenario: one distinct combination of the discrete inputs, evaluated once by
// evaluate(), with what the weights-only fast path needs to score many weight
// draws as matrix products: the normalised matrix of the analysed pooling and the
// nominal weight shares. Also the per-replicate ranking (counting from the
// nominal order, not a full sort).

#include <Eigen/Core>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/sampling.hpp"
#include "parkscore/engine/evaluate.hpp"

namespace parkscore::detail {

/// The one place an analysis calls evaluate() (the compiled plan can replace it here).
result evaluate_scenario(const framework& model, const dataset& data, const evaluation_options& options);

struct scenario {
  framework model;
  evaluation_options options;
  result nominal;
  std::size_t pool = 0;                 // index into nominal.pools
  std::vector<std::size_t> base_unit;   // scenario unit -> base unit
  std::vector<int> base_node;           // scenario node -> base node (-1: none)
  bool fast = false;                    // weights as matrix products
  std::string slow_reason;

  // Fast path.
  std::size_t n = 0, n_pad = 0, m = 0;
  std::vector<double> z_panels;         // flat path: normalised (n_pad x m, padding rows 0) in the kernel's panels
  bool flat = false;                    // complete data and arithmetic means: one product Z w per replicate
  Eigen::MatrixXd zt;                   // n x m, transformed for the parent's power mean, missing as 0 (not flat)
  Eigen::MatrixXd present;              // n x m, 1 where present (not flat)
  std::vector<double> power;            // per node: the power mean's p (1 arithmetic, 0 geometric)
  std::vector<double> nominal_share;    // per scenario node: share among its siblings
  // The weighted tree flattened for the per-replicate shares: each family (a parent and its
  // children, parents in node order) is a range of `child_node`; `leaf_node` maps Z's columns.
  struct family {
    int parent;
    std::size_t begin, end;
  };
  std::vector<family> families;
  std::vector<int> child_node;          // scenario node of each child, family by family
  std::vector<int> child_base;          // its base-framework node (-1: none)
  std::vector<int> node_parent;         // per scenario node (root: -1)
  std::vector<int> leaf_node;           // per column of Z
  double scale = 1.0;                   // points scale of the root
  Eigen::VectorXd adjustment;           // bonus/deduction points added to the root
  bool adjusted = false;                // some adjustment is not zero

  // Ranking (scenario units): pools by label, each in nominal order; eligibility.
  std::vector<std::vector<int>> pool_order;
  std::vector<std::vector<int>> pool_by_tie;   // the same members by tie key (radix sort input)
  std::vector<std::vector<std::size_t>> pool_base;   // the members of pool_order as base units
  std::vector<bool> eligible;
  std::vector<int> tie_key;             // input order or unit-id order for ordinal ties
  ranking rule;
  double round_scale = 0;               // 10^round_decimals, 0 when scores are ranked unrounded
};

/// Evaluates the combination and prepares its fast-path data.
scenario compile_scenario(const framework& model, const dataset& data, const evaluation_options& options,
                          const std::string& grouping, const framework& base,
                          const std::vector<std::string>& base_unit_ids, bool weights_vary,
                          std::optional<result> evaluated = std::nullopt);   // evaluate(model, data, options) if already done

/// A unit being ranked: its sort key (smaller is better), tie key and index.
struct rank_entry {
  double key;
  int tie;
  int unit;
};

/// Per-thread buffers for one block of replicates.
struct workspace {
  std::vector<rank_entry> entries;
  Eigen::MatrixXd weights;      // m x R
  Eigen::MatrixXd scores;       // n_pad x R
  // The block's index scores (units x R), kept across blocks: freed and allocated per block it
  // was 370 kB of fresh pages each time wherever glibc trims eagerly (Dask's workers set
  // MALLOC_TRIM_THRESHOLD_=65536), three times the cost of the replicates themselves.
  Eigen::MatrixXd block_scores;
  Eigen::MatrixXd shares;       // nodes x R (missing path)
  std::vector<Eigen::MatrixXd> node_scores;   // missing path, per node
  std::vector<double> key;
  std::vector<int> order;
  std::vector<std::uint64_t> bits, bits_tmp;   // radix sort
  std::vector<int> order_tmp;
  std::vector<std::uint32_t> counts;
  std::vector<double> pool_key;   // counting ranks: one pool's keys, padded with +inf
  std::vector<float> pool_key_float;
  std::vector<short> pool_key_short;
  std::vector<double> run_key;    // keys in sorted order, for the tie runs
  std::vector<int> smaller;
  draw_scratch draws;             // the block's weight draws (sampler::draw_rows)
};

/// Scores (scenario units x R, root, points and adjustments included) of R weight draws. The
/// matrix may have padding rows below the units' (column c's scores start at col(c).data()).
void score_replicates(const scenario& s, const std::vector<const input_draw*>& draws, workspace& ws,
                      Eigen::MatrixXd& scores_out);

/// Ranks of one replicate's scores (scenario units) into rank[0, units) (base units; 0 = unranked).
void rank_replicate(const scenario& s, const double* scores, workspace& ws, int* rank, std::size_t units);

/// The framework of a slow-path replicate: node weights replaced by the draw's.
framework weighted_framework(const scenario& s, const input_draw& d);

}  // namespace parkscore::detail
