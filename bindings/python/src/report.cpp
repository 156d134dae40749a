// Explain, gap, what-if and the report document (docs/explain.md, docs/reports.md).
// Explanations cross as the JSON the CLI writes (parsed to dicts by the package).
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "parkscore/analysis/audit.hpp"
#include "parkscore/report/document.hpp"
#include "parkscore/report/explain.hpp"
#include "parkscore/report/what_if.hpp"

namespace parkscore::python {

using namespace pybind11::literals;

namespace {

language language_of(const std::string& lang) {
  if (lang == "zh") return language::zh;
  if (lang == "en") return language::en;
  throw data_error("lang must be 'zh' or 'en', got '" + lang + "'");
}

document_options document_of(const result& r, const dataset& data, const std::string& grouping, const std::string& lang,
                             const std::vector<std::string>& zones, bool audit,
                             const std::vector<std::tuple<std::string, double, double, double, double>>& intervals,
                             const std::vector<std::pair<std::string, std::string>>& figures) {
  document_options o;
  o.grouping = grouping;
  o.lang = language_of(lang);
  o.data = &data;
  o.zones = zones;
  if (audit) {
    audit_options a;
    a.grouping = grouping;
    a.evaluation.allow_extra_columns = true;
    a.evaluation.excluded = r.excluded;
    for (const auto& [unit, reason] : r.excluded)
      if (reason.rfind("veto:", 0) == 0) a.evaluation.excluded.erase(unit);   // vetoes come from the data again
    o.audit = audit_index(r.model, data, a);
  }
  for (const auto& [unit, nominal, median, lo, hi] : intervals) o.intervals.push_back({unit, nominal, median, lo, hi});
  for (const auto& [title, svg] : figures) o.figures.push_back({title, svg});
  return o;
}

}  // namespace

void bind_report(py::module_& m) {
  m.def(
      "explain",
      [](const result& r, const dataset& data, const std::string& unit, const std::string& grouping,
         const std::string& lang) {
        const explanation e = explain(r, data, unit, {grouping, nullptr});
        return py::make_tuple(format_account(e, report_format::json, language_of(lang)),
                              describe(e, language_of(lang)));
      },
      "result"_a, "data"_a, "unit"_a, "grouping"_a = "", "lang"_a = "en",
      "(account JSON, summary sentence) of one unit (docs/explain.md).");
  m.def(
      "gap",
      [](const framework& model, const dataset& data, const std::string& unit, const std::string& grouping,
         const std::string& target) {
        gap_options o;
        o.grouping = grouping;
        o.evaluation.allow_extra_columns = true;
        o.target = parse_gap_target(target);
        gap_analysis g;
        {
          py::gil_scoped_release release;
          g = gap_to_target(model, data, unit, o);
        }
        return format_gap(g, report_format::json);
      },
      "framework"_a, "data"_a, "unit"_a, "grouping"_a = "", "target"_a = "next",
      "Gap to a target (next, top10, rank:N, bottom:N) as JSON.");
  m.def(
      "what_if",
      [](const framework& model, const dataset& data, const std::vector<std::tuple<std::string, std::string, double>>& changes,
         const std::string& grouping) {
        std::vector<value_change> c;
        for (const auto& [unit, column, value] : changes) c.push_back({unit, column, value});
        evaluation_options o;
        o.allow_extra_columns = true;
        return format_what_if(what_if(model, data, c, o, grouping), report_format::json);
      },
      "framework"_a, "data"_a, "changes"_a, "grouping"_a = "", "Re-ranks with changed raw values; JSON of who moved.");
  m.def(
      "report_document",
      [](const result& r, const dataset& data, const std::string& grouping, const std::string& lang,
         const std::vector<std::string>& zones, bool audit,
         const std::vector<std::tuple<std::string, double, double, double, double>>& intervals,
         const std::vector<std::pair<std::string, std::string>>& figures, const std::string& format) {
        const document_options o = document_of(r, data, grouping, lang, zones, audit, intervals, figures);
        if (format == "html") return html_document(r, o);
        if (format == "markdown") return markdown_document(r, o);
        throw data_error("format must be 'html' or 'markdown', got '" + format + "'");
      },
      "result"_a, "data"_a, "grouping"_a = "", "lang"_a = "zh", "zones"_a = std::vector<std::string>{},
      "audit"_a = false, "intervals"_a = std::vector<std::tuple<std::string, double, double, double, double>>{},
      "figures"_a = std::vector<std::pair<std::string, std::string>>{}, "format"_a = "html",
      "The report document (docs/reports.md) as HTML or Markdown text.");
}

}  // namespace parkscore::python
