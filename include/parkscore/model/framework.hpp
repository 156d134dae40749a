#pragma once
// The framework: a tree of nodes (index -> categories -> ... -> indicators)
// together with the method that turns data into scores and ranks. A value type,
// stored flat (parents before children) so that evaluation walks it without
// recursion or virtual calls.

#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "parkscore/prepare/derive.hpp"
#include "parkscore/prepare/impute.hpp"
#include "parkscore/rules/rules.hpp"
#include "parkscore/prepare/screen.hpp"
#include "parkscore/prepare/treat.hpp"
#include "parkscore/model/weight_set.hpp"
#include "parkscore/model/weighting_spec.hpp"
#include "parkscore/model/value_scale.hpp"

namespace parkscore {

enum class direction { higher_is_better, lower_is_better };

enum class normalisation_method {
  none,                // raw values pass through
  min_max,             // lo + (hi - lo) (x - min) / (max - min)
  z_score,             // target_mean + target_sd (x - mean) / sd
  rank,                // ascending rank 1..n (ties: average)
  percentile_rank,     // 100 (r_min - 1) / (n - 1)
  borda,               // number of units with a strictly worse value
  goalposts,           // lo + (hi - lo) (x - gp_min) / (gp_max - gp_min), fixed bounds
  distance_to_target,  // hi (x - min) / (target - min)
  ratio_to_max,        // hi x / max      (lower is better: hi min / x)
  ratio_to_benchmark,  // hi x / benchmark (lower is better: hi benchmark / x), optional cap
  efficacy,            // d0 + c (x - min) / (max - min)   (功效系数法, pool-relative)
  efficacy_anchored,   // d0 + c (x - x_s) / (x_h - x_s)   (anchored on fixed values)
  vector,              // x / ||x||_2 (for TOPSIS)
  rank_tier,           // tier score by rank share in the pool (top 30% 100, 30-70% 50, rest 0)
  ratio_to_pool,       // hi x / S, S a pool statistic (lower is better: hi S / x), optional cap
  change_from_pool,    // hi (x - S) / |S|              (lower is better: hi (S - x) / |S|)
  value_tier,          // the score of the value band x falls in; bands absolute or x S
};

/// What a pool-relative normaliser returns when every unit has the same value
/// (`nan`: the score is missing, as COINr's n_minmax gives).
enum class zero_range_rule { midpoint, upper, lower, nan };

/// How the `rank` and `percentile_rank` normalisers rank tied values (R's ties.method
/// names; dense: 1 + the number of distinct smaller values).
enum class rank_ties { average, min, max, dense };

/// The percentile of rank r among n reference values: 100 (r - 1)/(n - 1) (dplyr's
/// percent_rank), 100 r / n (OECD/JRC Handbook, Table 15) or Hazen's 100 (r - 0.5)/n.
enum class percentile_formula { percent_rank, r_over_n, hazen };

/// A statistic of the pool's reference values used as a benchmark (docs/methods.md).
enum class pool_statistic { mean, median, min, max, quantile };

/// A rank tier: units whose rank is at most `top` x (pool size) and not in an
/// earlier tier get `score` (e.g. {0.3, 100}, {0.7, 50}, {1.0, 0}).
struct rank_tier {
  double top = 1.0;
  double score = 0.0;

  friend bool operator==(const rank_tier&, const rank_tier&) = default;
};

/// Parameters of an indicator's normalisation. Only the fields that the method
/// uses are read; docs/methods.md lists them per method.
struct normalisation {
  normalisation_method method = normalisation_method::min_max;
  double lo = 0.0;             // output lower end (min_max, goalposts)
  double hi = 100.0;           // output upper end / scale (min_max, goalposts, ratios, distance)
  double target_mean = 0.0;    // z_score
  double target_sd = 1.0;      // z_score
  std::optional<double> gp_min;     // goalposts
  std::optional<double> gp_max;     // goalposts
  bool clamp = false;          // goalposts, distance_to_target, efficacy_anchored
  bool log = false;            // goalposts: natural log of value and goalposts
  std::optional<double> target;     // distance_to_target
  std::optional<double> benchmark;  // ratio_to_benchmark
  std::optional<double> cap;        // ratio_*: cap on value/benchmark (e.g. 2)
  double d0 = 60.0;            // efficacy, efficacy_anchored: base score
  double c = 40.0;             // efficacy, efficacy_anchored: span
  std::optional<double> x_s;   // efficacy_anchored: non-allowable value
  std::optional<double> x_h;   // efficacy_anchored: satisfactory value
  zero_range_rule zero_range = zero_range_rule::midpoint;
  std::optional<double> clip_lo;    // raw values are clipped to [clip_lo, clip_hi] before
  std::optional<double> clip_hi;    // fitting and applying (e.g. growth rates to [-0.2, 0.5])
  std::optional<double> benchmark_factor;  // ratio_to_benchmark: benchmark = k x previous year's pool mean
  std::vector<rank_tier> tiers;     // rank_tier
  std::optional<rank_ties> ties;    // rank, percentile_rank (default: average for rank, min for percentile_rank)
  percentile_formula percentile = percentile_formula::percent_rank;   // percentile_rank
  pool_statistic statistic = pool_statistic::mean;   // ratio_to_pool, change_from_pool, value_tier (relative)
  double quantile = 0.5;            // statistic quantile: R type 7
  std::vector<double> thresholds;   // value_tier: increasing band bounds t_1 < ... < t_k
  std::vector<double> band_scores;  // value_tier: k + 1 scores, lowest band first
  bool relative = false;            // value_tier: the bounds are multiples of the pool statistic
  sd_divisor sd = sd_divisor::sample;   // z_score

  friend bool operator==(const normalisation&, const normalisation&) = default;
};

enum class aggregation_method { arithmetic, geometric, harmonic, power, topsis };

/// What a geometric, harmonic or power (p <= 0) mean does with a present child value <= 0.
enum class zero_policy {
  error,        // an error naming node, unit and value (default)
  zero_score,   // a child scoring exactly 0 gives the node 0 (the mean's limit); negatives stay errors
  floor,        // every child value below `floor` is raised to it (e.g. 0.01 on a 0-1 scale)
};

/// TOPSIS distances: ||w (s - s*)|| (weighted matrix, Hwang and Yoon; weights enter squared)
/// or sqrt(sum w (s - s*)^2) (weighted Euclidean distance; weights enter once).
enum class topsis_weighting { squared, linear };

/// How a node combines the scores of its children.
struct aggregation {
  aggregation_method method = aggregation_method::arithmetic;
  double power = 1.0;          // the power mean's p (p = 1 arithmetic, 0 geometric, -1 harmonic)
  double min_coverage = 0.5;   // share of the children's weight that must be present
  zero_policy zeros = zero_policy::error;   // geometric, harmonic, power with p <= 0
  double floor = 0.0;          // zero_policy::floor: the smallest value a child counts with (> 0)
  topsis_weighting topsis = topsis_weighting::squared;

  friend bool operator==(const aggregation&, const aggregation&) = default;
};

enum class rescale_method { none, best_is_100, min_max };

/// Optional rescaling of a node's score after aggregation, over the pool.
struct rescaling {
  rescale_method method = rescale_method::none;
  double lo = 0.0;
  double hi = 100.0;

  friend bool operator==(const rescaling&, const rescaling&) = default;
};

enum class node_kind { aggregate, indicator };

struct node {
  std::string id;
  std::string name;      // UTF-8, e.g. 经济发展
  std::string name_en;
  std::string description;
  double weight = 1.0;   // relative to siblings
  int parent = -1;       // index into framework::nodes(); -1 for the root
  std::vector<int> children;
  node_kind kind = node_kind::aggregate;

  // aggregate nodes
  aggregation agg;
  rescaling rescale;
  weighting_spec weighting;   // how the children's weights are derived (default: their weight fields)

  // indicators
  direction dir = direction::higher_is_better;
  std::string unit;
  normalisation norm;
  std::string status;    // "published", "assumed", ... (free text, documented per preset)
  std::optional<imputation> impute;  // overrides framework::impute (docs/preparation.md)
  treatment treat;                   // outlier treatment within the pool (docs/preparation.md)
  value_scale scale;                 // the scale the method expects its raw values in (docs/data-files.md)

  bool is_indicator() const { return kind == node_kind::indicator; }
  friend bool operator==(const node&, const node&) = default;
};

enum class rank_method { competition, dense, ordinal, fractional };
enum class rank_order { descending, ascending };  // descending: highest score is rank 1
enum class tie_break { input_order, unit_id };    // for ordinal ranking only
/// What the pooling by a grouping column ranks: scores re-normalised within each group
/// (parkscore), or the all-units scores ranked within each group (COINr's "groupranks").
enum class group_scores { renormalise, global };

struct ranking {
  rank_method method = rank_method::competition;
  rank_order order = rank_order::descending;
  tie_break ties = tie_break::input_order;
  int round_decimals = -1;   // >= 0: scores are rounded before comparing, as published tables do
  group_scores groups = group_scores::renormalise;

  friend bool operator==(const ranking&, const ranking&) = default;
};

enum class score_scale { mean, points };

/// How scores are reported. `points`: a node's score is its 0-100 mean score
/// times its share of `total_points` (the product of sibling weight shares on
/// the path from the root), so indicator points add up to category points.
struct scoring {
  score_scale scale = score_scale::mean;
  double total_points = 100.0;

  friend bool operator==(const scoring&, const scoring&) = default;
};

/// The node tree plus the method settings. Nodes are stored parents-first.
class framework {
 public:
  framework() = default;
  /// A framework with a root (the index) only.
  framework(std::string id, std::string name);

  std::string id;
  std::string name;
  std::string description;
  std::vector<std::string> pools;   // grouping columns; "" stands for all units
  ranking rank_rule;
  scoring scores;
  weighting weight_sets;   // named alternatives to the tree's weights
  zone_rules rules;        // event columns, veto, bonus/deduction items
  // Data preparation before normalisation (docs/preparation.md).
  std::vector<derived_indicator> derived;  // computed columns, usable as indicator ids
  imputation impute;                       // default for indicators without their own
  screening screen;                        // drop units with low coverage
  std::vector<group_column> groups;        // grouping columns' names and label spellings (docs/data-files.md)
  std::string conventions;                 // the convention set the file named ("" = parkscore's); docs/conventions.md

  /// Adds a node under `parent_id` and returns its index. Throws schema_error
  /// for an unknown parent, a duplicate id, or a parent that is an indicator.
  int add_category(const std::string& parent_id, node category);
  int add_indicator(const std::string& parent_id, node indicator);

  const std::vector<node>& nodes() const { return nodes_; }
  const node& root() const { return nodes_.front(); }
  node& root() {
    ids_.stale = true;
    return nodes_.front();
  }
  const node& at(int index) const { return nodes_.at(static_cast<std::size_t>(index)); }
  /// Mutable access may change an id, so the id index is rebuilt on the next add.
  node& at(int index) {
    ids_.stale = true;
    return nodes_.at(static_cast<std::size_t>(index));
  }
  std::optional<int> find(const std::string& node_id) const;
  /// The node with this id; throws schema_error naming the id if absent.
  int index_of(const std::string& node_id) const;
  /// Indices of the indicator nodes, in the order of the normalised columns.
  const std::vector<int>& indicators() const { return indicators_; }
  std::vector<std::string> indicator_ids() const;
  /// Column of an indicator in the normalised matrix, or -1 for other nodes.
  int indicator_column(int node_index) const;

  /// Each node's share of the root (product of normalised sibling weights).
  std::vector<double> absolute_weights() const;

  /// Checks the whole tree; throws schema_error naming the first bad node.
  void validate() const;

  friend bool operator==(const framework&, const framework&) = default;

 private:
  // Node id -> index, so building a tree of n nodes is O(n), not O(n^2). Not part
  // of the value: two frameworks with equal nodes are equal whatever their index.
  struct id_index {
    std::unordered_map<std::string, int> of;
    bool stale = false;   // an id may have changed through a mutable at(); find() then scans
    friend bool operator==(const id_index&, const id_index&) { return true; }
  };
  int add_node(const std::string& parent_id, node n);
  std::vector<node> nodes_;
  std::vector<int> indicators_;
  id_index ids_;
};

std::string to_string(direction d);
std::string to_string(normalisation_method m);
std::string to_string(aggregation_method m);
std::string to_string(rank_method m);

}  // namespace parkscore
