// Text, Markdown, CSV and JSON of explanations, gaps and what-ifs.
#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "parkscore/error.hpp"
#include "parkscore/report/explain.hpp"
#include "parkscore/report/what_if.hpp"
#include "report/report_json.hpp"
#include "report/node_text.hpp"

namespace parkscore {

namespace {

using detail::json_number;
using detail::rank_text;

std::string num(double x, bool machine, int decimals = 2) {
  if (std::isnan(x)) return machine ? "" : "-";
  return machine ? fmt::format("{}", x) : fmt::format("{:.{}f}", x, decimals);
}
std::string signed_num(double x, bool machine) {
  if (std::isnan(x)) return machine ? "" : "-";
  return machine ? fmt::format("{}", x) : fmt::format("{:+.2f}", x);
}

std::string heading(const std::string& text, report_format format) {
  return format == report_format::markdown ? "**" + text + "**\n\n" : text + "\n\n";
}

const char* scale_text(contribution_scale s, bool zh) {
  switch (s) {
    case contribution_scale::score: return zh ? "贡献之和等于综合得分" : "contributions add up to the index score";
    case contribution_scale::log_score:
      return zh ? "几何平均：贡献之和等于综合得分（均值口径）的自然对数"
                : "geometric index: contributions add up to ln(index mean score)";
    case contribution_scale::not_additive: return zh ? "该方法的得分不可分解" : "the method's score does not split";
  }
  return "";
}

}  // namespace

std::string format_account(const explanation& e, report_format format, language lang) {
  const bool zh = lang == language::zh;
  const bool machine = format == report_format::csv;
  if (format == report_format::json) {
    nlohmann::ordered_json j;
    j["id"] = e.unit_id;
    j["name"] = e.unit_name;
    j["pool"] = e.pool;
    j["pool_size"] = e.pool_size;
    j["score"] = json_number(e.score);
    j["rank"] = json_number(e.rank);
    j["above"] = e.above_id;
    j["scale"] = e.scale == contribution_scale::score       ? "score"
                 : e.scale == contribution_scale::log_score ? "log_score"
                                                            : "not_additive";
    if (!e.scale_note.empty()) j["scale_note"] = e.scale_note;
    j["rescaling"] = json_number(e.rescaling);
    j["adjustment"] = json_number(e.adjustment);
    j["veto"] = e.veto;
    j["categories"] = nlohmann::ordered_json::array();
    for (const node_account& a : e.nodes)
      j["categories"].push_back({{"id", a.id}, {"name", a.name}, {"depth", a.depth}, {"score", json_number(a.score)},
                                 {"rank", json_number(a.rank)}, {"pool_best", json_number(a.pool_best)},
                                 {"pool_median", json_number(a.pool_median)}, {"above", json_number(a.above_score)},
                                 {"points", json_number(a.points)}, {"maximum", json_number(a.maximum)},
                                 {"lost", json_number(a.lost)}});
    j["indicators"] = nlohmann::ordered_json::array();
    for (const indicator_account& a : e.indicators)
      j["indicators"].push_back(
          {{"id", a.id}, {"name", a.name}, {"parent", a.parent}, {"raw", json_number(a.raw)}, {"used", json_number(a.used)},
           {"imputed", a.imputed}, {"treated", a.treated}, {"normalised", json_number(a.normalised)},
           {"pool_best", json_number(a.pool_best)}, {"pool_median", json_number(a.pool_median)},
           {"rank", json_number(a.rank)}, {"points", json_number(a.points)}, {"maximum", json_number(a.maximum)},
           {"lost", json_number(a.lost)}, {"above_raw", json_number(a.above_raw)},
           {"above_normalised", json_number(a.above_normalised)}, {"above_points", json_number(a.above_points)}});
    return j.dump(2) + "\n";
  }
  std::vector<std::vector<std::string>> cats, inds;
  for (const node_account& a : e.nodes) {
    std::string indent;
    for (int d = 0; d < a.depth && !machine; ++d) indent += format == report_format::markdown ? "\u00A0\u00A0" : "  ";
    cats.push_back({a.id, indent + a.name, num(a.score, machine), rank_text(a.rank), num(a.points, machine),
                    num(a.maximum, machine), num(a.lost, machine), num(a.pool_median, machine),
                    num(a.above_score, machine)});
  }
  for (const indicator_account& a : e.indicators) {
    std::string raw = num(a.raw, machine, 4);
    if (!machine && a.imputed) raw = num(a.used, false, 4) + (zh ? "（插补）" : " (imputed)");
    if (!machine && a.treated) raw += zh ? "（已处理）" : " (treated)";
    inds.push_back({a.id, a.name, a.parent, raw, num(a.normalised, machine), rank_text(a.rank), num(a.points, machine),
                    num(a.maximum, machine), num(a.lost, machine), num(a.pool_median, machine),
                    num(a.above_raw, machine, 4), num(a.above_points, machine)});
  }
  const std::vector<std::string> cat_header =
      zh ? std::vector<std::string>{"代码", "层级", "得分", "排名", "贡献", "满分贡献", "较组内最好少得", "组内中位数",
                                    "上一名得分"}
         : std::vector<std::string>{"ID", "Node", "Score", "Rank", "Points", "Maximum", "Lost to best", "Pool median",
                                    "Unit above"};
  const std::vector<std::string> ind_header =
      zh ? std::vector<std::string>{"代码", "指标", "所属", "原始值", "标准化", "组内排名", "贡献", "满分贡献",
                                    "较组内最好少得", "组内中位数", "上一名原始值", "上一名贡献"}
         : std::vector<std::string>{"ID", "Indicator", "Parent", "Raw", "Normalised", "Rank", "Points", "Maximum",
                                    "Lost to best", "Pool median", "Above: raw", "Above: points"};
  const std::vector<bool> cat_numeric = {false, false, true, true, true, true, true, true, true};
  const std::vector<bool> ind_numeric = {false, false, false, true, true, true, true, true, true, true, true, true};
  if (machine)
    return detail::render_table(cat_header, cats, cat_numeric, format) + "\r\n" +
           detail::render_table(ind_header, inds, ind_numeric, format);
  std::string out;
  const std::string above = e.above_id.empty() ? (zh ? "无" : "none") : e.above_name + " (" + e.above_id + ")";
  out += heading(zh ? fmt::format("{}（{}）得分构成 — 上一名：{}；{}", e.unit_name, e.unit_id, above, scale_text(e.scale, true))
                    : fmt::format("{} ({}): where the points come from — unit above: {}; {}", e.unit_name, e.unit_id,
                                  above, scale_text(e.scale, false)),
                 format);
  out += detail::render_table(cat_header, cats, cat_numeric, format) + "\n";
  out += detail::render_table(ind_header, inds, ind_numeric, format);
  if (e.rescaling != 0 || e.adjustment != 0)
    out += zh ? fmt::format("\n重新标度项 {:+.4f}，加减分 {:+g}\n", e.rescaling, e.adjustment)
              : fmt::format("\nRescaling terms {:+.4f}, bonus/deduction {:+g}\n", e.rescaling, e.adjustment);
  if (!e.scale_note.empty()) out += "\n" + e.scale_note + "\n";
  return out;
}

std::string format_change_account(const change_account& c, report_format format, language lang) {
  const bool zh = lang == language::zh;
  const bool machine = format == report_format::csv;
  if (format == report_format::json) {
    nlohmann::ordered_json j;
    j["id"] = c.unit_id;
    j["score_before"] = json_number(c.score_before);
    j["score_after"] = json_number(c.score_after);
    j["rank_before"] = json_number(c.rank_before);
    j["rank_after"] = json_number(c.rank_after);
    j["rescaling_change"] = json_number(c.rescaling_change);
    j["adjustment_change"] = json_number(c.adjustment_change);
    j["lines"] = nlohmann::ordered_json::array();
    for (const change_line& l : c.lines)
      j["lines"].push_back({{"id", l.id}, {"name", l.name}, {"indicator", l.indicator}, {"before", json_number(l.before)},
                            {"after", json_number(l.after)}, {"change", json_number(l.change)},
                            {"raw_before", json_number(l.raw_before)}, {"raw_after", json_number(l.raw_after)}});
    return j.dump(2) + "\n";
  }
  std::vector<std::vector<std::string>> rows;
  for (const change_line& l : c.lines)
    rows.push_back({l.id, l.name, l.indicator ? num(l.raw_before, machine, 4) : "", l.indicator ? num(l.raw_after, machine, 4) : "",
                    num(l.before, machine), num(l.after, machine), signed_num(l.change, machine)});
  const std::vector<std::string> header =
      zh ? std::vector<std::string>{"代码", "名称", "上年原始值", "本年原始值", "上年贡献", "本年贡献", "变化"}
         : std::vector<std::string>{"ID", "Name", "Raw before", "Raw now", "Points before", "Points now", "Change"};
  const std::vector<bool> numeric = {false, false, true, true, true, true, true};
  if (machine) return detail::render_table(header, rows, numeric, format);
  std::string out = heading(
      zh ? fmt::format("{}：综合得分 {:.2f} → {:.2f}（{:+.2f}），排名 {} → {}", c.unit_name, c.score_before, c.score_after,
                       c.score_after - c.score_before, rank_text(c.rank_before), rank_text(c.rank_after))
         : fmt::format("{}: index {:.2f} -> {:.2f} ({:+.2f}), rank {} -> {}", c.unit_name, c.score_before, c.score_after,
                       c.score_after - c.score_before, rank_text(c.rank_before), rank_text(c.rank_after)),
      format);
  out += detail::render_table(header, rows, numeric, format);
  return out;
}

gap_target parse_gap_target(const std::string& text) {
  auto number = [&](const std::string& s) {
    try {
      std::size_t used = 0;
      const int v = std::stoi(s, &used);
      if (used == s.size() && v >= 1) return v;
    } catch (const std::exception&) {
    }
    throw data_error(fmt::format("gap target '{}': expected a whole number >= 1 after ':'", text));
  };
  if (text == "next") return {target_kind::next_place, 1, 3};
  if (text == "top10") return {target_kind::top_10, 1, 3};
  if (text.rfind("rank:", 0) == 0) return {target_kind::rank, number(text.substr(5)), 3};
  if (text.rfind("bottom:", 0) == 0) return {target_kind::out_of_bottom, 1, number(text.substr(7))};
  throw data_error(fmt::format("gap target '{}': expected next, top10, rank:N or bottom:N", text));
}

std::string format_gap(const gap_analysis& g, report_format format) {
  const bool machine = format == report_format::csv;
  if (format == report_format::json) {
    nlohmann::ordered_json j;
    j["unit"] = g.unit;
    j["rank"] = json_number(g.rank);
    j["target_rank"] = json_number(g.target_rank);
    j["already"] = g.already;
    j["single"] = nlohmann::ordered_json::array();
    for (const single_gap& s : g.single)
      j["single"].push_back({{"indicator", s.indicator}, {"name", s.name}, {"current", json_number(s.current)},
                             {"reachable", s.reachable}, {"value", json_number(s.value)},
                             {"change", json_number(s.change)}, {"new_rank", json_number(s.new_rank)}, {"note", s.note}});
    nlohmann::ordered_json changes = nlohmann::ordered_json::array();
    for (const value_change& c : g.combined.changes) changes.push_back({{"indicator", c.indicator}, {"value", c.value}});
    j["combined"] = {{"reachable", g.combined.reachable}, {"changes", changes}, {"cost_sd", g.combined.cost},
                     {"new_rank", json_number(g.combined.new_rank)}};
    return j.dump(2) + "\n";
  }
  std::vector<std::vector<std::string>> rows;
  for (const single_gap& s : g.single)
    rows.push_back({s.indicator, s.name, num(s.current, machine, 4), s.reachable ? num(s.value, machine, 4) : "",
                    s.reachable ? signed_num(s.change, machine) : "", s.reachable ? rank_text(s.new_rank) : "", s.note});
  const std::vector<std::string> header = {"ID", "Indicator", "Now", "Needed", "Change", "New rank", "Note"};
  const std::vector<bool> numeric = {false, false, true, true, true, true, false};
  if (machine) return detail::render_table(header, rows, numeric, format);
  std::string out = heading(fmt::format("{}: rank {} -> target rank {}{}", g.unit, rank_text(g.rank),
                                        rank_text(g.target_rank), g.already ? " (already met)" : ""),
                            format);
  if (g.already) return out;
  out += detail::render_table(header, rows, numeric, format);
  if (g.combined.reachable) {
    std::vector<std::string> parts;
    for (const value_change& c : g.combined.changes) parts.push_back(fmt::format("{} = {:.4g}", c.indicator, c.value));
    out += fmt::format("\nCheapest combination found (greedy, {:.2f} pool standard deviations): {} -> rank {}\n",
                       g.combined.cost, fmt::join(parts, ", "), rank_text(g.combined.new_rank));
  } else {
    out += "\nNo combination found within the search limits.\n";
  }
  return out;
}

std::string format_what_if(const what_if_result& w, report_format format) {
  const bool machine = format == report_format::csv;
  if (format == report_format::json) {
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (const rank_move& m : w.moved)
      j.push_back({{"id", m.unit}, {"name", m.name}, {"pool", m.pool}, {"rank_before", json_number(m.before)},
                   {"rank_after", json_number(m.after)}, {"score_before", json_number(m.score_before)},
                   {"score_after", json_number(m.score_after)}});
    return nlohmann::ordered_json{{"moved", j}}.dump(2) + "\n";
  }
  std::vector<std::vector<std::string>> rows;
  for (const rank_move& m : w.moved)
    rows.push_back({m.pool, m.unit, m.name, rank_text(m.before), rank_text(m.after),
                    machine ? num(m.before - m.after, true) : fmt::format("{:+g}", m.before - m.after),
                    num(m.score_before, machine), num(m.score_after, machine)});
  const std::vector<std::string> header = {"Pool", "ID", "Name", "Rank before", "Rank after", "Change", "Score before",
                                           "Score after"};
  const std::vector<bool> numeric = {false, false, false, true, true, true, true, true};
  if (machine) return detail::render_table(header, rows, numeric, format);
  return heading(fmt::format("What-if: {} unit(s) moved", w.moved.size()), format) +
         detail::render_table(header, rows, numeric, format);
}

}  // namespace parkscore
