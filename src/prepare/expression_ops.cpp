#include "prepare/expression_ops.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

#include "parkscore/error.hpp"
#include "model/missing_value.hpp"

namespace parkscore::detail {

namespace {

using op = expression::op;
constexpr std::size_t any = SIZE_MAX;

constexpr std::array<function_spec, 10> functions{{
    {"lag", op::lag, 1, 1},
    {"ln", op::ln, 1, 1},
    {"log10", op::log10, 1, 1},
    {"exp", op::exp, 1, 1},
    {"sqrt", op::sqrt, 1, 1},
    {"abs", op::abs, 1, 1},
    {"pow", op::pow, 2, 2},
    {"min", op::min, 2, any},
    {"max", op::max, 2, any},
    {"if", op::if_then_else, 3, 3},
}};

double truth(bool b) { return b ? 1.0 : 0.0; }

// ln and log10: the domain is x > 0.
op_outcome logarithm(double x, double (*f)(double)) {
  if (x < 0) return {nan, domain_problem::negative_argument};
  if (x == 0) return {nan, domain_problem::zero_argument};
  return {f(x)};
}

// Finite operands whose result is not finite: an overflow. Infinite operands
// (an infinite data value) may give inf, passed on, or NaN (inf - inf): undefined.
op_outcome checked(double value, std::span<const double> operands) {
  const bool finite_in = std::all_of(operands.begin(), operands.end(), [](double v) { return std::isfinite(v); });
  if (std::isnan(value)) return {nan, domain_problem::undefined};
  if (std::isinf(value) && finite_in) return {nan, domain_problem::overflow};
  return {value};
}

op_outcome power(double x, double y) {
  if (x == 0 && y < 0) return {nan, domain_problem::zero_to_negative_power};
  if (x < 0 && std::isfinite(y) && std::trunc(y) != y) return {nan, domain_problem::negative_to_fraction};
  const double operands[] = {x, y};
  return checked(std::pow(x, y), operands);
}

}  // namespace

std::span<const function_spec> expression_functions() { return functions; }

const function_spec* find_function(std::string_view name) {
  for (const function_spec& f : functions)
    if (f.name == name) return &f;
  return nullptr;
}

std::string function_names() {
  std::string out;
  for (const function_spec& f : functions) out += (out.empty() ? "" : ", ") + std::string(f.name);
  return out;
}

op_outcome apply_op(op kind, std::span<const double> v) {
  switch (kind) {
    case op::negate: return {-v[0]};
    // An overflow is caught where it happens, so 1 / (1e300 * 1e300) is missing, not 0.
    case op::add: return checked(v[0] + v[1], v);
    case op::subtract: return checked(v[0] - v[1], v);
    case op::multiply: return checked(v[0] * v[1], v);
    case op::divide:
      // Also 5 / 0: a ratio with a zero denominator has no value, whatever the sign convention.
      if (v[1] == 0) return {nan, domain_problem::division_by_zero};
      return checked(v[0] / v[1], v);
    case op::ln: return logarithm(v[0], [](double x) { return std::log(x); });
    case op::log10: return logarithm(v[0], [](double x) { return std::log10(x); });
    case op::exp: return checked(std::exp(v[0]), v);
    case op::sqrt:
      if (v[0] < 0) return {nan, domain_problem::negative_argument};
      return {std::sqrt(v[0])};
    case op::abs: return {std::abs(v[0])};
    case op::pow: return power(v[0], v[1]);
    case op::min: return {*std::min_element(v.begin(), v.end())};
    case op::max: return {*std::max_element(v.begin(), v.end())};
    case op::if_then_else: return {v[0] != 0 ? v[1] : v[2]};
    case op::less: return {truth(v[0] < v[1])};
    case op::less_equal: return {truth(v[0] <= v[1])};
    case op::greater: return {truth(v[0] > v[1])};
    case op::greater_equal: return {truth(v[0] >= v[1])};
    case op::equal: return {truth(v[0] == v[1])};
    case op::not_equal: return {truth(v[0] != v[1])};
    case op::logical_and: return {truth(v[0] != 0 && v[1] != 0)};
    case op::logical_or: return {truth(v[0] != 0 || v[1] != 0)};
    case op::logical_not: return {truth(v[0] == 0)};
    case op::number:
    case op::column:
    case op::lag: break;
  }
  throw error("apply_op: a number, column or lag() is not an operation");
}

std::string_view op_text(op kind) {
  switch (kind) {
    case op::negate:
    case op::subtract: return "-";
    case op::add: return "+";
    case op::multiply: return "*";
    case op::divide: return "/";
    case op::less: return "<";
    case op::less_equal: return "<=";
    case op::greater: return ">";
    case op::greater_equal: return ">=";
    case op::equal: return "==";
    case op::not_equal: return "!=";
    case op::logical_and: return "and";
    case op::logical_or: return "or";
    case op::logical_not: return "not";
    default:
      for (const function_spec& f : functions)
        if (f.kind == kind) return f.name;
  }
  return "?";
}

std::string describe(domain_problem problem, op kind, std::size_t position) {
  const std::string_view name = op_text(kind);
  const std::string what = [&]() -> std::string {
    switch (problem) {
      case domain_problem::division_by_zero: return "division by zero";
      case domain_problem::negative_argument: return fmt::format("{} of a negative number", name);
      case domain_problem::zero_argument: return fmt::format("{} of zero", name);
      case domain_problem::overflow:
        return kind == op::exp || kind == op::pow ? fmt::format("{} overflows", name) : std::string("an overflow");
      case domain_problem::zero_to_negative_power: return "pow of zero to a negative power";
      case domain_problem::negative_to_fraction: return "pow of a negative number to a non-integer power";
      case domain_problem::undefined: return "an undefined value";
      case domain_problem::none: break;
    }
    return "no value";
  }();
  return fmt::format("{} (the '{}' at position {})", what, name, position);
}

}  // namespace parkscore::detail
