#pragma once
// A ranking CSV that Chinese Excel opens as it is: UTF-8 with a byte-order mark
// (or GBK/GB18030), headers in the framework's names, values rounded for display,
// and the rank change as a signed number. docs/reports.md.

#include <string>
#include <vector>

#include "parkscore/engine/result.hpp"
#include "parkscore/history/history.hpp"

namespace parkscore {

struct excel_csv_options {
  std::string grouping;       // the pooling ("" = all units)
  int levels = 1;             // node depth shown (0 = the index only)
  int decimals = 2;           // scores are rounded to this many decimals
  std::string encoding;       // "" / "utf-8": UTF-8 with BOM; "gbk", "gb18030": converted (no BOM)
  bool chinese_headers = true;
};

/// The bytes of the file. `changes` (optional) adds a numeric 较上年 column
/// (previous - current rank; empty cell for a new, vetoed or unranked unit).
/// Throws error if the text cannot be converted to the encoding (naming the character's row).
std::string excel_csv(const result& r, const std::vector<rank_change>& changes = {},
                      const excel_csv_options& options = {});

}  // namespace parkscore
