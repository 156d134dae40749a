#pragma once
// A report an office can hand over as it is: one self-contained HTML file
// (inline CSS and SVG charts, no network, A4 print layout with page breaks) and
// the same content as Markdown. Ranking with changes, category tables, the
// vetoed and the watch list, rank intervals when given, the audit, and a page
// per zone on request. docs/reports.md describes the sections.

#include <optional>
#include <string>
#include <vector>

#include "parkscore/analysis/audit.hpp"
#include "parkscore/engine/result.hpp"
#include "parkscore/history/delisting.hpp"
#include "parkscore/history/history.hpp"
#include "parkscore/model/dataset.hpp"
#include "parkscore/report/explain.hpp"

namespace parkscore {

/// One unit's rank interval from an uncertainty analysis (kept as plain numbers so
/// that the report does not depend on how they were computed).
struct rank_interval {
  std::string unit;
  double nominal = 0;
  double median = 0;
  double lo = 0;   // e.g. the 5th percentile rank
  double hi = 0;   // e.g. the 95th
};

/// A figure made elsewhere (e.g. a matplotlib Figure saved as SVG).
struct document_figure {
  std::string title;
  std::string svg;   // an <svg> element; scripts and external references are refused
};

struct document_options {
  std::string title;                 // default: the framework's name
  std::string grouping;              // the pooling shown
  int levels = 1;                    // node depth in the ranking table
  language lang = language::zh;
  const dataset* data = nullptr;     // the evaluated data: raw values on zone pages (required for zone pages)
  std::vector<rank_change> changes;  // rank changes against the previous year (optional)
  std::vector<watch_entry> watch;    // delisting watch (optional)
  std::vector<std::string> zones;    // ids or names of units that get a page of their own
  std::optional<audit_report> audit;
  std::vector<rank_interval> intervals;
  std::string interval_label;        // e.g. "90% interval over 1000 replicates"
  std::vector<document_figure> figures;
};

/// The report as one HTML document (UTF-8, no external resources).
std::string html_document(const result& r, const document_options& options);
/// The same content as Markdown (charts are left out; tables and text are all there).
std::string markdown_document(const result& r, const document_options& options);

/// Reads rank intervals from CSV text with the columns unit, nominal, median, lo, hi, or
/// from the CSV of `parkscore uncertainty --output csv` (unit, nominal_rank, median_rank and
/// two rank_qNN columns; a Sobol table after a blank line is ignored), then `label`, if
/// given, receives the interval ("5%–95%"). data_error names the line and column of a bad cell.
std::vector<rank_interval> parse_rank_intervals(const std::string& csv_text, const std::string& source = "<string>",
                                                std::string* label = nullptr);

}  // namespace parkscore
