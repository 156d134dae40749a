#pragma once
// The .xlsx workbook of `parkscore report --xlsx` (libxlsxwriter; optional at build time).

#include <fmt/format.h>

#include <optional>
#include <parkscore/parkscore.hpp>
#include <string>
#include <vector>

namespace parkscore::cli {

struct workbook_input {
  const result* r = nullptr;
  const dataset* data = nullptr;           // the evaluated data (raw values)
  std::string grouping;                    // the pooling of the prepared, normalised and contribution sheets
  std::vector<rank_change> changes;        // optional
  const audit_report* audit = nullptr;     // optional
};

/// True if the CLI was built with libxlsxwriter.
bool workbook_available();
/// Writes the workbook; throws error if unavailable or the file cannot be written.
void write_workbook(const workbook_input& in, const std::string& file);

}  // namespace parkscore::cli
