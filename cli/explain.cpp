// parkscore explain UNIT FRAMEWORK DATA: one unit's scores, ranks and standing,
// where its points come from, what moved since last year, what would lift it.
#include <nlohmann/json.hpp>

#include "common.hpp"

namespace parkscore::cli {

namespace {

struct explain_options {
  std::string unit;
  std::string framework;
  std::string data;
  std::string pool;
  std::size_t count = 3;
  report_format format = report_format::table;
  std::string output;
  data_options input;
  std::string previous;               // last year's data file
  std::string gap;                    // next, top10, rank:N, bottom:N
  std::vector<std::string> what_if;   // [UNIT:]INDICATOR=VALUE
  language lang = language::en;
};

// "[UNIT:]INDICATOR=VALUE"; the unit defaults to the one explained.
value_change parse_what_if(const std::string& text, const std::string& unit) {
  const auto eq = text.rfind('=');
  if (eq == std::string::npos || eq + 1 == text.size())
    throw data_error(fmt::format("--what-if '{}': expected [UNIT:]INDICATOR=VALUE", text));
  std::string target = text.substr(0, eq);
  value_change c{unit, target, 0};
  if (const auto colon = target.find(':'); colon != std::string::npos) {
    c.unit = target.substr(0, colon);
    c.indicator = target.substr(colon + 1);
  }
  try {
    std::size_t used = 0;
    c.value = std::stod(text.substr(eq + 1), &used);
    if (used != text.size() - eq - 1) throw std::invalid_argument("trailing");
  } catch (const std::exception&) {
    throw data_error(fmt::format("--what-if '{}': '{}' is not a number", text, text.substr(eq + 1)));
  }
  return c;
}

int run_explain(const explain_options& o) {
  const framework model = load_framework_or_preset(o.framework);
  const std::string grouping = o.pool.empty() ? (model.pools.empty() ? "" : model.pools.front()) : grouping_of(o.pool);
  const dataset data = read_data(o.data, model, {grouping}, o.input);
  const result r = score(model, data, {grouping});
  std::size_t u = 0;
  try {
    u = find_unit(r, o.unit);
  } catch (const data_error& e) {
    throw data_error(fmt::format("{}: {}", o.data, e.what()));
  }
  const std::string id = r.unit_ids[u];
  const explanation account = explain(r, data, id, {grouping, nullptr});

  std::optional<change_account> change;
  std::optional<rank_change> moved;
  if (!o.previous.empty()) {
    const dataset before = read_data(o.previous, model, {grouping}, o.input);
    const result r0 = score(model, before, {grouping});
    change = explain_change(r0, before, r, data, id, grouping);
    for (const rank_change& c : rank_changes(make_rank_table(r0, {grouping, "", 0, {}}), make_rank_table(r, {grouping, "", 0, {}})))
      if (c.unit == id) moved = c;
  }
  std::optional<gap_analysis> gap;
  if (!o.gap.empty()) {
    gap_options g;
    g.grouping = grouping;
    g.evaluation.allow_extra_columns = true;
    g.target = parse_gap_target(o.gap);
    gap = gap_to_target(model, data, id, g);
  }
  std::optional<what_if_result> scenario;
  if (!o.what_if.empty()) {
    std::vector<value_change> changes;
    for (const std::string& w : o.what_if) changes.push_back(parse_what_if(w, id));
    evaluation_options e;
    e.allow_extra_columns = true;
    scenario = what_if(model, data, changes, e, grouping);
  }

  if (o.format == report_format::json) {
    nlohmann::ordered_json j = nlohmann::ordered_json::parse(format_explanation(explain_unit(r, id, grouping, o.count), o.format));
    j["summary"] = describe(account, o.lang, moved ? &*moved : nullptr);
    j["account"] = nlohmann::ordered_json::parse(format_account(account, o.format, o.lang));
    if (change) j["change"] = nlohmann::ordered_json::parse(format_change_account(*change, o.format, o.lang));
    if (gap) j["gap"] = nlohmann::ordered_json::parse(format_gap(*gap, o.format));
    if (scenario) j["what_if"] = nlohmann::ordered_json::parse(format_what_if(*scenario, o.format));
    write_output(j.dump(2) + "\n", o.output);
    return exit_code::ok;
  }
  const std::string gap_line = o.format == report_format::csv ? "\r\n" : "\n";
  std::string out;
  if (o.format != report_format::csv) out += describe(account, o.lang, moved ? &*moved : nullptr) + "\n\n";
  out += format_explanation(explain_unit(r, id, grouping, o.count), o.format) + gap_line;
  out += format_account(account, o.format, o.lang);
  if (change) out += gap_line + format_change_account(*change, o.format, o.lang);
  if (gap) out += gap_line + format_gap(*gap, o.format);
  if (scenario) out += gap_line + format_what_if(*scenario, o.format);
  write_output(out, o.output);
  return exit_code::ok;
}

}  // namespace

void add_explain(CLI::App& app, action& run) {
  auto o = std::make_shared<explain_options>();
  CLI::App* cmd = app.add_subcommand(
      "explain", "One unit in detail: scores and ranks, where its points come from, what changed, what would lift it");
  cmd->add_option("unit", o->unit, "Unit id or name")->required();
  cmd->add_option("framework", o->framework, "Framework file (JSON) or preset name")->required();
  cmd->add_option("data", o->data, "Data file (CSV)")->required();
  cmd->add_option("-p,--pool", o->pool, "Pooling: a grouping column, or 'all' (default: the framework's first pool)");
  cmd->add_option("-n,--count", o->count, "How many strongest and weakest indicators to list")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--previous", o->previous, "Last year's data file: what moved the total, and the rank change");
  cmd->add_option("--gap", o->gap, "Gap to a target: next, top10, rank:N or bottom:N (out of the last N)");
  cmd->add_option("--what-if", o->what_if, "Change a raw value and re-rank: [UNIT:]INDICATOR=VALUE (repeatable)");
  cmd->add_option("--lang", o->lang, "Wording: en or zh")
      ->transform(CLI::CheckedTransformer(std::map<std::string, language>{{"en", language::en}, {"zh", language::zh}}))
      ->default_str("en");
  add_format_option(*cmd, o->format);
  add_output_option(*cmd, o->output);
  add_data_options(*cmd, o->input);
  cmd->footer(
      "Strength = the indicator's normalised value minus the median of its pool (higher is better).\n"
      "Points = the indicator's contribution to the index; they add up to the index score (docs/explain.md).\n"
      "Example:\n"
      "  parkscore explain D04 docs/examples/demo-framework.json examples/data/demo.csv --pool level\n"
      "  parkscore explain D04 demo examples/data/demo.csv --pool level --gap next --lang zh");
  cmd->callback([o, &run] { run = [o] { return run_explain(*o); }; });
}

}  // namespace parkscore::cli
