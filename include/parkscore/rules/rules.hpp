#pragma once
// Zone-evaluation rules that act on a unit as a whole rather than on an
// indicator: veto (一票否决) and bonus/deduction items (加减分), both computed
// from event columns of the data (counts of accidents, incidents, cases ...).
// Event columns are declared in the framework; they are not indicators.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace parkscore {

class framework;
class dataset;

/// A data column that holds event counts, not an indicator value.
struct event_column {
  std::string id;        // the data column
  std::string name;
  std::string name_en;
  std::string unit;
  std::string description;

  friend bool operator==(const event_column&, const event_column&) = default;
};

enum class comparison { greater, greater_equal, less, less_equal, equal, not_equal };

/// Disqualifies a unit when `column op value` holds (e.g. major_safety_accident > 0).
struct veto_rule {
  std::string column;
  comparison op = comparison::greater;
  double value = 0.0;
  std::string reason;   // shown in the result, e.g. 发生重大及以上安全生产事故
  std::string status;

  bool applies(double x) const;
  friend bool operator==(const veto_rule&, const veto_rule&) = default;
};

/// points x (events in `column`) added to the total; negative points deduct.
/// `cap` bounds the absolute points of this item.
struct adjustment_item {
  std::string id;
  std::string name;
  std::string column;
  double points = 0.0;   // per event
  std::optional<double> cap;
  std::string status;

  friend bool operator==(const adjustment_item&, const adjustment_item&) = default;
};

/// Bonus and deduction items with overall caps on the sum of bonuses and on the
/// sum of deductions (both as positive numbers of points).
struct adjustment_rules {
  std::vector<adjustment_item> items;
  std::optional<double> max_bonus;
  std::optional<double> max_deduction;

  friend bool operator==(const adjustment_rules&, const adjustment_rules&) = default;
};

struct zone_rules {
  std::vector<event_column> events;
  std::vector<veto_rule> veto;
  adjustment_rules adjustments;

  bool empty() const { return events.empty() && veto.empty() && adjustments.items.empty(); }
  friend bool operator==(const zone_rules&, const zone_rules&) = default;
};

/// One bonus/deduction item as applied to one unit.
struct adjustment_line {
  std::string item;
  double events = 0.0;
  double points = 0.0;   // after the item's cap
};

/// What the unit-level rules did to one unit.
struct unit_rule_record {
  std::string weight_set;                    // the weight set the unit was scored with
  std::vector<std::string> veto;             // reasons; empty = not vetoed
  std::vector<adjustment_line> adjustments;  // items with at least one event
  double bonus = 0.0;       // >= 0, after the overall cap
  double deduction = 0.0;   // <= 0, after the overall cap

  bool vetoed() const { return !veto.empty(); }
  double adjustment() const { return bonus + deduction; }
};

/// Veto reasons and bonus/deduction points of every unit (weight_set left empty).
/// A missing event count (NaN) counts as no event; a negative count is a data_error.
std::vector<unit_rule_record> apply_zone_rules(const framework& model, const dataset& data);

/// True if `column` is declared as an event column of the framework.
bool is_event_column(const framework& model, const std::string& column);

std::string to_string(comparison c);

namespace detail {
/// Checks ids and columns (declared, unique), caps and points; throws schema_error.
void validate_zone_rules(const framework& model);
}  // namespace detail

}  // namespace parkscore
