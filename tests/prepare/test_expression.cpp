// The functions, comparisons and logic of derived expressions: values, domain
// problems (missing value + warning), errors, nesting bounds, a published example.
#include <doctest/doctest.h>

#include <cmath>

#include "prepare/derive_fixtures.hpp"
#include "parkscore/error.hpp"
#include "parkscore/prepare/derive.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using namespace parkscore::test;

namespace {
Eigen::VectorXd eval(const std::string& text) {
  const derived_data d = derive(zones(), {{"y", text, ""}});
  return d.data.values().col(static_cast<Eigen::Index>(d.data.indicator_index("y")));
}
// The warning messages of `text` by unit ("" where the unit got a value).
std::vector<std::string> messages(const std::string& text) {
  const derived_data d = derive(zones(), {{"y", text, ""}});
  std::vector<std::string> out(3);
  for (const derive_warning& w : d.warnings) out[*d.data.find_unit(w.unit)] = w.message;
  return out;
}
std::string parse_error(const std::string& text) {
  try {
    (void)expression::parse(text, "d");
  } catch (const schema_error& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("expression functions: hand-computed values") {
  check_vector(eval("ln(gdp / 100)"), {1.0986122886681098, 0.6931471805599453, 0});   // ln 3, ln 2, ln 1
  check_vector(eval("log10(gdp * 10)"), {3.4771212547196626, 3.3010299956639813, 3});  // log10 3000, 2000, 1000
  check_vector(eval("exp(ln(tax))"), {120, 50, 90}, 1e-12);
  check_vector(eval("sqrt(gdp + 100)"), {20, 17.320508075688775, 14.142135623730951});  // √400, √300, √200
  check_vector(eval("abs(tax - gdp)"), {180, 150, 10});                                  // |120-300|, |50-200|, |90-100|
  check_vector(eval("pow(gdp / 100, 2)"), {9, 4, 1});
  check_vector(eval("pow(tax - 90, -1)"), {1.0 / 30, -1.0 / 40, NaN});  // a negative base to an integer power is fine
  check_vector(eval("min(tax, gdp, 100)"), {100, 50, 90});   // min(120,300,100), min(50,200,100), min(90,100,100)
  check_vector(eval("max(tax, gdp / 2)"), {150, 100, 90});   // max(120,150), max(50,100), max(90,50)
  check_vector(eval("max(1, min(2, 3), if(gdp > 250, 10, 0))"), {10, 2, 2});
  check_vector(eval("-abs(-tax) + pow(2, 3)"), {-112, -42, -82});   // -120 + 8, -50 + 8, -90 + 8
}

TEST_CASE("comparisons and logic give 1 or 0 and bind looser than arithmetic") {
  // tax = 120, 50, 90: z1 0+0+4+8+0+32 = 44, z2 1+2+0+0+0+32 = 35, z3 0+2+0+8+16+0 = 26
  check_vector(eval("(tax < 90) + 2*(tax <= 90) + 4*(tax > 90) + 8*(tax >= 90) + 16*(tax == 90) + 32*(tax != 90)"),
               {44, 35, 26});
  check_vector(eval("tax + 10 > gdp / 2"), {0, 0, 1});   // 130 > 150, 60 > 100, 100 > 50
  check_vector(eval("tax > 60 and gdp > 150"), {1, 0, 0});
  check_vector(eval("tax > 60 or gdp > 150"), {1, 1, 1});
  // 'and' binds tighter than 'or': z2 is 1 or (0 and 0) = 1; read left to right it would be (1 or 0) and 0 = 0.
  check_vector(eval("tax < 60 or tax > 100 and gdp > 250"), {1, 1, 0});
  check_vector(eval("not tax > 100"), {0, 1, 1});        // not applies to the whole comparison
  check_vector(eval("not not tax"), {1, 1, 1});          // any non-zero value is true
  check_vector(eval("not not not (tax - 50)"), {0, 1, 0});
  check_vector(eval("if(tax >= 90 and gdp != 100, tax, -1)"), {120, -1, -1});
  // Keywords are whole words: columns may begin with them.
  Eigen::MatrixXd x(1, 2);
  x << 3, 4;
  const derived_data d = derive(dataset({"u"}, {"order", "notes"}, x), {{"y", "order*notes or not notes", ""}});
  CHECK(d.data.value(0, 2) == 1);
}

TEST_CASE("domain problems give a missing value and a warning naming unit, indicator and function") {
  // ln(tax - 90): z1 ln 30; z2 ln(-40); z3 ln 0.
  check_vector(eval("ln(tax - 90)"), {3.4011973816621555, NaN, NaN});
  CHECK(messages("ln(tax - 90)") ==
        std::vector<std::string>{"", "'y' = ln(tax - 90) is missing: ln of a negative number (the 'ln' at position 1)",
                                 "'y' = ln(tax - 90) is missing: ln of zero (the 'ln' at position 1)"});
  CHECK(messages("1 + log10(tax - 90)")[2] ==
        "'y' = 1 + log10(tax - 90) is missing: log10 of zero (the 'log10' at position 5)");
  check_vector(eval("sqrt(tax - 100)"), {4.47213595499958, NaN, NaN});   // √20
  CHECK(messages("sqrt(tax - 100)")[1] == "'y' = sqrt(tax - 100) is missing: sqrt of a negative number (the 'sqrt' at "
                                          "position 1)");
  // exp(900) > DBL_MAX ≈ exp(709.78); exp(600) and exp(300) are finite.
  check_vector(eval("exp(gdp * 3)"), {NaN, 3.7730203009299397e+260, 1.9424263952412558e+130});
  CHECK(messages("exp(gdp * 3)")[0] == "'y' = exp(gdp * 3) is missing: exp overflows (the 'exp' at position 1)");
  // 300^150 ≈ 10^371 and 200^150 ≈ 10^345 overflow; 100^150 = 10^300 does not.
  check_vector(eval("pow(gdp, 150)"), {NaN, NaN, 1e300});
  CHECK(messages("pow(gdp, 150)")[1] == "'y' = pow(gdp, 150) is missing: pow overflows (the 'pow' at position 1)");
  CHECK(messages("pow(tax - 90, -1)")[2] ==
        "'y' = pow(tax - 90, -1) is missing: pow of zero to a negative power (the 'pow' at position 1)");
  CHECK(messages("pow(tax - 100, 0.5)")[1] == "'y' = pow(tax - 100, 0.5) is missing: pow of a negative number to a "
                                              "non-integer power (the 'pow' at position 1)");
  // An arithmetic overflow is caught where it happens: 1 / (3e307 * 10) would otherwise be a silent 0.
  // 300e305 * 10 and 200e305 * 10 exceed DBL_MAX ≈ 1.8e308; 100e305 * 10 = 1e308 does not.
  check_vector(eval("1 / (gdp * 1e305 * 10)"), {NaN, NaN, 1e-308});
  CHECK(messages("1 / (gdp * 1e305 * 10)")[0] ==
        "'y' = 1 / (gdp * 1e305 * 10) is missing: an overflow (the '*' at position 18)");
  // Division by zero, as before.
  CHECK(messages("tax / land_area")[1] == "'y' = tax / land_area is missing: division by zero (the '/' at position 5)");
}

TEST_CASE("if() takes the branch its condition chooses; missing values name the real cause") {
  // z2's division by zero is in the branch not taken: no warning; z3's condition is missing.
  check_vector(eval("if(land_area > 0, tax / land_area, 0)"), {3, 0, NaN});
  CHECK(messages("if(land_area > 0, tax / land_area, 0)") ==
        std::vector<std::string>{"", "", "'y' = if(land_area > 0, tax / land_area, 0) is missing: 'land_area' is missing"});
  // The taken branch's cause is named, not the first problem met in the program.
  CHECK(messages("if(tax > 100, ln(tax - 200), gdp / land_area)") ==
        std::vector<std::string>{
            "'y' = if(tax > 100, ln(tax - 200), gdp / land_area) is missing: ln of a negative number (the 'ln' at "
            "position 15)",
            "'y' = if(tax > 100, ln(tax - 200), gdp / land_area) is missing: division by zero (the '/' at position 34)",
            "'y' = if(tax > 100, ln(tax - 200), gdp / land_area) is missing: 'land_area' is missing"});
  // min, max and comparisons of a missing value are missing, not the other operand.
  check_vector(eval("min(tax, land_area)"), {40, 0, NaN});
  check_vector(eval("land_area > 10 or tax > 0"), {1, 1, NaN});
}

TEST_CASE("expression errors: unknown function, arity, comparisons, keywords") {
  CHECK(parse_error("log(tax)") == "d: expression 'log(tax)', position 1: unknown function 'log' (the functions are "
                                   "lag, ln, log10, exp, sqrt, abs, pow, min, max, if)");
  CHECK(parse_error("tax + ln(tax, 2)") == "d: expression 'tax + ln(tax, 2)', position 7: ln() takes 1 argument, not 2");
  CHECK(parse_error("pow(tax)") == "d: expression 'pow(tax)', position 1: pow() takes 2 arguments, not 1");
  CHECK(parse_error("max(tax)") == "d: expression 'max(tax)', position 1: max() takes 2 or more arguments, not 1");
  CHECK(parse_error("min()") == "d: expression 'min()', position 1: min() takes 2 or more arguments, not 0");
  CHECK(parse_error("if(tax > 1, 2)") == "d: expression 'if(tax > 1, 2)', position 1: if() takes 3 arguments, not 2");
  CHECK(parse_error("ln(tax") == "d: expression 'ln(tax', position 7: expected ',' or ')' in the arguments of ln()");
  CHECK(parse_error("1 < tax < 3") ==
        "d: expression '1 < tax < 3', position 9: comparisons do not chain: write 'a < b and b < c' for a < b < c");
  CHECK(parse_error("tax = 3") == "d: expression 'tax = 3', position 5: '=' is not an operator: compare with '=='");
  CHECK(parse_error("!tax") == "d: expression '!tax', position 1: unexpected '!': negate a condition with 'not'");
  CHECK(parse_error("tax and") ==
        "d: expression 'tax and', position 8: unexpected end: expected a number, a column id, a function call or '('");
  CHECK(parse_error("and tax") == "d: expression 'and tax', position 1: 'and' needs an operand before it");
  CHECK(parse_error("1 + not tax") == "d: expression '1 + not tax', position 5: 'not' applies to a whole comparison: "
                                      "write it first or in parentheses, (not x)");
  CHECK(parse_error("tax, 2") == "d: expression 'tax, 2', position 4: a ',' outside a function's parentheses");
  // Through derive(): the indicator and its place in /derived.
  CHECK_THROWS_WITH_AS(derive(zones(), {{"t", "tax", ""}, {"y", "sqrt(tax, 2)", ""}}),
                       "derived indicator 'y' (/derived/1): expression 'sqrt(tax, 2)', position 1: sqrt() takes 1 "
                       "argument, not 2",
                       schema_error);
  // A function's name alone is a column id.
  Eigen::MatrixXd x(1, 1);
  x << 7;
  CHECK(derive(dataset({"u"}, {"ln"}, x), {{"y", "ln + 1", ""}}).data.value(0, 1) == 8);
}

TEST_CASE("function calls count toward the nesting bound; long argument lists and runs of 'not' do not recurse") {
  const std::string deep = [] {
    std::string s;
    for (int i = 0; i < 20000; ++i) s += "abs(";
    return s + "tax" + std::string(20000, ')');
  }();
  CHECK_THROWS_WITH_AS((void)expression::parse(deep, "d"),
                       doctest::Contains("position 404: parentheses nested deeper than 100 levels"), schema_error);
  std::string hundred;
  for (int i = 0; i < 50; ++i) hundred += "abs((";
  hundred += "-tax" + std::string(100, ')');
  check_vector(eval(hundred), {120, 50, 90});
  // max of 100 001 arguments: tax, then 100 000 ones.
  std::string wide = "max(tax";
  for (int i = 0; i < 100000; ++i) wide += ", 1";
  check_vector(eval(wide + ")"), {120, 50, 90});
  std::string nots;
  for (int i = 0; i < 100000; ++i) nots += "not ";
  check_vector(eval(nots + "tax"), {1, 1, 1});   // an even run: not not tax
  check_vector(eval("not " + nots + "tax"), {0, 0, 0});
}

TEST_CASE("published: the UNDP HDI income index and HDI as derived expressions") {
  // UNDP, Human Development Report 2020, Technical notes, worked example: GNI per capita 3,829
  // (2017 PPP $) gives the income index (ln 3,829 − ln 100) / (ln 75,000 − ln 100) = 0.5506, and
  // HDI = (0.6971 · 0.3447 · 0.5506)^(1/3) = 0.510 with the health and education indices 0.6971, 0.3447.
  // GNI above the 75,000 goalpost is capped (min); a second unit at the cap, a third at the 100 floor.
  Eigen::MatrixXd x(3, 3);
  x << 3829, 0.6971, 0.3447,  //
      90000, 1, 1,            //
      100, 0.5, 0.5;
  const dataset d({"example", "capped", "floor"}, {"gni", "health", "education"}, x);
  const derived_data r = derive(d, {{"income", "(ln(min(gni, 75000)) - ln(100)) / (ln(75000) - ln(100))", ""},
                                    {"hdi", "pow(health * education * income, 1/3)", ""}});
  const auto income = r.data.values().col(3), hdi = r.data.values().col(4);
  CHECK(std::abs(income[0] - 0.5506) < 5e-5);   // published to 4 decimals
  CHECK(std::abs(hdi[0] - 0.510) < 5e-4);       // published to 3 decimals
  CHECK(income[0] == approx(0.5506266549882581, 1e-12));   // (8.250358 - 4.605170) / (11.225243 - 4.605170)
  CHECK(income[1] == 1);
  CHECK(hdi[1] == approx(1, 1e-15));
  CHECK(income[2] == 0);
  CHECK(hdi[2] == 0);   // pow(0, 1/3) = 0: a zero at the floor stays a value
  CHECK(r.warnings.empty());
}
