#include "parkscore/prepare/derive.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

#include "model/dataset_edit.hpp"
#include "parkscore/error.hpp"

namespace parkscore {

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

bool is_id_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
bool is_id_char(char c) { return is_id_start(c) || (c >= '0' && c <= '9') || c == '.'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Long expressions are cut in messages (the position says where the problem is).
std::string shortened(std::string_view text) {
  constexpr std::size_t keep = 60;
  if (text.size() <= keep) return std::string(text);
  std::size_t cut = keep;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;   // not inside a UTF-8 character
  return fmt::format("{}… ({} bytes)", text.substr(0, cut), text.size());
}

// Recursive descent over the text, emitting postfix steps.
class parser {
 public:
  parser(std::string_view text, const std::string& context) : text_(text), context_(context) {}

  std::vector<expression::step> run() {
    skip_space();
    if (at_end()) fail("the expression is empty");
    parse_sum();
    skip_space();
    if (!at_end()) fail(fmt::format("unexpected '{}' after a complete expression", text_[pos_]));
    return std::move(out_);
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw schema_error(fmt::format("{}: expression '{}', position {}: {}", context_, shortened(text_), pos_ + 1, what));
  }
  bool at_end() const { return pos_ >= text_.size(); }
  void skip_space() {
    while (!at_end() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  bool accept(char c) {
    skip_space();
    if (at_end() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }
  void emit(expression::op kind, std::size_t at) { out_.push_back({kind, 0.0, "", at + 1}); }

  void parse_sum() {
    parse_product();
    for (;;) {
      skip_space();
      const std::size_t at = pos_;
      if (accept('+')) {
        parse_product();
        emit(expression::op::add, at);
      } else if (accept('-')) {
        parse_product();
        emit(expression::op::subtract, at);
      } else {
        return;
      }
    }
  }
  void parse_product() {
    parse_unary();
    for (;;) {
      skip_space();
      const std::size_t at = pos_;
      if (accept('*')) {
        parse_unary();
        emit(expression::op::multiply, at);
      } else if (accept('/')) {
        parse_unary();
        emit(expression::op::divide, at);
      } else {
        return;
      }
    }
  }
  // A run of unary minus signs is read in a loop, not by recursion (10^6 of
  // them must not overflow the stack); -(-x) is x exactly, so an even run
  // emits nothing and an odd run one negation, at its first sign.
  void parse_unary() {
    skip_space();
    const std::size_t at = pos_;
    std::size_t signs = 0;
    while (accept('-')) ++signs;
    parse_primary();
    if (signs % 2 == 1) emit(expression::op::negate, at);
  }
  std::string read_id() {
    const std::size_t start = pos_;
    while (!at_end() && is_id_char(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }
  void parse_primary() {
    skip_space();
    if (at_end()) fail("unexpected end: expected a number, a column id, lag(column) or '('");
    const std::size_t at = pos_;
    const char c = text_[pos_];
    if (c == '(') {
      // Parentheses recurse; their depth is bounded so no text can overflow the stack.
      if (++depth_ > max_depth)
        fail(fmt::format("parentheses nested deeper than {} levels", max_depth));
      ++pos_;
      parse_sum();
      if (!accept(')')) fail("expected ')'");
      --depth_;
      return;
    }
    if (is_digit(c) || c == '.') {
      double value = 0.0;
      const char* first = text_.data() + pos_;
      const auto [end, ec] = std::from_chars(first, text_.data() + text_.size(), value);
      if (ec != std::errc() || !std::isfinite(value)) fail("invalid number");
      pos_ += static_cast<std::size_t>(end - first);
      out_.push_back({expression::op::number, value, "", at + 1});
      return;
    }
    if (!is_id_start(c))
      fail(fmt::format("unexpected '{}': expected a number, a column id, lag(column) or '('", c));
    const std::string id = read_id();
    skip_space();
    if (!at_end() && text_[pos_] == '(') {
      if (id != "lag") fail(fmt::format("unknown function '{}' (the only function is lag)", id));
      ++pos_;
      skip_space();
      if (at_end() || !is_id_start(text_[pos_])) fail("lag() takes a column id");
      const std::size_t column_at = pos_;
      const std::string column = read_id();
      if (!accept(')')) fail("expected ')' after the column of lag()");
      out_.push_back({expression::op::lag, 0.0, column, column_at + 1});
      return;
    }
    out_.push_back({expression::op::column, 0.0, id, at + 1});
  }

  static constexpr std::size_t max_depth = 100;

  std::string_view text_;
  const std::string& context_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
  std::vector<expression::step> out_;
};

std::vector<std::string> columns_of(const std::vector<expression::step>& program, expression::op kind) {
  std::vector<std::string> out;
  for (const auto& s : program)
    if (s.kind == kind && std::find(out.begin(), out.end(), s.column) == out.end()) out.push_back(s.column);
  return out;
}

// A step with its column resolved to an index (current or previous data).
struct resolved_step {
  expression::step step;
  std::size_t column = 0;
};

}  // namespace

expression expression::parse(std::string_view text, const std::string& context) {
  expression e;
  e.text_ = std::string(text);
  e.program_ = parser(text, context).run();
  return e;
}

std::vector<std::string> expression::columns() const { return columns_of(program_, op::column); }
std::vector<std::string> expression::lagged_columns() const { return columns_of(program_, op::lag); }

derived_data derive(const dataset& data, const std::vector<derived_indicator>& specs, const dataset* previous) {
  derived_data out{data, {}};
  std::vector<std::optional<std::size_t>> previous_row(data.unit_count());
  if (previous)
    for (std::size_t i = 0; i < data.unit_count(); ++i) previous_row[i] = previous->find_unit(data.unit_ids()[i]);

  for (std::size_t k = 0; k < specs.size(); ++k) {
    const derived_indicator& spec = specs[k];
    const std::string context = fmt::format("derived indicator '{}' (/derived/{})", spec.id, k);
    const expression e = expression::parse(spec.expression, context);
    if (out.data.find_indicator(spec.id))
      throw data_error(fmt::format("{}: the data already have a column '{}'", context, spec.id));
    std::vector<resolved_step> program;
    for (const expression::step& s : e.program()) {
      resolved_step r{s, 0};
      auto where = [&] { return fmt::format("{}: expression '{}', position {}", context, shortened(e.text()), s.position); };
      if (s.kind == expression::op::column) {
        const auto j = out.data.find_indicator(s.column);
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

    Eigen::VectorXd column(static_cast<Eigen::Index>(data.unit_count()));
    std::vector<double> stack;
    for (std::size_t i = 0; i < data.unit_count(); ++i) {
      std::string problem;  // the first reason the value is missing
      stack.clear();
      for (const resolved_step& r : program) {
        const expression::step& s = r.step;
        switch (s.kind) {
          case expression::op::number:
            stack.push_back(s.value);
            break;
          case expression::op::column: {
            const double v = out.data.value(i, r.column);
            if (std::isnan(v) && problem.empty()) problem = fmt::format("'{}' is missing", s.column);
            stack.push_back(v);
            break;
          }
          case expression::op::lag: {
            double v = nan;
            if (previous_row[i]) v = previous->value(*previous_row[i], r.column);
            if (std::isnan(v) && problem.empty())
              problem = previous_row[i] ? fmt::format("the previous year's '{}' is missing", s.column)
                                        : std::string("the unit is not in the previous year's data");
            stack.push_back(v);
            break;
          }
          case expression::op::negate:
            stack.back() = -stack.back();
            break;
          default: {
            const double b = stack.back();
            stack.pop_back();
            double& a = stack.back();
            if (s.kind == expression::op::add) a = a + b;
            if (s.kind == expression::op::subtract) a = a - b;
            if (s.kind == expression::op::multiply) a = a * b;
            if (s.kind == expression::op::divide) {
              if (b == 0.0 && !std::isnan(a)) {
                if (problem.empty()) problem = fmt::format("division by zero (the '/' at position {})", s.position);
                a = nan;
              } else {
                a = a / b;
              }
            }
          }
        }
      }
      double v = stack.back();
      if (!std::isfinite(v)) {
        if (!std::isnan(v) && problem.empty()) problem = "the result overflows";
        v = nan;
      }
      column[static_cast<Eigen::Index>(i)] = v;
      if (std::isnan(v))
        out.warnings.push_back({data.unit_ids()[i], spec.id,
                                fmt::format("'{}' = {} is missing: {}", spec.id, shortened(e.text()),
                                            problem.empty() ? "NaN operand" : problem)});
    }
    out.data = detail::append_columns(out.data, {spec.id}, column);
  }
  return out;
}

}  // namespace parkscore
