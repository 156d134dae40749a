// Stand-in when parkscore is built without libxlsxwriter: writing says why it cannot work.
#include <fmt/format.h>

#include "parkscore/error.hpp"
#include "parkscore/report/workbook.hpp"

namespace parkscore {

bool workbook_available() { return false; }

void write_workbook(const result&, const dataset&, const std::string& file, const workbook_options&) {
  throw error(fmt::format("{}: this parkscore was built without libxlsxwriter (Debian: libxlsxwriter-dev; "
                          "pkg-config name xlsxwriter), so it cannot write .xlsx files", file));
}

}  // namespace parkscore
