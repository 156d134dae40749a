#include "parkscore/prepare/derive.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "model/dataset_edit.hpp"
#include "parkscore/error.hpp"
#include "prepare/expression_ops.hpp"
#include "model/missing_value.hpp"

namespace parkscore {

namespace {

constexpr std::size_t no_step = std::numeric_limits<std::size_t>::max();

// A step with its column resolved to an index: of the previous data for lag(); for a
// current column, of the data's columns then the derived ones (data columns + k).
struct resolved_step {
  expression::step step;
  std::size_t column = 0;
};

// A value on the evaluation stack and, when it is missing, the step that made
// it missing and why: if(c, a, b) keeps the cause of the branch it takes, so
// the warning names the real reason, not a missing value in the other branch.
struct slot {
  double value = 0.0;
  std::size_t cause = no_step;
  detail::domain_problem problem = detail::domain_problem::none;
};

// Runs the program for one unit; `operands` is scratch space.
slot evaluate_unit(const std::vector<resolved_step>& program, const dataset& data, const Eigen::MatrixXd& derived,
                   std::size_t unit, const dataset* previous, std::optional<std::size_t> previous_row,
                   std::vector<slot>& stack, std::vector<double>& operands) {
  const std::size_t data_columns = data.indicator_count();
  stack.clear();
  for (std::size_t k = 0; k < program.size(); ++k) {
    const resolved_step& r = program[k];
    const expression::step& s = r.step;
    switch (s.kind) {
      case expression::op::number:
        stack.push_back({s.value});
        continue;
      case expression::op::column: {
        const double v = r.column < data_columns
                             ? data.value(unit, r.column)
                             : derived(static_cast<Eigen::Index>(unit), static_cast<Eigen::Index>(r.column - data_columns));
        stack.push_back({v, std::isnan(v) ? k : no_step});
        continue;
      }
      case expression::op::lag: {
        const double v = previous_row ? previous->value(*previous_row, r.column) : nan;
        stack.push_back({v, std::isnan(v) ? k : no_step});
        continue;
      }
      default:
        break;
    }
    const std::size_t first = stack.size() - s.arguments;
    slot out;
    if (s.kind == expression::op::if_then_else) {
      // Only the condition and the branch taken matter.
      const slot& condition = stack[first];
      out = std::isnan(condition.value) ? condition : condition.value != 0 ? stack[first + 1] : stack[first + 2];
    } else {
      operands.clear();
      for (std::size_t a = first; a < stack.size(); ++a) {
        if (std::isnan(stack[a].value)) {   // a missing operand: the first one's cause
          out = stack[a];
          break;
        }
        operands.push_back(stack[a].value);
      }
      if (operands.size() == s.arguments) {
        const detail::op_outcome o = detail::apply_op(s.kind, operands);
        out = {o.value, std::isnan(o.value) ? k : no_step, o.problem};
      }
    }
    stack.resize(first);
    stack.push_back(out);
  }
  return stack.back();
}

// Why a unit's value is missing, from the step that caused it.
std::string missing_because(const slot& v, const std::vector<resolved_step>& program, bool in_previous) {
  if (v.cause == no_step) return "NaN operand";
  const expression::step& s = program[v.cause].step;
  if (s.kind == expression::op::column) return fmt::format("'{}' is missing", s.column);
  if (s.kind == expression::op::lag)
    return in_previous ? fmt::format("the previous year's '{}' is missing", s.column)
                       : std::string("the unit is not in the previous year's data");
  return detail::describe(v.problem, s.kind, s.position);
}

}  // namespace

derived_data derive(const dataset& data, const std::vector<derived_indicator>& specs, const dataset* previous) {
  // The derived columns are evaluated into one matrix and appended once: a copy of the
  // dataset per derived indicator would cost more than evaluating it.
  derived_data out;
  const auto rows = static_cast<Eigen::Index>(data.unit_count());
  Eigen::MatrixXd derived(rows, static_cast<Eigen::Index>(specs.size()));
  std::vector<std::string> ids;
  auto find_current = [&](const std::string& id) -> std::optional<std::size_t> {
    if (auto j = data.find_indicator(id)) return j;
    const auto k = std::find(ids.begin(), ids.end(), id);
    if (k == ids.end()) return std::nullopt;
    return data.indicator_count() + static_cast<std::size_t>(k - ids.begin());
  };
  std::vector<std::optional<std::size_t>> previous_row(data.unit_count());
  if (previous)
    for (std::size_t i = 0; i < data.unit_count(); ++i) previous_row[i] = previous->find_unit(data.unit_ids()[i]);

  for (std::size_t k = 0; k < specs.size(); ++k) {
    const derived_indicator& spec = specs[k];
    const std::string context = fmt::format("derived indicator '{}' (/derived/{})", spec.id, k);
    const expression e = expression::parse(spec.expression, context);
    if (find_current(spec.id))
      throw data_error(fmt::format("{}: the data already have a column '{}'", context, spec.id));
    std::vector<resolved_step> program;
    for (const expression::step& s : e.program()) {
      resolved_step r{s, 0};
      auto where = [&] { return fmt::format("{}: expression '{}', position {}", context, detail::shortened(e.text()), s.position); };
      if (s.kind == expression::op::column) {
        const auto j = find_current(s.column);
        if (!j) throw data_error(fmt::format("{}: unknown column '{}' in the data", where(), s.column));
        r.column = *j;
      } else if (s.kind == expression::op::lag) {
        if (!previous)
          throw data_error(fmt::format("{}: lag({}) needs the previous year's data, but none were given", where(),
                                       s.column));
        const auto j = previous->find_indicator(s.column);
        if (!j)
          throw data_error(fmt::format("{}: unknown column '{}' in the previous year's data", where(), s.column));
        r.column = *j;
      }
      program.push_back(std::move(r));
    }

    std::vector<slot> stack;
    std::vector<double> operands;
    const auto column = static_cast<Eigen::Index>(k);
    for (std::size_t i = 0; i < data.unit_count(); ++i) {
      const slot v = evaluate_unit(program, data, derived, i, previous, previous_row[i], stack, operands);
      derived(static_cast<Eigen::Index>(i), column) = std::isfinite(v.value) ? v.value : nan;
      if (std::isfinite(v.value)) continue;
      // An infinite value can only come from an infinite data value; overflows are caught where they happen.
      const std::string problem =
          std::isnan(v.value) ? missing_because(v, program, previous_row[i].has_value()) : "the result overflows";
      out.warnings.push_back({data.unit_ids()[i], spec.id,
                              fmt::format("'{}' = {} is missing: {}", spec.id, detail::shortened(e.text()), problem)});
    }
    ids.push_back(spec.id);
  }
  out.data = specs.empty() ? data : detail::append_columns(data, ids, derived);
  return out;
}

}  // namespace parkscore
