// The report document: built once as a list of blocks (headings, text, tables,

#include "report/node_text.hpp"
// charts, page breaks), then written as HTML or Markdown, so both carry the same content.
#include "parkscore/report/document.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

#include "parkscore/error.hpp"
#include "parkscore/io/csv.hpp"
#include "parkscore/report/report.hpp"
#include "parkscore/report/sunburst.hpp"
#include "model/missing_value.hpp"

namespace parkscore {

using detail::display_name;
using detail::rank_text;
using detail::xml_escape;

namespace {

struct block {
  enum class kind { heading, paragraph, table, svg, page_break } type = kind::paragraph;
  int level = 2;
  std::string text;   // heading/paragraph text, or the svg element
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> numeric;
};

class builder {
 public:
  explicit builder(language lang) : zh_(lang == language::zh) {}
  const char* t(const char* zh, const char* en) const { return zh_ ? zh : en; }
  bool zh() const { return zh_; }
  /// A numbered section heading: 一、… in Chinese, 1. … in English, numbered in order of appearance.
  void section(const char* zh, const char* en) {
    static constexpr const char* numerals[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
    const int n = section_++;
    heading(zh_ ? fmt::format("{}、{}", numerals[n % 10], zh) : fmt::format("{}. {}", n + 1, en));
  }
  void heading(std::string text, int level = 2) { blocks.push_back({block::kind::heading, level, std::move(text), {}, {}, {}}); }
  void paragraph(std::string text) { blocks.push_back({block::kind::paragraph, 0, std::move(text), {}, {}, {}}); }
  void svg(std::string text) { blocks.push_back({block::kind::svg, 0, std::move(text), {}, {}, {}}); }
  void page_break() { blocks.push_back({block::kind::page_break, 0, {}, {}, {}, {}}); }
  void table(std::vector<std::string> header, std::vector<std::vector<std::string>> rows, std::vector<bool> numeric) {
    blocks.push_back({block::kind::table, 0, {}, std::move(header), std::move(rows), std::move(numeric)});
  }
  std::vector<block> blocks;

 private:
  bool zh_;
  int section_ = 0;
};

std::string num(double x, int decimals = 2) { return std::isnan(x) ? "-" : fmt::format("{:.{}f}", x, decimals); }


// --- charts (plain SVG, fonts from the reader's system) ------------------------------------

struct bar {
  std::string label;
  double value = 0;
  bool highlight = false;
};

// A horizontal bar chart; values from 0 to `top` (or the largest value).
std::string bar_chart(const std::vector<bar>& bars, double top, const std::string& title) {
  const double label_width = 190, chart_width = 420, row = 16, head = 28;
  double max = top;
  for (const bar& b : bars)
    if (!std::isnan(b.value)) max = std::max(max, b.value);
  if (!(max > 0)) max = 1;
  const double height = head + row * static_cast<double>(bars.size()) + 10;
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" "
      "role=\"img\" aria-label=\"{2}\">\n<text x=\"0\" y=\"16\" class=\"title\">{2}</text>\n",
      label_width + chart_width + 60, height, xml_escape(title));
  for (std::size_t i = 0; i < bars.size(); ++i) {
    const bar& b = bars[i];
    const double y = head + row * static_cast<double>(i);
    const double w = std::isnan(b.value) ? 0 : std::max(0.0, b.value) / max * chart_width;
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"label\" text-anchor=\"end\">{}</text>", label_width - 6,
                     y + 11, xml_escape(b.label));
    s += fmt::format("<rect x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" class=\"{}\"/>", label_width, y + 2,
                     w, row - 4, b.highlight ? "bar hl" : "bar");
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"value\">{}</text>\n", label_width + w + 4, y + 11,
                     num(b.value));
  }
  return s + "</svg>";
}

// Rank intervals as horizontal segments with the nominal rank as a dot (rank 1 on the left).
std::string interval_chart(const std::vector<rank_interval>& rows, const std::map<std::string, std::string>& names,
                           const std::string& title) {
  const double label_width = 190, chart_width = 420, row = 14, head = 28;
  double max = 1;
  for (const rank_interval& r : rows) max = std::max({max, r.hi, r.nominal});
  const double height = head + row * static_cast<double>(rows.size()) + 10;
  auto x = [&](double rank) { return label_width + (rank - 1) / std::max(1.0, max - 1) * chart_width; };
  std::string s = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" height=\"{1}\" "
      "role=\"img\" aria-label=\"{2}\">\n<text x=\"0\" y=\"16\" class=\"title\">{2}</text>\n",
      label_width + chart_width + 30, height, xml_escape(title));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const rank_interval& r = rows[i];
    const double y = head + row * static_cast<double>(i) + row / 2;
    const auto it = names.find(r.unit);
    s += fmt::format("<text x=\"{:.1f}\" y=\"{:.1f}\" class=\"label\" text-anchor=\"end\">{}</text>", label_width - 6,
                     y + 4, xml_escape(it == names.end() ? r.unit : it->second));
    s += fmt::format("<line x1=\"{:.1f}\" x2=\"{:.1f}\" y1=\"{:.1f}\" y2=\"{:.1f}\" class=\"interval\"/>", x(r.lo), x(r.hi), y, y);
    s += fmt::format("<circle cx=\"{:.1f}\" cy=\"{:.1f}\" r=\"3\" class=\"nominal\"/>\n", x(r.nominal), y);
  }
  return s + "</svg>";
}

// An SVG from elsewhere: only an <svg> element without scripts or external references.
std::string checked_svg(const document_figure& f) {
  const std::string& s = f.svg;
  const auto start = s.find("<svg");
  if (start == std::string::npos) throw data_error(fmt::format("figure '{}': no <svg> element", f.title));
  std::string lower(s);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const char* bad : {"<script", "javascript:", "href=\"http", "href='http", "@import", "url(http"})
    if (lower.find(bad) != std::string::npos)
      throw data_error(fmt::format("figure '{}': SVG with '{}' is refused (the report must stay self-contained)", f.title, bad));
  return s.substr(start);
}

// --- content -------------------------------------------------------------------------------

std::vector<int> nodes_to_depth(const framework& fw, int levels) {
  std::vector<int> out;
  std::vector<std::pair<int, int>> stack = {{0, 0}};
  while (!stack.empty()) {
    const auto [k, d] = stack.back();
    stack.pop_back();
    if (d > levels) continue;
    out.push_back(k);
    const auto& c = fw.at(k).children;
    for (auto it = c.rbegin(); it != c.rend(); ++it) stack.emplace_back(*it, d + 1);
  }
  return out;
}

std::vector<std::size_t> ranked_order(const result& r, const pool_result& pool, const std::string& label, int k) {
  std::vector<std::size_t> members = pool.members_of(label);
  const Eigen::VectorXd ranks = r.ranks_of(pool, k);
  std::stable_sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
    const double ra = ranks[static_cast<Eigen::Index>(a)], rb = ranks[static_cast<Eigen::Index>(b)];
    if (std::isnan(ra) || std::isnan(rb)) return !std::isnan(ra) && std::isnan(rb);
    return ra < rb;
  });
  return members;
}

std::vector<std::string> labels_of(const pool_result& pool) {
  std::vector<std::string> out;
  for (const std::string& l : pool.labels)
    if (std::find(out.begin(), out.end(), l) == out.end()) out.push_back(l);
  return out;
}

void ranking_section(builder& b, const result& r, const document_options& o) {
  const framework& fw = r.model;
  const pool_result& pool = r.pool(o.grouping);
  const std::vector<int> shown = nodes_to_depth(fw, o.levels);
  std::map<std::string, const rank_change*> change;
  for (const rank_change& c : o.changes) change[c.unit] = &c;
  b.section("综合排名", "Ranking");
  for (const std::string& label : labels_of(pool)) {
    if (!o.grouping.empty()) b.heading(fmt::format("{}{}", label, b.t("组", " pool")), 3);
    std::vector<std::string> header = {b.t("排名", "Rank"), b.t("代码", "ID"), b.t("名称", "Name")};
    std::vector<bool> numeric = {true, false, false};
    for (int k : shown) {
      header.push_back(display_name(fw.at(k)));
      numeric.push_back(true);
    }
    if (!o.changes.empty()) {
      header.push_back(b.t("较上年", "Change"));
      numeric.push_back(true);
    }
    header.push_back(b.t("备注", "Note"));
    numeric.push_back(false);
    std::vector<std::vector<std::string>> rows;
    std::vector<bar> bars;
    for (std::size_t u : ranked_order(r, pool, label, 0)) {
      const auto row = static_cast<Eigen::Index>(u);
      std::vector<std::string> cells = {rank_text(pool.index_rank(row)), r.unit_ids[u], r.unit_names[u]};
      for (int k : shown) cells.push_back(num(pool.scores(row, k)));
      if (!o.changes.empty()) {
        const auto it = change.find(r.unit_ids[u]);
        const rank_change* c = it == change.end() ? nullptr : it->second;
        cells.push_back(!c || std::isnan(c->change) ? (c && c->status == rank_change_status::new_entrant ? b.t("新进", "new") : "-")
                                                    : c->change == 0 ? "0" : fmt::format("{:+g}", c->change));
      }
      const auto ex = r.excluded.find(r.unit_ids[u]);
      cells.push_back(ex == r.excluded.end() ? "" : ex->second);
      rows.push_back(std::move(cells));
      if (!std::isnan(pool.index_rank(row))) bars.push_back({r.unit_names[u], pool.scores(row, 0), false});
    }
    b.table(std::move(header), std::move(rows), std::move(numeric));
    b.svg(bar_chart(bars, 0, fmt::format("{}{}", b.t("综合得分", "Index score"), o.grouping.empty() ? "" : " — " + label)));
  }
}

void category_section(builder& b, const result& r, const document_options& o) {
  const framework& fw = r.model;
  const pool_result& pool = r.pool(o.grouping);
  b.page_break();
  b.section("分类得分与排名", "Categories");
  for (int k : fw.root().children) {
    if (fw.at(k).is_indicator()) continue;
    b.heading(display_name(fw.at(k)), 3);
    const Eigen::VectorXd ranks = r.ranks_of(pool, k);
    std::vector<std::string> header = {b.t("组别", "Pool"), b.t("排名", "Rank"), b.t("名称", "Name"), b.t("得分", "Score")};
    for (int c : fw.at(k).children) header.push_back(display_name(fw.at(c)));
    std::vector<bool> numeric(header.size(), true);
    numeric[0] = numeric[2] = false;
    std::vector<std::vector<std::string>> rows;
    for (const std::string& label : labels_of(pool))
      for (std::size_t u : ranked_order(r, pool, label, k)) {
        const auto row = static_cast<Eigen::Index>(u);
        std::vector<std::string> cells = {label, rank_text(ranks[row]), r.unit_names[u], num(pool.scores(row, k))};
        for (int c : fw.at(k).children) cells.push_back(num(pool.scores(row, c)));
        rows.push_back(std::move(cells));
      }
    b.table(std::move(header), std::move(rows), std::move(numeric));
  }
}

void veto_watch_section(builder& b, const result& r, const document_options& o) {
  b.section("一票否决与预警名单", "Vetoed units and the watch list");
  std::vector<std::vector<std::string>> vetoed;
  for (std::size_t u = 0; u < r.unit_ids.size(); ++u)
    if (r.rule(u).vetoed()) vetoed.push_back({r.unit_ids[u], r.unit_names[u], fmt::format("{}", fmt::join(r.rule(u).veto, "；"))});
  if (vetoed.empty()) b.paragraph(b.t("本年度无一票否决单位。", "No unit is vetoed this year."));
  else b.table({b.t("代码", "ID"), b.t("名称", "Name"), b.t("否决原因", "Veto reason")}, vetoed, {false, false, false});
  if (o.watch.empty()) {
    b.paragraph(b.t("无单位列入退出预警名单（或未提供多年数据）。", "No unit is on the delisting watch list (or no history was given)."));
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const watch_entry& w : o.watch) {
    std::vector<std::string> years;
    for (int y : w.hit_years) years.push_back(std::to_string(y));
    rows.push_back({w.unit, w.name, w.pool, fmt::format("{}", fmt::join(years, ", ")), w.rule});
  }
  b.table({b.t("代码", "ID"), b.t("名称", "Name"), b.t("组别", "Pool"), b.t("末位年度", "Years in the bottom"),
           b.t("规则", "Rule")},
          rows, {false, false, false, false, false});
}

void interval_section(builder& b, const result& r, const document_options& o) {
  if (o.intervals.empty()) return;
  b.section("排名区间（不确定性分析）", "Rank intervals (uncertainty)");
  if (!o.interval_label.empty()) b.paragraph(o.interval_label);
  std::map<std::string, std::string> names;
  for (std::size_t u = 0; u < r.unit_ids.size(); ++u) names[r.unit_ids[u]] = r.unit_names[u];
  std::vector<rank_interval> sorted = o.intervals;
  std::stable_sort(sorted.begin(), sorted.end(), [](const rank_interval& a, const rank_interval& c) { return a.nominal < c.nominal; });
  std::vector<std::vector<std::string>> rows;
  for (const rank_interval& i : sorted)
    rows.push_back({i.unit, names.count(i.unit) ? names[i.unit] : "", rank_text(i.nominal), num(i.median, 1),
                    rank_text(i.lo), rank_text(i.hi)});
  b.table({b.t("代码", "ID"), b.t("名称", "Name"), b.t("名义排名", "Nominal"), b.t("中位排名", "Median"), b.t("下限", "Low"),
           b.t("上限", "High")},
          rows, {false, false, true, true, true, true});
  b.svg(interval_chart(sorted, names, b.t("排名区间（点为名义排名）", "Rank intervals (dot: nominal rank)")));
}

void audit_section(builder& b, const result& r, const audit_report& a) {
  b.page_break();
  b.section("指标体系统计检验", "Statistical audit");
  b.paragraph(fmt::format("{} {}", a.units, b.t("个参评单位；方法与阈值见 docs/audit.md。",
                                                 "ranked units analysed; methods and thresholds in docs/audit.md.")));
  std::vector<std::vector<std::string>> rows;
  for (const indicator_audit& i : a.indicators)
    rows.push_back({i.id, i.name, num(100 * i.missing_share, 1), num(i.cv, 3), num(i.skew_before), num(i.kurtosis_before),
                    num(i.skew_after), num(i.kurtosis_after), num(i.pearson_parent), num(i.pearson_index),
                    std::string(i.many_missing ? b.t("缺失多 ", "many missing ") : "") +
                        (i.low_variation ? b.t("变异小", "low variation") : "")});
  b.heading(b.t("指标", "Indicators"), 3);
  b.table({b.t("代码", "ID"), b.t("指标", "Indicator"), b.t("缺失%", "Missing %"), "CV", b.t("偏度(前)", "Skew before"),
           b.t("峰度(前)", "Kurt. before"), b.t("偏度(后)", "Skew after"), b.t("峰度(后)", "Kurt. after"),
           b.t("与上级r", "r parent"), b.t("与总分r", "r index"), b.t("提示", "Flags")},
          rows, {false, false, true, true, true, true, true, true, true, true, false});
  rows.clear();
  for (const correlation_flag& f : a.flags) rows.push_back({f.a, f.b, num(f.r, 3), f.reason});
  b.heading(b.t("相关性提示", "Correlation flags"), 3);
  if (rows.empty()) b.paragraph(b.t("无。", "None."));
  else b.table({b.t("指标A", "A"), b.t("指标B", "B"), "r", b.t("原因", "Reason")}, rows, {false, false, true, false});
  rows.clear();
  for (const category_audit& c : a.categories)
    rows.push_back({c.id, c.name, std::to_string(c.children.size()), num(c.alpha, 3),
                    c.pca.eigenvalues.size() ? num(c.pca.eigenvalues[0], 3) : "-",
                    c.pca.explained.size() ? num(100 * c.pca.explained[0], 1) : "-"});
  b.heading(b.t("信度与主成分", "Reliability and principal components"), 3);
  b.table({b.t("代码", "ID"), b.t("名称", "Name"), b.t("下级数", "Children"), "Cronbach α", b.t("第一特征值", "λ1"),
           b.t("解释方差%", "Explained %")},
          rows, {false, false, true, true, true, true});
  rows.clear();
  for (const category_audit& c : a.categories)   // loadings = correlation of each child with the component
    for (Eigen::Index i = 0; i < c.pca.loadings.rows() && c.pca.loadings.cols() > 0; ++i)
      rows.push_back({c.id, c.children[static_cast<std::size_t>(i)], num(c.pca.loadings(i, 0), 3),
                      c.pca.loadings.cols() > 1 ? num(c.pca.loadings(i, 1), 3) : "-"});
  if (!rows.empty()) {
    b.heading(b.t("主成分载荷", "Principal component loadings"), 3);
    b.table({b.t("节点", "Node"), b.t("下级", "Child"), b.t("第一主成分", "PC1"), b.t("第二主成分", "PC2")}, rows,
            {false, false, true, true});
  }
  rows.clear();
  for (const rank_reversal_check& c : a.rank_reversal)
    rows.push_back({c.description, std::to_string(c.pairs), std::to_string(c.reversed),
                    fmt::format("{}", fmt::join(c.examples, "; "))});
  if (!rows.empty()) {
    b.heading(b.t("排序逆转检验", "Rank reversal"), 3);
    b.table({b.t("扰动", "Perturbation"), b.t("比较对数", "Pairs"), b.t("逆转对数", "Reversed"), b.t("示例", "Examples")}, rows,
            {false, true, true, false});
  }
  rows.clear();
  for (const method_invariance& m : a.invariance)
    rows.push_back({m.node, m.method, m.invariant ? b.t("是", "yes") : b.t("否", "no"), m.reason});
  b.table({b.t("节点", "Node"), b.t("方法", "Method"), b.t("构造上不变", "Invariant"), b.t("说明", "Why")}, rows,
          {false, false, false, false});
  (void)r;
}

// The framework and its weights: the sunburst (each sector's angle = the node's share of
// the index x 360 degrees) and the same numbers as a table, so the Markdown has them too.
void framework_section(builder& b, const result& r) {
  const framework& fw = r.model;
  const std::vector<double> share = fw.absolute_weights();
  b.page_break();
  b.section("指标体系与权重", "Framework and weights");
  b.svg(sunburst_svg(fw, {b.t("指标体系权重（扇区角度 = 占综合得分权重 × 360°）",
                                "Framework weights (sector angle = share of the index x 360°)"),
                          true, 70, 9}));
  std::vector<std::vector<std::string>> rows;
  for (int k : nodes_to_depth(fw, 1 << 20)) {
    if (k == 0) continue;
    const node& n = fw.at(k);
    const node& parent = fw.at(n.parent);
    double siblings = 0;
    for (int c : parent.children) siblings += fw.at(c).weight;
    int depth = 0;
    for (int p = n.parent; p > 0; p = fw.at(p).parent) ++depth;
    rows.push_back({std::string(static_cast<std::size_t>(2 * depth), ' ') + display_name(n), n.id, display_name(parent),
                    num(siblings > 0 ? 100 * n.weight / siblings : nan, 1), num(100 * share[static_cast<std::size_t>(k)], 2)});
  }
  b.table({b.t("节点", "Node"), b.t("代码", "ID"), b.t("上级", "Parent"), b.t("组内权重%", "Weight in parent %"),
           b.t("占综合得分%", "Share of the index %")},
          rows, {false, false, false, true, true});
}

void zone_pages(builder& b, const result& r, const document_options& o) {
  if (o.zones.empty()) return;
  if (!o.data) throw data_error("report: zone pages need the data the result was evaluated from (give it with the result)");
  std::map<std::string, const rank_change*> change;
  for (const rank_change& c : o.changes) change[c.unit] = &c;
  std::map<std::string, const watch_entry*> watch;
  for (const watch_entry& w : o.watch) watch[w.unit] = &w;
  for (const std::string& zone : o.zones) {
    const explanation e = explain(r, *o.data, zone, {o.grouping, nullptr});
    b.page_break();
    b.heading(fmt::format("{}（{}）", e.unit_name, e.unit_id));
    const auto c = change.find(e.unit_id);
    const auto w = watch.find(e.unit_id);
    b.paragraph(describe(e, b.zh() ? language::zh : language::en, c == change.end() ? nullptr : c->second,
                         w == watch.end() ? nullptr : w->second));
    std::vector<std::vector<std::string>> rows;
    std::vector<bar> bars;
    for (const node_account& a : e.nodes) {
      rows.push_back({std::string(static_cast<std::size_t>(2 * a.depth), ' ') + a.name, num(a.score), rank_text(a.rank),
                      num(a.points), num(a.maximum), num(a.lost), num(a.pool_median), num(a.above_score)});
      if (a.depth == 1) {
        // Category profile on 0-100: the score as a share of the pool's best.
        bars.push_back({a.name, a.pool_best > 0 ? 100 * a.score / a.pool_best : nan, false});
      }
    }
    b.table({b.t("层级", "Node"), b.t("得分", "Score"), b.t("排名", "Rank"), b.t("贡献", "Points"), b.t("满分贡献", "Maximum"),
             b.t("较最好少得", "Lost to best"), b.t("组内中位数", "Pool median"), b.t("上一名", "Unit above")},
            rows, {false, true, true, true, true, true, true, true});
    if (!bars.empty()) b.svg(bar_chart(bars, 100, b.t("分类得分（组内最好=100）", "Categories (pool best = 100)")));
    rows.clear();
    for (const indicator_account& a : e.indicators)
      rows.push_back({a.name, num(a.raw, 4) + (a.imputed ? b.t("（插补）", " (imputed)") : "") +
                                   (a.treated ? b.t("（已处理）", " (treated)") : ""),
                      num(a.normalised), rank_text(a.rank), num(a.points), num(a.lost), num(a.pool_median), num(a.above_raw, 4)});
    b.table({b.t("指标", "Indicator"), b.t("原始值", "Raw"), b.t("标准化", "Normalised"), b.t("组内排名", "Rank"),
             b.t("贡献", "Points"), b.t("较最好少得", "Lost to best"), b.t("组内中位数", "Pool median"),
             b.t("上一名原始值", "Unit above: raw")},
            rows, {false, true, true, true, true, true, true, true});
  }
}

std::vector<block> build(const result& r, const document_options& o, std::string& title) {
  builder b(o.lang);
  title = o.title.empty() ? (r.model->name.empty() ? r.model->id : r.model->name) : o.title;
  b.heading(title, 1);
  b.paragraph(fmt::format("{}{}{}", r.period.empty() ? "" : b.t("数据期：", "Period: ") + r.period + "  ",
                          b.t("排名口径：", "Pooling: "), o.grouping.empty() ? b.t("全部单位", "all units") : o.grouping));
  ranking_section(b, r, o);
  category_section(b, r, o);
  veto_watch_section(b, r, o);
  interval_section(b, r, o);
  if (o.audit) audit_section(b, r, *o.audit);
  framework_section(b, r);
  for (const document_figure& f : o.figures) {
    b.heading(f.title, 3);
    b.svg(checked_svg(f));
  }
  zone_pages(b, r, o);
  return std::move(b.blocks);
}

constexpr const char* css = R"(
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       font-size: 10.5pt; color: #222; max-width: 190mm; margin: 12mm auto; }
h1 { font-size: 18pt; border-bottom: 2px solid #345; padding-bottom: 4px; }
h2 { font-size: 14pt; color: #234; margin-top: 18px; }
h3 { font-size: 11.5pt; color: #345; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 9pt; }
th, td { border: 1px solid #bbb; padding: 2px 6px; }
th { background: #e8edf3; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
thead { display: table-header-group; }
tr { page-break-inside: avoid; }
svg.chart { display: block; margin: 6px 0 14px; max-width: 100%; height: auto; }
svg.chart .title { font-size: 12px; font-weight: bold; fill: #234; }
svg.chart .label, svg.chart .value { font-size: 10px; fill: #333; }
svg.chart .bar { fill: #4a78a8; } svg.chart .bar.hl { fill: #d9822b; }
svg.chart .interval { stroke: #4a78a8; stroke-width: 2; } svg.chart .nominal { fill: #d9822b; }
.page-break { page-break-before: always; break-before: page; }
@page { size: A4; margin: 15mm 12mm; }
@media print { body { margin: 0; max-width: none; } }
)";

}  // namespace

std::string html_document(const result& r, const document_options& options) {
  std::string title;
  const std::vector<block> blocks = build(r, options, title);
  std::string out = fmt::format(
      "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{}</style>\n"
      "</head>\n<body>\n",
      options.lang == language::zh ? "zh-CN" : "en", xml_escape(title), css);
  for (const block& b : blocks) {
    switch (b.type) {
      case block::kind::heading: out += fmt::format("<h{0}>{1}</h{0}>\n", b.level, xml_escape(b.text)); break;
      case block::kind::paragraph: out += "<p>" + xml_escape(b.text) + "</p>\n"; break;
      case block::kind::svg: out += b.text + "\n"; break;
      case block::kind::page_break: out += "<div class=\"page-break\"></div>\n"; break;
      case block::kind::table: {
        out += "<table>\n<thead><tr>";
        for (const std::string& h : b.header) out += "<th>" + xml_escape(h) + "</th>";
        out += "</tr></thead>\n<tbody>\n";
        for (const auto& row : b.rows) {
          out += "<tr>";
          for (std::size_t c = 0; c < row.size(); ++c)
            out += (b.numeric[c] ? "<td class=\"n\">" : "<td>") + xml_escape(row[c]) + "</td>";
          out += "</tr>\n";
        }
        out += "</tbody>\n</table>\n";
        break;
      }
    }
  }
  return out + "</body>\n</html>\n";
}

std::string markdown_document(const result& r, const document_options& options) {
  std::string title;
  const std::vector<block> blocks = build(r, options, title);
  std::string out;
  for (const block& b : blocks) {
    switch (b.type) {
      case block::kind::heading: out += std::string(static_cast<std::size_t>(b.level), '#') + " " + b.text + "\n\n"; break;
      case block::kind::paragraph: out += b.text + "\n\n"; break;
      case block::kind::svg: break;   // charts are in the HTML version
      case block::kind::page_break: out += "---\n\n"; break;
      case block::kind::table: out += detail::render_table(b.header, b.rows, b.numeric, report_format::markdown) + "\n"; break;
    }
  }
  return out;
}

std::vector<rank_interval> parse_rank_intervals(const std::string& csv_text, const std::string& source,
                                                std::string* label) {
  // `parkscore uncertainty --output csv` may append its Sobol table after a blank line.
  std::string text = csv_text;
  for (const char* blank : {"\r\n\r\n", "\n\n"})
    if (const auto cut = text.find(blank); cut != std::string::npos) text.resize(cut + std::strlen(blank) / 2);
  const csv_table t = parse_csv(text, source);
  // Either unit, nominal, median, lo, hi, or the uncertainty command's unit, nominal_rank,
  // median_rank, rank_qA, rank_qB (A < B: the interval's percentiles).
  const bool uncertainty = !t.find_column("nominal") && t.find_column("nominal_rank");
  std::size_t cl = 0, ch = 0;
  if (uncertainty) {
    std::vector<std::pair<double, std::size_t>> q;
    for (std::size_t c = 0; c < t.header.size(); ++c)
      if (t.header[c].rfind("rank_q", 0) == 0) {
        char* end = nullptr;
        const double percent = std::strtod(t.header[c].c_str() + 6, &end);
        if (end != t.header[c].c_str() + 6 && *end == '\0') q.emplace_back(percent, c);
      }
    if (q.size() != 2)
      throw data_error(fmt::format("{}: expected two rank_qNN columns (the interval of `parkscore uncertainty --output "
                                   "csv`), found {}", source, q.size()));
    std::sort(q.begin(), q.end());
    cl = q[0].second;
    ch = q[1].second;
    if (label) *label = fmt::format("{:g}%–{:g}%", q[0].first, q[1].first);
  } else {
    cl = t.column("lo");
    ch = t.column("hi");
  }
  const std::size_t cu = t.column("unit"), cn = t.column(uncertainty ? "nominal_rank" : "nominal"),
                    cm = t.column(uncertainty ? "median_rank" : "median");
  std::vector<rank_interval> out;
  for (std::size_t i = 0; i < t.row_count(); ++i) {
    auto value = [&](std::size_t c) {
      const std::string cell(t.cell(i, c));
      try {
        std::size_t used = 0;
        const double v = std::stod(cell, &used);
        if (used == cell.size()) return v;
      } catch (const std::exception&) {
      }
      throw data_error(fmt::format("{}, line {}, column '{}': '{}' is not a number", source, t.line(i), t.header[c], cell));
    };
    out.push_back({std::string(t.cell(i, cu)), value(cn), value(cm), value(cl), value(ch)});
  }
  return out;
}

}  // namespace parkscore
