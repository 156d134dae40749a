// The string comparison a reused result trusts to keep its ids, names and labels
// (src/engine/same_text.hpp): it reads words at the two ends of short strings, so every
// length and every byte position is tried, and a reused result must take new ids that differ
// from the old in one middle byte.

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <string>
#include <vector>

#include "engine/same_text.hpp"
#include "fixtures.hpp"
#include "parkscore/engine/plan.hpp"

using namespace parkscore;

TEST_CASE("same_text tells strings apart by any one byte, at every length") {
  for (std::size_t n = 0; n <= 40; ++n) {
    CAPTURE(n);
    const std::string a(n, 'a');
    CHECK(detail::same_text(a, std::string(a)));
    CHECK_FALSE(detail::same_text(a, a + "a"));   // a prefix is not the same text
    CHECK_FALSE(detail::same_text(a + "a", a));
    for (std::size_t i = 0; i < n; ++i) {
      std::string b = a;
      b[i] = 'b';
      CAPTURE(i);
      CHECK_FALSE(detail::same_text(a, b));
      CHECK_FALSE(detail::same_text(b, a));
      b[i] = static_cast<char>(0xe5);   // a byte of UTF-8 text (浦, 园)
      CHECK_FALSE(detail::same_text(a, b));
    }
  }
  CHECK(detail::same_text("苏州工业园区", std::string("苏州工业园区")));
  CHECK_FALSE(detail::same_text("苏州工业园区", "苏州工业园乙"));
}

TEST_CASE("a reused result takes new unit ids and names that differ from the old in one byte") {
  const framework fw = test::two_category_framework();
  const evaluation_plan plan = compile(fw);
  const Eigen::MatrixXd values = Eigen::MatrixXd::Random(5000, 3).array() + 2.0;
  const std::vector<std::string> indicators = {"a1", "a2", "b1"};
  result reused;
  // Ids of 2, 9 and 20 bytes: the byte-, word- and memcmp-compared lengths.
  for (const char* pattern : {"{}", "zone{:05}", "economic-zone-{:06}"}) {
    std::vector<std::string> ids;
    for (int i = 0; i < values.rows(); ++i) ids.push_back(fmt::format(fmt::runtime(pattern), i % 100 + i / 100 * 1000));
    dataset first(ids, indicators, values);
    plan.evaluate_into(first, reused);
    std::vector<std::string> changed = ids;
    std::string& middle = changed[2500];
    middle[middle.size() / 2] = '#';   // still unique
    dataset second(changed, indicators, values);
    std::vector<std::string> names = changed;
    names[4000][0] = '~';
    second.set_unit_names(names);
    plan.evaluate_into(second, reused);
    CHECK(reused.unit_ids == changed);
    CHECK(reused.unit_names == names);
    CHECK(reused.unit_ids[2500] != ids[2500]);
  }
}
