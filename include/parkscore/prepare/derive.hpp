#pragma once
// Derived indicators (denomination): indicators computed from raw data columns
// by a small, safe expression language, e.g. "tax / land_area",
// "part / total * 100", "gdp / lag(gdp) - 1", "ln(gdp / population)",
// "if(land_area > 0, tax / land_area, 0)". Grammar (docs/preparation.md):
//   expr       := conjunct ('or' conjunct)*
//   conjunct   := negation ('and' negation)*
//   negation   := 'not' negation | comparison
//   comparison := sum (('<' | '<=' | '>' | '>=' | '==' | '!=') sum)?
//   sum        := term (('+' | '-') term)*
//   term       := unary (('*' | '/') unary)*
//   unary      := '-' unary | primary
//   primary    := number | column | 'lag' '(' column ')' | function '(' expr (',' expr)* ')' | '(' expr ')'
// Functions: ln, log10, exp, sqrt, abs, pow(x, y), min(...), max(...), if(c, a, b).
// A missing operand, a division by zero or a value outside a function's domain
// (ln of 0, sqrt of -1, exp overflowing) gives a missing value (NaN) and a
// warning naming the unit, the indicator and the cause; it is never an error.

#include <string>
#include <string_view>
#include <vector>

#include "parkscore/model/dataset.hpp"

namespace parkscore {

/// One derived indicator as declared in the framework ("derived": [...]).
struct derived_indicator {
  std::string id;
  std::string expression;
  std::string name;

  friend bool operator==(const derived_indicator&, const derived_indicator&) = default;
};

/// A parsed expression, stored as a postfix program (a value type).
class expression {
 public:
  enum class op {
    number, column, lag, negate, add, subtract, multiply, divide,
    // functions of step::arguments operands
    ln, log10, exp, sqrt, abs, pow, min, max, if_then_else,
    // comparisons and logic give 1 (true) or 0 (false); any non-zero operand is true
    less, less_equal, greater, greater_equal, equal, not_equal, logical_and, logical_or, logical_not
  };
  struct step {
    op kind = op::number;
    double value = 0.0;      // op::number
    std::string column;      // op::column, op::lag
    std::size_t position = 0;  // 1-based character position in the text, for messages
    std::size_t arguments = 0; // operands taken from the stack (0 for number, column, lag)
  };

  /// Parses `text`; throws schema_error "<context>: expression '<text>', position <p>: <what>"
  /// for bad syntax, an unknown function or a wrong number of arguments.
  static expression parse(std::string_view text, const std::string& context = "derived indicator");

  const std::string& text() const { return text_; }
  const std::vector<step>& program() const { return program_; }
  /// Column ids read from the current year's data, each once, in order of appearance.
  std::vector<std::string> columns() const;
  /// Column ids read from the previous year's data through lag().
  std::vector<std::string> lagged_columns() const;

 private:
  std::string text_;
  std::vector<step> program_;
};

/// A derived value that came out missing, and why.
struct derive_warning {
  std::string unit;
  std::string indicator;
  std::string message;

  friend bool operator==(const derive_warning&, const derive_warning&) = default;
};

struct derived_data {
  dataset data;                         // the input with the derived columns appended
  std::vector<derive_warning> warnings;
};

/// Evaluates `specs` in order (a spec may use the ids of earlier ones) and appends
/// them as columns. lag(c) reads column c of `previous` for the unit with the same id.
/// Throws data_error for an unknown column, a derived id that is already a data
/// column, or lag() without previous-year data; schema_error for bad syntax.
derived_data derive(const dataset& data, const std::vector<derived_indicator>& specs,
                    const dataset* previous = nullptr);

}  // namespace parkscore
