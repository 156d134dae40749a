#pragma once
// The operators and functions of derived expressions: names and argument
// counts for the parser, and their values and domain rules for derive().

#include <cstddef>
#include <span>
#include <string>
#include <string_view>

#include "parkscore/prepare/derive.hpp"

namespace parkscore::detail {

struct function_spec {
  std::string_view name;
  expression::op kind;
  std::size_t min_arguments;
  std::size_t max_arguments;   // SIZE_MAX: any number from min_arguments on
};

/// Every function callable as name(...), lag included, in the order the docs list them.
std::span<const function_spec> expression_functions();
const function_spec* find_function(std::string_view name);
/// "ln, log10, ..." for messages.
std::string function_names();

/// Why an operation gave no value although its operands had values.
enum class domain_problem {
  none,
  division_by_zero,
  negative_argument,       // ln, log10, sqrt of x < 0
  zero_argument,           // ln, log10 of 0
  overflow,                // + - * / exp pow: finite operands, infinite result
  zero_to_negative_power,  // pow(0, y < 0)
  negative_to_fraction,    // pow(x < 0, non-integer y)
  undefined                // infinite operands (an infinite data value) giving NaN: inf - inf, 0 * inf
};

struct op_outcome {
  double value;
  domain_problem problem = domain_problem::none;
};

/// Applies an operator or function (not number, column, lag) to its operands,
/// none of which is NaN; a domain problem gives NaN and says why.
op_outcome apply_op(expression::op kind, std::span<const double> operands);

/// "division by zero (the '/' at position 5)", "ln of a negative number (the 'ln' at position 1)".
std::string describe(domain_problem problem, expression::op kind, std::size_t position);

/// The expression as shown in messages: long ones cut after 60 bytes, with their length.
std::string shortened(std::string_view text);

/// The operator's text as written: "+", "<=", "and", "ln", ...
std::string_view op_text(expression::op kind);

}  // namespace parkscore::detail
