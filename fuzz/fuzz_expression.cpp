// A derived-indicator expression -> expression::parse -> derive() on a small
// dataset with columns a, b and a previous year. Refusals are parkscore::error.
#include <Eigen/Core>
#include <cstdint>
#include <limits>
#include <string>

#include "parkscore/error.hpp"
#include "parkscore/prepare/derive.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  static const parkscore::dataset current = [] {
    Eigen::MatrixXd v(3, 2);
    v << 1.0, 2.0, 0.0, -3.5, 1e300, std::numeric_limits<double>::quiet_NaN();
    return parkscore::dataset({"u1", "u2", "u3"}, {"a", "b"}, v);
  }();
  static const parkscore::dataset previous = [] {
    Eigen::MatrixXd v(2, 2);
    v << 0.5, 4.0, 2.0, 0.0;
    return parkscore::dataset({"u1", "u2"}, {"a", "b"}, v);
  }();
  try {
    const parkscore::expression e = parkscore::expression::parse(text, "fuzz");
    (void)e.columns();
    (void)parkscore::derive(current, {{"d", text, ""}}, &previous);
  } catch (const parkscore::error&) {
  }
  return 0;
}
