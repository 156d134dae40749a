// parkscore analyse FRAMEWORK DATA: benefit-of-the-doubt scores or the
// Condorcet-Kemeny ranking of one node's indicators, next to the nominal rank.
#include <algorithm>
#include <cmath>

#include "common.hpp"

namespace parkscore::cli {

namespace {

enum class table_format { table, csv };

struct analyse_options {
  std::string framework;
  std::string data;
  std::string spec;
  std::string method;
  std::string node;
  std::optional<std::string> pool;
  bool drop_incomplete = false;
  int decimals = 4;
  table_format format = table_format::table;
  std::string output;
  data_options input;
};

using table = std::vector<std::vector<std::string>>;   // first row: header

std::string number(double x, int decimals) {
  return std::isnan(x) ? std::string() : fmt::format("{:.{}f}", x, decimals);
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

std::string render(const table& t, table_format format) {
  std::string out;
  if (format == table_format::csv) {
    for (const auto& row : t) {
      for (std::size_t c = 0; c < row.size(); ++c) out += (c ? "," : "") + csv_field(row[c]);
      out += "\n";
    }
    return out;
  }
  std::vector<std::size_t> width(t.front().size(), 0);
  for (const auto& row : t)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], display_width(row[c]));
  for (const auto& row : t) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c)
      line += (c ? "  " : "") + row[c] + std::string(width[c] - display_width(row[c]), ' ');
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

// Ranks within a pool by descending score (competition: equal scores share the best rank).
std::vector<std::size_t> competition_ranks(const Eigen::VectorXd& s, double tolerance) {
  std::vector<std::size_t> rank(static_cast<std::size_t>(s.size()), 1);
  for (Eigen::Index i = 0; i < s.size(); ++i)
    for (Eigen::Index k = 0; k < s.size(); ++k)
      if (s[k] > s[i] + tolerance) ++rank[static_cast<std::size_t>(i)];
  return rank;
}

table bod_table(const result& r, const mcda_result& a, const std::string& node, int decimals) {
  table t;
  std::vector<std::string> header{"pool", "unit", "name", "bod_score", "bod_rank", "nominal_rank"};
  const bool robust = !a.pools.empty() && a.pools.front().bod->variant == bod_variant::robust;
  if (robust) header.insert(header.begin() + 4, "full_bod_score");
  for (const std::string& id : a.indicators.ids) header.push_back("w_" + id);
  header.push_back("peers");
  t.push_back(header);
  for (const mcda_pool& p : a.pools) {
    const bod_result& b = *p.bod;
    const std::vector<std::size_t> rank = competition_ranks(b.scores, 1e-9);
    for (std::size_t i = 0; i < p.units.size(); ++i) {
      const std::string& id = r.unit_ids[p.units[i]];
      const auto row = static_cast<Eigen::Index>(i);
      std::vector<std::string> line{p.label.empty() ? "all" : p.label, id, r.unit_names[p.units[i]],
                                    number(b.scores[row], decimals), std::to_string(rank[i]),
                                    number(r.rank(id, node, a.grouping), 0)};
      if (robust) line.insert(line.begin() + 4, number(b.full_scores[row], decimals));
      for (Eigen::Index j = 0; j < b.weights.cols(); ++j) line.push_back(fmt::format("{:.6g}", b.weights(row, j)));
      std::string peers;
      for (std::size_t k : b.peers[i]) peers += (peers.empty() ? "" : " ") + r.unit_ids[p.units[k]];
      line.push_back(peers);
      t.push_back(line);
    }
  }
  return t;
}

table kemeny_table(const result& r, const mcda_result& a, const std::string& node, int decimals) {
  table t{{"pool", "unit", "name", "kemeny_rank", "nominal_rank", "wins", "kemeny_score", "upper_bound", "gap",
           "proven_optimal"}};
  for (const mcda_pool& p : a.pools) {
    const kemeny_result& k = *p.kemeny;
    for (std::size_t unit : k.order) {
      const std::string& id = r.unit_ids[p.units[unit]];
      const auto row = static_cast<Eigen::Index>(unit);
      // Pairwise majorities won (ties count half): the Copeland score, for reading cycles.
      double wins = 0.0;
      for (Eigen::Index c = 0; c < p.outranking.cols(); ++c)
        if (c != row) wins += p.outranking(row, c) > 0.5 ? 1.0 : (p.outranking(row, c) == 0.5 ? 0.5 : 0.0);
      t.push_back({p.label.empty() ? "all" : p.label, id, r.unit_names[p.units[unit]], number(k.rank[row], 0),
                   number(r.rank(id, node, a.grouping), 0), number(wins, 1), number(k.score, decimals),
                   number(k.upper_bound, decimals), number(k.gap, decimals), k.exact ? "yes" : "no"});
    }
  }
  return t;
}

int run_analyse(const analyse_options& o) {
  const framework model = load_framework_or_preset(o.framework);
  mcda_overrides over;
  if (!o.method.empty()) over.method = o.method == "bod" ? mcda_method::bod : mcda_method::kemeny;
  if (!o.node.empty()) over.node = o.node;
  if (o.pool) over.pool = grouping_of(*o.pool);
  if (o.drop_incomplete) over.missing = missing_rule::drop_units;
  if (o.spec.empty() && !over.method)
    throw schema_error("analyse: give --method (bod or kemeny) or --spec FILE");
  const mcda_spec spec =
      o.spec.empty() ? parse_mcda_spec("{}", model, "command line", over) : load_mcda_spec(o.spec, model, over);
  const std::string grouping = spec.pool ? *spec.pool : (model.pools.empty() ? "" : grouping_of(model.pools.front()));
  const dataset data = read_data(o.data, model, {grouping}, o.input);
  const result r = score(model, data, {grouping});
  mcda_spec resolved = spec;
  resolved.pool = grouping;
  const mcda_result a = run_mcda(r, resolved);
  const std::string node = spec.node;
  const table t = a.method == mcda_method::bod ? bod_table(r, a, node, o.decimals) : kemeny_table(r, a, node, o.decimals);
  std::string text = render(t, o.format);
  std::vector<std::string> dropped;
  for (const mcda_pool& p : a.pools)
    for (std::size_t u : p.dropped) dropped.push_back(r.unit_ids[u]);
  if (o.format == table_format::table && !dropped.empty())
    text += fmt::format("\nLeft out for a missing value: {}\n", fmt::join(dropped, ", "));
  if (o.format == table_format::table)
    text = fmt::format("{} of node '{}' ({} indicators), {}\n\n", a.method == mcda_method::bod
                           ? fmt::format("Benefit of the doubt ({})", to_string(spec.bod.variant))
                           : std::string("Condorcet-Kemeny ranking"),
                       node, a.indicators.ids.size(), grouping.empty() ? "all units" : "pools by " + grouping) +
           text;
  write_output(text, o.output);
  return exit_code::ok;
}

}  // namespace

void add_analyse(CLI::App& app, action& run) {
  auto o = std::make_shared<analyse_options>();
  CLI::App* cmd = app.add_subcommand(
      "analyse", "Beyond weighted sums: benefit-of-the-doubt scores or the Condorcet-Kemeny ranking of a node");
  cmd->add_option("framework", o->framework, "Framework file (JSON) or preset name")->required();
  cmd->add_option("data", o->data, "Data file (CSV)")->required();
  cmd->add_option("-m,--method", o->method, "bod or kemeny (overrides the spec's)")
      ->check(CLI::IsMember({"bod", "kemeny"}));
  cmd->add_option("-s,--spec", o->spec, "Analysis spec (JSON): method, node, pool, restrictions... (docs/methods.md)");
  cmd->add_option("--node", o->node, "Node whose indicators are analysed (default: the index)");
  cmd->add_option("-p,--pool", o->pool,
                  "Pooling: a grouping column, or 'all' (default: the spec's, else the framework's first pool)");
  cmd->add_flag("--drop-incomplete", o->drop_incomplete,
               "Leave out units missing a value of the node's indicators (default: error; spec key \"missing\")");
  cmd->add_option("-d,--decimals", o->decimals, "Decimals of scores in the output")->capture_default_str();
  cmd->add_option("-f,--format", o->format, "Output format: table or csv")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, table_format>{{"table", table_format::table}, {"csv", table_format::csv}}))
      ->default_str("table");
  add_output_option(*cmd, o->output);
  add_data_options(*cmd, o->input);
  cmd->footer(
      "BoD: each unit's own best weights (score 1 = on the frontier), with its peers. Kemeny: the ranking that\n"
      "agrees most with the pairwise outranking matrix (exact up to 20 units, else a heuristic whose gap to\n"
      "the upper bound is printed). Scores use the evaluation's normalised values.\n"
      "Example:\n"
      "  parkscore analyse docs/examples/demo-framework.json examples/data/demo.csv --method kemeny --pool level \\\n"
      "      --drop-incomplete");
  cmd->callback([o, &run] { run = [o] { return run_analyse(*o); }; });
}

}  // namespace parkscore::cli
