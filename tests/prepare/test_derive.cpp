#include <doctest/doctest.h>

#include "prepare/derive_fixtures.hpp"
#include "parkscore/prepare/derive.hpp"
#include "parkscore/error.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using namespace parkscore::test;

namespace {
Eigen::VectorXd derived_column(const derived_data& d, const std::string& id) {
  return d.data.values().col(static_cast<Eigen::Index>(d.data.indicator_index(id)));
}
}  // namespace

TEST_CASE("the expression parser: precedence, associativity, unary minus, parentheses") {
  const dataset d = zones();
  auto eval = [&](const std::string& text) { return derived_column(derive(d, {{"y", text, ""}}), "y"); };
  check_vector(eval("1 + 2 * 3"), {7, 7, 7});
  check_vector(eval("(1 + 2) * 3"), {9, 9, 9});
  check_vector(eval("10 - 4 - 3"), {3, 3, 3});     // (10 - 4) - 3
  check_vector(eval("24 / 4 / 2"), {3, 3, 3});     // (24 / 4) / 2
  check_vector(eval("-2 * -3 + 1.5e1"), {21, 21, 21});
  check_vector(eval("tax / gdp * 100"), {40, 25, 90});
  check_vector(eval("-(tax - gdp)"), {180, 150, 10});
  const expression e = expression::parse("gdp / lag(gdp) - 1 + gdp");
  CHECK(e.columns() == std::vector<std::string>{"gdp"});
  CHECK(e.lagged_columns() == std::vector<std::string>{"gdp"});
}

TEST_CASE("division by zero and missing operands give NaN and a warning naming unit and indicator") {
  const derived_data r = derive(zones(), {{"tax_per_mu", "tax / land_area", "亩均税收"}});
  check_vector(derived_column(r, "tax_per_mu"), {3, NaN, NaN});  // 120 / 40
  REQUIRE(r.warnings.size() == 2);
  CHECK(r.warnings[0] == derive_warning{"z2", "tax_per_mu",
                                        "'tax_per_mu' = tax / land_area is missing: division by zero (the '/' at "
                                        "position 5)"});
  CHECK(r.warnings[1].unit == "z3");
  CHECK(r.warnings[1].message == "'tax_per_mu' = tax / land_area is missing: 'land_area' is missing");
  // Later specs may use earlier ones.
  const derived_data two = derive(zones(), {{"t", "tax * 2", ""}, {"u", "t + 1", ""}});
  check_vector(derived_column(two, "u"), {241, 101, 181});
  CHECK(two.data.indicator_ids() == std::vector<std::string>{"tax", "land_area", "gdp", "t", "u"});
  // A spec cannot read itself or a later one, nor reuse an earlier id.
  CHECK_THROWS_WITH_AS(derive(zones(), {{"t", "u * 2", ""}, {"u", "tax", ""}}),
                       doctest::Contains("position 1: unknown column 'u' in the data"), data_error);
  CHECK_THROWS_WITH_AS(derive(zones(), {{"t", "tax", ""}, {"t", "gdp", ""}}),
                       doctest::Contains("(/derived/1): the data already have a column 't'"), data_error);
}

TEST_CASE("lag() reads the previous year's value of the same unit") {
  Eigen::MatrixXd p(2, 1);
  p << 200, 250;
  const dataset prev({"z2", "z1"}, {"gdp"}, p);  // other order, no z3
  const derived_data r = derive(zones(), {{"growth", "gdp / lag(gdp) - 1", ""}}, &prev);
  check_vector(derived_column(r, "growth"), {0.2, 0, NaN});  // 300/250 - 1, 200/200 - 1
  CHECK(r.warnings[0].message == "'growth' = gdp / lag(gdp) - 1 is missing: the unit is not in the previous year's data");
  CHECK_THROWS_WITH_AS(derive(zones(), {{"growth", "gdp / lag(gdp)", ""}}),
                       "derived indicator 'growth' (/derived/0): expression 'gdp / lag(gdp)', position 11: lag(gdp) "
                       "needs the previous year's data, but none were given",
                       data_error);
}

TEST_CASE("expression errors give the position") {
  auto parse_error = [](const std::string& text) {
    try {
      (void)expression::parse(text, "d");
    } catch (const schema_error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(parse_error("tax / ") == "d: expression 'tax / ', position 7: unexpected end: expected a number, a column "
                                 "id, a function call or '('");
  CHECK(parse_error("tax + * 2") == "d: expression 'tax + * 2', position 7: unexpected '*': expected a number, a "
                                    "column id, a function call or '('");
  CHECK(parse_error("(tax + 1") == "d: expression '(tax + 1', position 9: expected ')'");
  CHECK(parse_error("tax 2") == "d: expression 'tax 2', position 5: unexpected '2' after a complete expression");
  CHECK(parse_error("log(tax)") == "d: expression 'log(tax)', position 1: unknown function 'log' (the functions "
                                   "are lag, ln, log10, exp, sqrt, abs, pow, min, max, if)");
  CHECK(parse_error("") == "d: expression '', position 1: the expression is empty");
  CHECK_THROWS_WITH_AS(derive(zones(), {{"y", "tax / lnd", ""}}),
                       "derived indicator 'y' (/derived/0): expression 'tax / lnd', position 7: unknown column 'lnd' "
                       "in the data",
                       data_error);
  CHECK_THROWS_WITH_AS(derive(zones(), {{"gdp", "tax", ""}}), doctest::Contains("the data already have a column 'gdp'"),
                       data_error);
}

TEST_CASE("deep nesting: 20 000 parentheses are refused, 10^6 unary minus signs are read in a loop") {
  // Recursion per '(' is bounded at 100 levels, so no expression can overflow the stack.
  const std::string deep = std::string(20000, '(') + "tax" + std::string(20000, ')');
  CHECK_THROWS_WITH_AS((void)expression::parse(deep, "d"),
                       doctest::Contains("position 101: parentheses nested deeper than 100 levels"), schema_error);
  // The message shows the start of a long expression only (60 bytes and its length).
  CHECK_THROWS_WITH_AS((void)expression::parse(deep, "d"),
                       doctest::Contains(("d: expression '" + std::string(60, '(') + "… (40003 bytes)'").c_str()), schema_error);
  const std::string hundred = std::string(100, '(') + "tax" + std::string(100, ')');
  CHECK(expression::parse(hundred, "d").columns() == std::vector<std::string>{"tax"});
  // -(-x) = x exactly: an even run of signs is x, an odd run is -x. zones(): z1 has tax 120.
  const derived_data even = derive(zones(), {{"y", std::string(1000000, '-') + "tax", ""}});
  const derived_data odd = derive(zones(), {{"y", std::string(999999, '-') + "tax", ""}});
  const std::size_t y = even.data.indicator_index("y"), tax = even.data.indicator_index("tax");
  CHECK(even.data.value(0, y) == even.data.value(0, tax));
  CHECK(odd.data.value(0, odd.data.indicator_index("y")) == -even.data.value(0, tax));
}
