#pragma once
// Why a unit stands where it does: per indicator and per category its value,
// normalised score, points earned and the maximum, points lost against the
// pool's best, the pool median and the unit ranked just above; what moved its
// total since another year; and the sentences an office writes
// ("排名第15位，较上年上升12位"). docs/explain.md states every definition.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "parkscore/engine/result.hpp"
#include "parkscore/history/delisting.hpp"
#include "parkscore/history/history.hpp"
#include "parkscore/model/dataset.hpp"
#include "parkscore/report/contributions.hpp"
#include "parkscore/report/report.hpp"

namespace parkscore {

/// The unit with this id, else the one with exactly this display name. Throws
/// data_error if there is none, or if the name is shared by several units (listing their ids).
std::size_t find_unit(const result& r, const std::string& id_or_name);

struct indicator_account {
  std::string id;
  std::string name;
  std::string parent;        // the id of the node it belongs to
  double raw = 0;            // the value read (derived indicators: as derived); NaN = missing
  double used = 0;           // after imputation and treatment: the value normalised
  bool imputed = false;
  bool treated = false;      // used differs from raw and was not imputed
  double normalised = 0;
  double pool_best = 0;      // best normalised value among the pool's ranked units
  double pool_median = 0;    // median normalised value among them
  double rank = 0;           // competition rank of the normalised value in the pool (1 = best)
  std::size_t pool_size = 0; // ranked units of the pool with a value
  double points = 0;         // contribution to the index (contributions.hpp)
  double maximum = 0;        // contribution at full marks; NaN for unbounded normalisations or non-linear paths
  double lost = 0;           // contribution at pool_best minus points, the others held fixed; NaN if non-linear
  double above_raw = 0;      // the same for the unit ranked just above (NaN if none)
  double above_normalised = 0;
  double above_points = 0;
};

struct node_account {
  std::string id;
  std::string name;
  int depth = 0;
  double score = 0;          // as shown (mean or points scale)
  double rank = 0;           // NaN = not ranked
  double pool_best = 0;      // best shown score among the pool's ranked units
  double pool_median = 0;
  double above_score = 0;    // the unit ranked just above (on the index)
  double points = 0;         // contribution to the index
  double maximum = 0;        // sum of the maxima of its indicators with a value (NaN if one is NaN)
  double lost = 0;           // contribution at the pool's best mean score minus points; NaN if non-linear
};

struct explanation {
  std::string unit_id;
  std::string unit_name;
  std::string grouping;
  std::string pool;                 // the unit's label
  std::size_t pool_size = 0;        // ranked units of the pool
  std::string excluded;             // reason, when not ranked
  std::vector<std::string> veto;    // veto reasons
  double score = 0;
  double rank = 0;
  std::string above_id;             // the unit ranked just above; empty for the first
  std::string above_name;
  contribution_scale scale = contribution_scale::score;
  std::string scale_note;           // reason when not additive
  double rescaling = 0;             // sum of rescaling terms (part of the contributions' sum)
  double adjustment = 0;            // bonus + deduction on the total
  std::vector<node_account> nodes;  // aggregate nodes, depth-first from the index
  std::vector<indicator_account> indicators;   // framework order
};

struct explain_options {
  std::string grouping;             // the pooling ("" = all units)
  const dataset* previous = nullptr;   // previous year, when derived indicators need it
};

/// `data` is the dataset `r` was evaluated from (for raw values).
explanation explain(const result& r, const dataset& data, const std::string& unit,
                    const explain_options& options = {});

/// What moved a unit's total between two evaluations, indicator by indicator:
/// the change of each contribution; the lines plus the rescaling and bonus/deduction
/// changes add up to the change of the total (for score-additive tables).
struct change_line {
  std::string id;
  std::string name;
  bool indicator = true;
  double before = 0;   // contribution; NaN if absent
  double after = 0;
  double change = 0;   // after - before (NaN if either is NaN)
  double raw_before = 0;
  double raw_after = 0;
};

struct change_account {
  std::string unit_id;
  std::string unit_name;
  double score_before = 0, score_after = 0;
  double rank_before = 0, rank_after = 0;
  contribution_scale scale = contribution_scale::score;
  double rescaling_change = 0;
  double adjustment_change = 0;
  std::vector<change_line> lines;   // indicators (framework order), then aggregate nodes
};

/// Both results must use frameworks with the same node ids. `unit` is an id or name of `after`.
change_account explain_change(const result& before, const dataset& data_before, const result& after,
                              const dataset& data_after, const std::string& unit, const std::string& grouping = "");

enum class language { zh, en };

/// One paragraph in an office's words: rank and pool, change on the previous year,
/// veto reasons, the delisting watch, the strongest and weakest categories.
/// `change` and `watch` are optional (nullptr: not mentioned).
std::string describe(const explanation& e, language lang, const rank_change* change = nullptr,
                     const watch_entry* watch = nullptr);

/// "排名第15位，较上年上升12位" / "ranked 15th, up 12 places on the previous year".
std::string describe_rank(double rank, const rank_change* change, language lang);

/// The account as tables (indicator lines grouped under their categories), JSON or CSV.
/// Headers are Chinese for language::zh.
std::string format_account(const explanation& e, report_format format, language lang = language::en);
std::string format_change_account(const change_account& c, report_format format, language lang = language::en);

namespace detail {
/// The raw and the used indicator values behind a result, N x M in framework indicator order.
struct value_tables {
  Eigen::MatrixXd raw;    // as read, derived columns as derived
  Eigen::MatrixXd used;   // after imputation and treatment for the pooling: what was normalised
};
/// `data` must be the dataset `r` was evaluated from; throws data_error if its units differ.
value_tables raw_and_used(const result& r, const dataset& data, const std::string& grouping,
                          const dataset* previous = nullptr);
/// The same from the units `r` was evaluated from, prepared once (prepare_units) for several poolings.
value_tables raw_and_used(const result& r, const prepared_units& units, const std::string& grouping);
}  // namespace detail

}  // namespace parkscore
