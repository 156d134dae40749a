// A whole evaluation: the input is a framework JSON, a line "----", then CSV
// data (wide layout). Refusals are parkscore::error; a score that is ±inf is a
// finding (docs/reliability.md: no score is inf, and none is NaN for present data
// unless the coverage rule drops it).
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "parkscore/engine/evaluate.hpp"
#include "parkscore/error.hpp"
#include "parkscore/io/csv.hpp"
#include "parkscore/model/framework_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto cut = input.find("\n----\n");
  if (cut == std::string_view::npos) return 0;
  try {
    const parkscore::framework fw = parkscore::parse_framework(input.substr(0, cut), "fuzz.json");
    parkscore::wide_layout layout;
    for (const std::string& p : fw.pools)
      if (!p.empty()) layout.group_columns.push_back(p);
    const parkscore::dataset d = parkscore::read_wide(parkscore::parse_csv(input.substr(cut + 6), "fuzz.csv"), layout);
    const parkscore::result r = parkscore::evaluate(fw, d);
    for (const parkscore::pool_result& p : r.pools)
      if (p.scores.array().isInf().any()) std::abort();
  } catch (const parkscore::error&) {
  }
  return 0;
}
