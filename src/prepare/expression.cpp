// The parser of derived expressions: recursive descent over the text, emitting
// a postfix program (docs/preparation.md has the grammar).
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <optional>

#include "parkscore/error.hpp"
#include "parkscore/prepare/derive.hpp"
#include "prepare/expression_ops.hpp"

namespace parkscore {

namespace {

using op = expression::op;

bool is_id_start(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
bool is_id_char(char c) { return is_id_start(c) || (c >= '0' && c <= '9') || c == '.'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

constexpr std::string_view operand_expected = "expected a number, a column id, a function call or '('";

class parser {
 public:
  parser(std::string_view text, const std::string& context) : text_(text), context_(context) {}

  std::vector<expression::step> run() {
    skip_space();
    if (at_end()) fail("the expression is empty");
    parse_or();
    skip_space();
    if (!at_end()) {
      if (text_[pos_] == ',') fail("a ',' outside a function's parentheses");
      fail(fmt::format("unexpected '{}' after a complete expression", text_[pos_]));
    }
    return std::move(out_);
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { fail_at(pos_, what); }
  [[noreturn]] void fail_at(std::size_t at, const std::string& what) const {
    throw schema_error(
        fmt::format("{}: expression '{}', position {}: {}", context_, detail::shortened(text_), at + 1, what));
  }
  bool at_end() const { return pos_ >= text_.size(); }
  void skip_space() {
    while (!at_end() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }
  bool accept(std::string_view token) {
    skip_space();
    if (text_.substr(pos_, token.size()) != token) return false;
    pos_ += token.size();
    return true;
  }
  // A keyword (and, or, not) is a whole word: "order" is a column, not "or" + "der".
  bool accept_word(std::string_view word) {
    skip_space();
    const std::size_t end = pos_ + word.size();
    if (text_.substr(pos_, word.size()) != word || (end < text_.size() && is_id_char(text_[end]))) return false;
    pos_ = end;
    return true;
  }
  void emit(op kind, std::size_t at, std::size_t arguments) { out_.push_back({kind, 0.0, "", at + 1, arguments}); }

  void parse_or() {
    parse_and();
    for (std::size_t at = skipped(); accept_word("or"); at = skipped()) {
      parse_and();
      emit(op::logical_or, at, 2);
    }
  }
  void parse_and() {
    parse_not();
    for (std::size_t at = skipped(); accept_word("and"); at = skipped()) {
      parse_not();
      emit(op::logical_and, at, 2);
    }
  }
  // A run of 'not' is read in a loop, as unary minus is: no recursion per word.
  // not not x is 1 or 0, not x itself, and three are one: an odd run emits
  // one 'not', an even run two.
  void parse_not() {
    const std::size_t at = skipped();
    std::size_t count = 0;
    while (accept_word("not")) ++count;
    parse_comparison();
    if (count == 0) return;
    if (count % 2 == 0) emit(op::logical_not, at, 1);
    emit(op::logical_not, at, 1);
  }
  void parse_comparison() {
    parse_sum();
    const std::size_t at = skipped();
    const std::optional<op> kind = comparison();
    if (!kind) return;
    parse_sum();
    emit(*kind, at, 2);
    const std::size_t next = skipped();
    if (comparison())
      fail_at(next, "comparisons do not chain: write 'a < b and b < c' for a < b < c");
  }
  std::optional<op> comparison() {
    if (accept("<=")) return op::less_equal;
    if (accept(">=")) return op::greater_equal;
    if (accept("==")) return op::equal;
    if (accept("!=")) return op::not_equal;
    if (accept("<")) return op::less;
    if (accept(">")) return op::greater;
    skip_space();
    if (!at_end() && text_[pos_] == '=') fail("'=' is not an operator: compare with '=='");
    return std::nullopt;
  }
  void parse_sum() {
    parse_product();
    for (;;) {
      const std::size_t at = skipped();
      if (accept("+")) {
        parse_product();
        emit(op::add, at, 2);
      } else if (accept("-")) {
        parse_product();
        emit(op::subtract, at, 2);
      } else {
        return;
      }
    }
  }
  void parse_product() {
    parse_unary();
    for (;;) {
      const std::size_t at = skipped();
      if (accept("*")) {
        parse_unary();
        emit(op::multiply, at, 2);
      } else if (accept("/")) {
        parse_unary();
        emit(op::divide, at, 2);
      } else {
        return;
      }
    }
  }
  // A run of unary minus signs is read in a loop, not by recursion (10^6 of
  // them must not overflow the stack); -(-x) is x exactly, so an even run
  // emits nothing and an odd run one negation, at its first sign.
  void parse_unary() {
    const std::size_t at = skipped();
    std::size_t signs = 0;
    while (accept("-")) ++signs;
    parse_primary();
    if (signs % 2 == 1) emit(op::negate, at, 1);
  }
  std::size_t skipped() {
    skip_space();
    return pos_;
  }
  std::string read_id() {
    const std::size_t start = pos_;
    while (!at_end() && is_id_char(text_[pos_])) ++pos_;
    return std::string(text_.substr(start, pos_ - start));
  }
  // Parentheses and function calls recurse; their depth is bounded so no text can overflow the stack.
  void enter() {
    if (++depth_ > max_depth) fail(fmt::format("parentheses nested deeper than {} levels", max_depth));
  }
  void parse_primary() {
    skip_space();
    if (at_end()) fail(fmt::format("unexpected end: {}", operand_expected));
    const std::size_t at = pos_;
    const char c = text_[pos_];
    if (c == '(') {
      enter();
      ++pos_;
      parse_or();
      if (!accept(")")) fail("expected ')'");
      --depth_;
      return;
    }
    if (is_digit(c) || c == '.') {
      double value = 0.0;
      const char* first = text_.data() + pos_;
      const auto [end, ec] = std::from_chars(first, text_.data() + text_.size(), value);
      if (ec != std::errc() || !std::isfinite(value)) fail("invalid number");
      pos_ += static_cast<std::size_t>(end - first);
      out_.push_back({op::number, value, "", at + 1, 0});
      return;
    }
    if (!is_id_start(c)) {
      if (c == '!') fail("unexpected '!': negate a condition with 'not'");
      fail(fmt::format("unexpected '{}': {}", c, operand_expected));
    }
    const std::string id = read_id();
    if (id == "and" || id == "or") fail_at(at, fmt::format("'{}' needs an operand before it", id));
    if (id == "not") fail_at(at, "'not' applies to a whole comparison: write it first or in parentheses, (not x)");
    skip_space();
    if (at_end() || text_[pos_] != '(') {
      out_.push_back({op::column, 0.0, id, at + 1, 0});
      return;
    }
    const detail::function_spec* f = detail::find_function(id);
    if (!f) fail_at(at, fmt::format("unknown function '{}' (the functions are {})", id, detail::function_names()));
    if (f->kind == op::lag) {
      ++pos_;
      skip_space();
      if (at_end() || !is_id_start(text_[pos_])) fail("lag() takes a column id");
      const std::size_t column_at = pos_;
      const std::string column = read_id();
      if (!accept(")")) fail("expected ')' after the column of lag()");
      out_.push_back({op::lag, 0.0, column, column_at + 1, 0});
      return;
    }
    enter();
    ++pos_;
    std::size_t arguments = 0;
    if (!accept(")")) {
      do {
        parse_or();
        ++arguments;
      } while (accept(","));
      if (!accept(")")) fail(fmt::format("expected ',' or ')' in the arguments of {}()", id));
    }
    --depth_;
    if (arguments < f->min_arguments || arguments > f->max_arguments)
      fail_at(at, fmt::format("{}() takes {}, not {}", id, arity(*f), arguments));
    emit(f->kind, at, arguments);
  }
  static std::string arity(const detail::function_spec& f) {
    if (f.max_arguments == SIZE_MAX) return fmt::format("{} or more arguments", f.min_arguments);
    return fmt::format("{} argument{}", f.min_arguments, f.min_arguments == 1 ? "" : "s");
  }

  static constexpr std::size_t max_depth = 100;

  std::string_view text_;
  const std::string& context_;
  std::size_t pos_ = 0;
  std::size_t depth_ = 0;
  std::vector<expression::step> out_;
};

std::vector<std::string> columns_of(const std::vector<expression::step>& program, op kind) {
  std::vector<std::string> out;
  for (const auto& s : program)
    if (s.kind == kind && std::find(out.begin(), out.end(), s.column) == out.end()) out.push_back(s.column);
  return out;
}

}  // namespace

namespace detail {

std::string shortened(std::string_view text) {
  constexpr std::size_t keep = 60;
  if (text.size() <= keep) return std::string(text);
  std::size_t cut = keep;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;   // not inside a UTF-8 character
  return fmt::format("{}… ({} bytes)", text.substr(0, cut), text.size());
}

}  // namespace detail

expression expression::parse(std::string_view text, const std::string& context) {
  expression e;
  e.text_ = std::string(text);
  e.program_ = parser(text, context).run();
  return e;
}

std::vector<std::string> expression::columns() const { return columns_of(program_, op::column); }
std::vector<std::string> expression::lagged_columns() const { return columns_of(program_, op::lag); }

}  // namespace parkscore
