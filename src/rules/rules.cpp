#include "parkscore/rules/rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "model/enum_names.hpp"
#include "parkscore/model/dataset.hpp"
#include "parkscore/error.hpp"
#include "parkscore/model/framework.hpp"

namespace parkscore {

bool veto_rule::applies(double x) const {
  switch (op) {
    case comparison::greater: return x > value;
    case comparison::greater_equal: return x >= value;
    case comparison::less: return x < value;
    case comparison::less_equal: return x <= value;
    case comparison::equal: return x == value;
    case comparison::not_equal: return x != value;
  }
  return false;
}

std::string to_string(comparison c) { return detail::name_of(detail::comparison_names, c); }

bool is_event_column(const framework& model, const std::string& column) {
  const auto& events = model.rules.events;
  return std::any_of(events.begin(), events.end(), [&](const event_column& e) { return e.id == column; });
}

namespace {

// The event count of a unit: NaN (not reported) counts as none; negative counts are errors.
double event_count(const dataset& data, std::size_t unit, std::size_t column) {
  const double x = data.value(unit, column);
  if (std::isnan(x)) return 0.0;
  if (x < 0)
    throw data_error(fmt::format("unit '{}', event column '{}': a count cannot be negative, got {}",
                                 data.unit_ids()[unit], data.indicator_ids()[column], x));
  return x;
}

std::size_t event_index(const dataset& data, const std::string& column) {
  if (const auto j = data.find_indicator(column)) return *j;
  throw data_error(fmt::format("event column '{}' named by the framework's rules is not in the data{}", column,
                               data.source.empty() ? "" : " of " + data.source));
}

}  // namespace

std::vector<unit_rule_record> apply_zone_rules(const framework& model, const dataset& data) {
  std::vector<unit_rule_record> out(data.unit_count());
  const zone_rules& rules = model.rules;
  for (const veto_rule& v : rules.veto) {
    const std::size_t j = event_index(data, v.column);
    for (std::size_t i = 0; i < data.unit_count(); ++i) {
      const double x = event_count(data, i, j);
      if (v.applies(x))
        out[i].veto.push_back(fmt::format("{} ({} = {:g} {} {:g})", v.reason, v.column, x, to_string(v.op), v.value));
    }
  }
  const adjustment_rules& adj = rules.adjustments;
  for (const adjustment_item& item : adj.items) {
    const std::size_t j = event_index(data, item.column);
    for (std::size_t i = 0; i < data.unit_count(); ++i) {
      const double events = event_count(data, i, j);
      if (events == 0) continue;
      double points = events * item.points;
      if (item.cap) points = std::clamp(points, -*item.cap, *item.cap);
      out[i].adjustments.push_back({item.id, events, points});
      (points > 0 ? out[i].bonus : out[i].deduction) += points;
    }
  }
  for (unit_rule_record& r : out) {
    if (adj.max_bonus) r.bonus = std::min(r.bonus, *adj.max_bonus);
    if (adj.max_deduction) r.deduction = std::max(r.deduction, -*adj.max_deduction);
  }
  return out;
}

namespace detail {

void validate_zone_rules(const framework& model) {
  const zone_rules& rules = model.rules;
  std::set<std::string> events;
  for (const event_column& e : rules.events) {
    if (e.id.empty()) throw schema_error(fmt::format("framework '{}': an event column has no id", model.id));
    if (!events.insert(e.id).second)
      throw schema_error(fmt::format("framework '{}': event column '{}' is declared twice", model.id, e.id));
    if (model.find(e.id))
      throw schema_error(fmt::format("framework '{}': '{}' is both a node and an event column", model.id, e.id));
  }
  auto require_event = [&](const std::string& column, const std::string& what) {
    if (!events.count(column))
      throw schema_error(fmt::format("{}: column '{}' is not a declared event column (declare it under \"events\")",
                                     what, column));
  };
  for (const veto_rule& v : rules.veto) {
    require_event(v.column, "veto rule");
    if (!std::isfinite(v.value)) throw schema_error(fmt::format("veto rule on '{}': value must be finite", v.column));
  }
  std::set<std::string> ids;
  for (const adjustment_item& item : rules.adjustments.items) {
    if (item.id.empty()) throw schema_error("a bonus/deduction item has no id");
    if (!ids.insert(item.id).second) throw schema_error(fmt::format("bonus/deduction item '{}' is defined twice", item.id));
    require_event(item.column, fmt::format("bonus/deduction item '{}'", item.id));
    if (!std::isfinite(item.points))
      throw schema_error(fmt::format("bonus/deduction item '{}': points must be finite, got {}", item.id, item.points));
    if (item.cap && !(*item.cap >= 0 && std::isfinite(*item.cap)))
      throw schema_error(fmt::format("bonus/deduction item '{}': cap must be a finite number >= 0, got {}", item.id, *item.cap));
  }
  for (const auto& [cap, name] : {std::pair{rules.adjustments.max_bonus, "max_bonus"},
                                  std::pair{rules.adjustments.max_deduction, "max_deduction"}})
    if (cap && !(*cap >= 0 && std::isfinite(*cap)))
      throw schema_error(fmt::format("bonus/deduction {} must be a finite number >= 0, got {}", name, *cap));
}

}  // namespace detail

}  // namespace parkscore
