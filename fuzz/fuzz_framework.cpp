// Framework JSON -> parse_framework; a framework that reads must also survive
// the round trip to_json -> parse_framework unchanged (else abort: a finding).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "parkscore/error.hpp"
#include "parkscore/model/framework_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  parkscore::framework fw;
  try {
    fw = parkscore::parse_framework(text, "fuzz.json");
  } catch (const parkscore::error&) {
    return 0;
  }
  const parkscore::framework again = parkscore::parse_framework(parkscore::to_json(fw), "round-trip.json");
  if (!(again == fw)) std::abort();
  return 0;
}
