#pragma once
// The .xlsx workbook of a result, one sheet per step: raw, prepared (imputed and
// treated cells marked), normalised, contributions, scores and ranks per level and
// pool, changes, audit. Chinese headers (the framework's names), numeric cells with
// two-decimal display, frozen header rows. Written by libxlsxwriter, which is optional
// at build time (Debian libxlsxwriter-dev): without it workbook_available() is false
// and write_workbook says so. The CLI (`score --excel`, `report --xlsx`) and Python
// (`Result.to_excel`) call this one writer. docs/reports.md lists the sheets.

#include <string>
#include <vector>

#include "parkscore/analysis/audit.hpp"
#include "parkscore/engine/result.hpp"
#include "parkscore/history/history.hpp"
#include "parkscore/model/dataset.hpp"

namespace parkscore {

struct workbook_options {
  std::string grouping;                 // the pooling of the prepared, normalised and contribution sheets
  std::vector<rank_change> changes;     // the 排名变化 sheet (empty: the sheet has its header only)
  const audit_report* audit = nullptr;  // the 统计检验 sheet (nullptr: no audit sheet)
};

/// True if parkscore was built with libxlsxwriter.
bool workbook_available();

/// Writes the workbook of `r` to `file`; `data` is the dataset `r` was evaluated from
/// (raw values). Throws error if unavailable or the file cannot be written, naming the file.
void write_workbook(const result& r, const dataset& data, const std::string& file,
                    const workbook_options& options = {});

}  // namespace parkscore
