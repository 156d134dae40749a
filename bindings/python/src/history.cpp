// History and delisting (docs/history.md): rank tables of results, rank
// changes between two years and the delisting watch list over several years,
// as lists of dicts (parkscore.rank_changes / delisting_watch make DataFrames).
#include <pybind11/stl.h>

#include "bindings.hpp"
#include "parkscore/history/delisting.hpp"
#include "parkscore/history/history.hpp"

namespace parkscore::python {

using namespace pybind11::literals;

namespace {

rank_table table_of(const result& r, const std::string& grouping, const std::string& node, int data_year, int lag) {
  rank_table_options o;
  o.grouping = grouping;
  o.node = node;
  o.data_year = data_year;
  o.years.lag = lag;
  return make_rank_table(r, o);
}

py::list entry_list(const rank_table& t) {
  py::list out;
  for (const rank_entry& e : t.entries)
    out.append(py::dict("unit"_a = e.unit, "name"_a = e.name, "pool"_a = e.pool, "rank"_a = e.rank,
                        "score"_a = e.score, "veto_reason"_a = e.veto_reason));
  return out;
}

py::list change_list(const std::vector<rank_change>& changes) {
  py::list out;
  for (const rank_change& c : changes)
    out.append(py::dict("unit"_a = c.unit, "pool"_a = c.pool, "status"_a = to_string(c.status),
                        "previous"_a = c.previous, "current"_a = c.current, "change"_a = c.change,
                        "display"_a = format_change(c)));
  return out;
}

delisting_rule rule_of(py::handle rule) {
  if (py::isinstance<py::str>(rule)) return builtin_delisting_rule(rule.cast<std::string>());
  const std::string text = py::module_::import("json").attr("dumps")(rule).cast<std::string>();
  std::vector<delisting_rule> rules = parse_delisting_rules(text, "<rule>");
  if (rules.size() != 1) throw schema_error("<rule>: expected one delisting rule, got " + std::to_string(rules.size()));
  return rules.front();
}

}  // namespace

void bind_history(py::module_& m) {
  m.def(
      "rank_table",
      [](const result& r, const std::string& grouping, const std::string& node, int data_year, int lag) {
        return entry_list(table_of(r, grouping, node, data_year, lag));
      },
      "result"_a, "grouping"_a = "", "node"_a = "", "data_year"_a = 0, "lag"_a = 1,
      "The rank table of one pooling: unit, name, pool, rank (NaN = unranked), score, veto_reason.");
  m.def(
      "rank_changes",
      [](const result& previous, const result& current, const std::string& grouping, const std::string& node) {
        return change_list(rank_changes(table_of(previous, grouping, node, 0, 1),
                                        table_of(current, grouping, node, 1, 1)));
      },
      "previous"_a, "current"_a, "grouping"_a = "", "node"_a = "",
      "Rank changes of every unit of `current` against `previous` in the same pooling: unit, pool, status (moved, "
      "new_entrant, no_previous_rank, vetoed, unranked), previous, current, change (previous - current), display.");
  m.def(
      "delisting_watch",
      [](const std::map<int, const result*>& results_by_year, py::handle rule, std::optional<int> evaluation_year,
         int lag) {
        const delisting_rule r = rule_of(rule);
        history h;
        for (const auto& [data_year, res] : results_by_year) {
          rank_table_options o;
          o.grouping = r.grouping;
          o.data_year = data_year;
          o.years.lag = lag;
          h.add(make_rank_table(*res, o));
        }
        if (h.empty()) throw data_error("delisting_watch: no results given");
        const int year = evaluation_year.value_or(h.evaluation_years().back());
        py::list out;
        for (const watch_entry& w : delisting_watch(h, r, year))
          out.append(py::dict("unit"_a = w.unit, "name"_a = w.name, "pool"_a = w.pool, "hit_years"_a = w.hit_years,
                              "rule"_a = w.rule, "order_value"_a = w.order_value));
        return out;
      },
      "results_by_year"_a, "rule"_a = "jiangsu-2021", "evaluation_year"_a = py::none(), "lag"_a = 1,
      "The delisting watch list: results keyed by data year (evaluation year = data year + lag), a built-in rule "
      "name or a rule dict (docs/history.md); as of `evaluation_year` (default: the latest).");
  m.def("delisting_rule_names", &delisting_rule_names, "Names of the built-in delisting rules.");
  m.def(
      "delisting_rule",
      [](const std::string& name) {
        return py::module_::import("json").attr("loads")(to_json(builtin_delisting_rule(name)));
      },
      "name"_a, "A built-in delisting rule as a dict (the keys of the rule file format).");
}

}  // namespace parkscore::python
