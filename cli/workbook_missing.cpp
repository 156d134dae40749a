// Stand-in when the CLI is built without libxlsxwriter: the option says why it cannot work.
#include "workbook.hpp"

namespace parkscore::cli {

bool workbook_available() { return false; }

void write_workbook(const workbook_input&, const std::string& file) {
  throw error(fmt::format("{}: this parkscore was built without libxlsxwriter (Debian: libxlsxwriter-dev; "
                          "pkg-config name xlsxwriter), so it cannot write .xlsx files", file));
}

}  // namespace parkscore::cli
