// Explain, gap, what-if and the report document (docs/explain.md, docs/reports.md).
// Explanations cross as the JSON the CLI writes (parsed to dicts by the package).
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "parkscore/analysis/audit.hpp"
#include "parkscore/report/document.hpp"
#include "parkscore/report/explain.hpp"
#include "parkscore/report/what_if.hpp"
#include "parkscore/report/workbook.hpp"

namespace parkscore::python {

using namespace pybind11::literals;

namespace {

language language_of(const std::string& lang) {
  if (lang == "zh") return language::zh;
  if (lang == "en") return language::en;
  throw data_error("lang must be 'zh' or 'en', got '" + lang + "'");
}

struct audit_settings {
  std::string grouping;
  std::string label;
  double missing_share = 0.2;
  double low_variation = 0.05;
  double near_duplicate = 0.9;
  bool rank_reversal = true;
};

// Audits the data a result was evaluated from, with its exclusions (vetoes come from the data again).
audit_report audit_of(const result& r, const dataset& data, const audit_settings& s) {
  audit_options a;
  a.grouping = s.grouping;
  a.label = s.label;
  a.missing_share = s.missing_share;
  a.low_variation = s.low_variation;
  a.near_duplicate = s.near_duplicate;
  a.rank_reversal = s.rank_reversal;
  a.evaluation.allow_extra_columns = true;
  a.evaluation.excluded = r.excluded;
  for (const auto& [unit, reason] : r.excluded)
    if (reason.rfind("veto:", 0) == 0) a.evaluation.excluded.erase(unit);
  py::gil_scoped_release release;
  return audit_index(r.model, data, a);
}

// The audit as plain columns and numpy matrices (parkscore.audit makes DataFrames).
py::dict audit_dict(const audit_report& a) {
  py::dict indicators;
  auto column = [&](const char* name, auto field) {
    py::list values;
    for (const indicator_audit& i : a.indicators) values.append(field(i));
    indicators[name] = values;
  };
  column("id", [](const indicator_audit& i) { return i.id; });
  column("name", [](const indicator_audit& i) { return i.name; });
  column("parent", [](const indicator_audit& i) { return i.parent; });
  column("present", [](const indicator_audit& i) { return i.present; });
  column("units", [](const indicator_audit& i) { return i.units; });
  column("missing_share", [](const indicator_audit& i) { return i.missing_share; });
  column("mean", [](const indicator_audit& i) { return i.mean; });
  column("sd", [](const indicator_audit& i) { return i.sd; });
  column("cv", [](const indicator_audit& i) { return i.cv; });
  column("many_missing", [](const indicator_audit& i) { return i.many_missing; });
  column("low_variation", [](const indicator_audit& i) { return i.low_variation; });
  column("skew_before", [](const indicator_audit& i) { return i.skew_before; });
  column("kurtosis_before", [](const indicator_audit& i) { return i.kurtosis_before; });
  column("skew_after", [](const indicator_audit& i) { return i.skew_after; });
  column("kurtosis_after", [](const indicator_audit& i) { return i.kurtosis_after; });
  column("pearson_parent", [](const indicator_audit& i) { return i.pearson_parent; });
  column("spearman_parent", [](const indicator_audit& i) { return i.spearman_parent; });
  column("pearson_index", [](const indicator_audit& i) { return i.pearson_index; });
  column("spearman_index", [](const indicator_audit& i) { return i.spearman_index; });
  py::list flags, categories, coverage, reversal, invariance;
  for (const correlation_flag& f : a.flags) flags.append(py::dict("a"_a = f.a, "b"_a = f.b, "r"_a = f.r, "reason"_a = f.reason));
  for (const category_audit& c : a.categories)
    categories.append(py::dict("id"_a = c.id, "name"_a = c.name, "children"_a = c.children, "alpha"_a = c.alpha,
                               "rows_used"_a = c.pca.rows_used, "eigenvalues"_a = c.pca.eigenvalues,
                               "explained"_a = c.pca.explained, "loadings"_a = c.pca.loadings));
  for (const unit_coverage& u : a.coverage)
    coverage.append(py::dict("unit"_a = u.unit, "present"_a = u.present, "total"_a = u.total, "share"_a = u.share));
  for (const rank_reversal_check& c : a.rank_reversal)
    reversal.append(py::dict("perturbation"_a = to_string(c.kind), "description"_a = c.description, "pairs"_a = c.pairs,
                             "reversed"_a = c.reversed, "examples"_a = c.examples));
  for (const method_invariance& m : a.invariance)
    invariance.append(py::dict("node"_a = m.node, "method"_a = m.method, "invariant"_a = m.invariant, "reason"_a = m.reason));
  return py::dict("grouping"_a = a.grouping, "label"_a = a.label, "units"_a = a.units, "indicator_ids"_a = a.indicator_ids,
                  "pearson"_a = a.pearson, "spearman"_a = a.spearman, "indicators"_a = indicators, "flags"_a = flags,
                  "categories"_a = categories, "coverage"_a = coverage, "rank_reversal"_a = reversal,
                  "invariance"_a = invariance);
}

// Rank changes of `now` against the year before.
std::vector<rank_change> changes_since(const result& before, const result& now, const std::string& grouping) {
  rank_table_options a, b;
  a.grouping = b.grouping = grouping;
  b.data_year = 1;   // one year after `before`
  return rank_changes(make_rank_table(before, a), make_rank_table(now, b));
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
  if (audit) o.audit = audit_of(r, data, {grouping, "", 0.2, 0.05, 0.9, true});
  for (const auto& [unit, nominal, median, lo, hi] : intervals) o.intervals.push_back({unit, nominal, median, lo, hi});
  for (const auto& [title, svg] : figures) o.figures.push_back({title, svg});
  return o;
}

}  // namespace

void bind_report(py::module_& m) {
  m.def(
      "explain",
      [](const result& r, const dataset& data, const std::string& unit, const std::string& grouping,
         const std::string& lang, const result* previous, const dataset* previous_data) {
        const explanation e = explain(r, data, unit, {grouping, nullptr});
        std::string change_json;
        std::optional<rank_change> moved;
        if (previous) {
          if (!previous_data) throw data_error("explain: the previous result needs its data (previous_data)");
          change_json = format_change_account(explain_change(*previous, *previous_data, r, data, e.unit_id, grouping),
                                              report_format::json, language_of(lang));
          for (const rank_change& c : changes_since(*previous, r, grouping))
            if (c.unit == e.unit_id) moved = c;
        }
        return py::make_tuple(format_account(e, report_format::json, language_of(lang)),
                              describe(e, language_of(lang), moved ? &*moved : nullptr), change_json);
      },
      "result"_a, "data"_a, "unit"_a, "grouping"_a = "", "lang"_a = "en", "previous"_a = nullptr,
      "previous_data"_a = nullptr,
      "(account JSON, summary sentence, change JSON or '') of one unit (docs/explain.md); with `previous`, last "
      "year's result and data, what moved the total and the rank change in the sentence.");
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
         const std::vector<std::pair<std::string, std::string>>& figures, const std::string& format,
         const result* previous,
         const std::vector<std::tuple<std::string, std::string, std::string, std::vector<int>, std::string>>& watch,
         const std::string& interval_label) {
        document_options o = document_of(r, data, grouping, lang, zones, audit, intervals, figures);
        if (previous) o.changes = changes_since(*previous, r, grouping);
        for (const auto& [unit, name, pool, years, rule] : watch) {
          watch_entry w;
          w.unit = unit;
          w.name = name;
          w.pool = pool;
          w.hit_years = years;
          w.rule = rule;
          o.watch.push_back(std::move(w));
        }
        o.interval_label = interval_label;
        if (format == "html") return html_document(r, o);
        if (format == "markdown") return markdown_document(r, o);
        throw data_error("format must be 'html' or 'markdown', got '" + format + "'");
      },
      "result"_a, "data"_a, "grouping"_a = "", "lang"_a = "zh", "zones"_a = std::vector<std::string>{},
      "audit"_a = false, "intervals"_a = std::vector<std::tuple<std::string, double, double, double, double>>{},
      "figures"_a = std::vector<std::pair<std::string, std::string>>{}, "format"_a = "html", "previous"_a = nullptr,
      "watch"_a = std::vector<std::tuple<std::string, std::string, std::string, std::vector<int>, std::string>>{},
      "interval_label"_a = "",
      "The report document (docs/reports.md) as HTML or Markdown text; `previous`: last year's result (rank changes); "
      "`watch`: the delisting watch list (unit, name, pool, hit years, rule).");
  m.def(
      "audit",
      [](const result& r, const dataset& data, const std::string& grouping, const std::string& label,
         double missing_share, double low_variation, double near_duplicate, bool rank_reversal) {
        return audit_dict(audit_of(r, data, {grouping, label, missing_share, low_variation, near_duplicate, rank_reversal}));
      },
      "result"_a, "data"_a, "grouping"_a = "", "label"_a = "", "missing_share"_a = 0.2, "low_variation"_a = 0.05,
      "near_duplicate"_a = 0.9, "rank_reversal"_a = true,
      "The statistical audit (docs/audit.md) of the data a result was evaluated from, as plain columns and matrices.");
  m.def("workbook_available", &workbook_available, "True if parkscore was built with libxlsxwriter (.xlsx workbooks).");
  m.def(
      "write_workbook",
      [](const result& r, const dataset& data, const std::string& path, const std::string& grouping,
         const result* previous, bool audit) {
        workbook_options o;
        o.grouping = grouping;
        if (previous) o.changes = changes_since(*previous, r, grouping);
        std::optional<audit_report> checks;
        if (audit) checks = audit_of(r, data, {grouping, "", 0.2, 0.05, 0.9, true});
        o.audit = checks ? &*checks : nullptr;
        py::gil_scoped_release release;
        write_workbook(r, data, path, o);
      },
      "result"_a, "data"_a, "path"_a, "grouping"_a = "", "previous"_a = nullptr, "audit"_a = false,
      "Writes the .xlsx workbook (docs/reports.md): raw, prepared, normalised, contributions, scores and ranks, "
      "changes against `previous`, audit.");
}

}  // namespace parkscore::python
