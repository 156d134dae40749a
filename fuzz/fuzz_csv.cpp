// CSV text -> parse_csv -> read_wide. Any parkscore::error is a clean refusal;
// anything else (a crash, a sanitizer report, another exception) is a finding.
#include <cstdint>
#include <string_view>

#include "parkscore/error.hpp"
#include "parkscore/io/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const parkscore::csv_table table = parkscore::parse_csv(text, "fuzz.csv");
    (void)parkscore::read_wide(table);
  } catch (const parkscore::error&) {
  }
  return 0;
}
