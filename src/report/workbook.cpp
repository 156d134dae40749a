// One sheet per step: raw, prepared (imputed and treated cells marked), normalised,
// contributions, scores and ranks per level and pool, changes, audit. Chinese headers
// (the framework's names), numeric cells with two-decimal display, frozen header rows.
#include "parkscore/report/workbook.hpp"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <cmath>
#include <map>

#include "parkscore/error.hpp"
#include "parkscore/report/contributions.hpp"
#include "parkscore/report/explain.hpp"

namespace parkscore {

namespace {

using lxw_row = lxw_row_t;
using lxw_col = lxw_col_t;

std::string name_of(const node& n) { return n.name.empty() ? n.id : n.name; }

// The 状态 column in the office's words (docs/history.md defines the statuses).
const char* status_zh(rank_change_status s) {
  switch (s) {
    case rank_change_status::moved: return "";   // ranked in both years: the change says it all
    case rank_change_status::new_entrant: return "新进";
    case rank_change_status::no_previous_rank: return "上年未排名";
    case rank_change_status::vetoed: return "一票否决";
    case rank_change_status::unranked: return "未排名";
  }
  return "";
}

class sheet_writer {
 public:
  sheet_writer(lxw_workbook* wb, const char* name, lxw_format* header, lxw_format* number)
      : ws_(workbook_add_worksheet(wb, name)), header_(header), number_(number) {}
  void head(const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < cells.size(); ++c)
      worksheet_write_string(ws_, 0, static_cast<lxw_col>(c), cells[c].c_str(), header_);
    worksheet_freeze_panes(ws_, 1, 0);
    worksheet_set_column(ws_, 0, static_cast<lxw_col>(cells.size()), 12, nullptr);
  }
  void text(lxw_row r, lxw_col c, const std::string& s) { worksheet_write_string(ws_, r, c, s.c_str(), nullptr); }
  void number(lxw_row r, lxw_col c, double x, lxw_format* f = nullptr) {
    if (std::isnan(x)) return;   // missing stays an empty cell
    worksheet_write_number(ws_, r, c, x, f ? f : number_);
  }
  void comment(lxw_row r, lxw_col c, const std::string& s) { worksheet_write_comment(ws_, r, c, s.c_str()); }
  lxw_worksheet* raw() { return ws_; }

 private:
  lxw_worksheet* ws_;
  lxw_format* header_;
  lxw_format* number_;
};

}  // namespace

bool workbook_available() { return true; }

void write_workbook(const result& r, const dataset& data, const std::string& file, const workbook_options& options) {
  const framework& fw = r.model;
  const pool_result& pool = r.pool(options.grouping);
  pool.require_every_node("the workbook", true);
  const detail::value_tables values = detail::raw_and_used(r, data, options.grouping);
  const contribution_table contrib = contributions(r, options.grouping);

  lxw_workbook* wb = workbook_new(file.c_str());
  if (!wb) throw error(fmt::format("{}: cannot create the workbook", file));
  lxw_format* header = workbook_add_format(wb);
  format_set_bold(header);
  format_set_bg_color(header, 0xE8EDF3);
  format_set_text_wrap(header);
  lxw_format* number = workbook_add_format(wb);
  format_set_num_format(number, "0.00");
  lxw_format* whole = workbook_add_format(wb);
  format_set_num_format(whole, "0");
  lxw_format* imputed = workbook_add_format(wb);
  format_set_num_format(imputed, "0.00");
  format_set_bg_color(imputed, 0xFFF2CC);
  lxw_format* treated = workbook_add_format(wb);
  format_set_num_format(treated, "0.00");
  format_set_bg_color(treated, 0xFCE4D6);
  lxw_format* change_format = workbook_add_format(wb);
  format_set_num_format(change_format, "+0;-0;0");

  const auto n = r.unit_ids.size();
  const auto& inds = fw.indicators();
  std::vector<std::string> unit_head = {"代码", "名称", "组别"};
  auto unit_cells = [&](sheet_writer& s, std::size_t u) {
    const auto row = static_cast<lxw_row>(u + 1);
    s.text(row, 0, r.unit_ids[u]);
    s.text(row, 1, r.unit_names[u]);
    s.text(row, 2, pool.labels[u]);
  };
  auto indicator_head = [&](std::vector<std::string> head) {
    for (int k : inds) head.push_back(name_of(fw.at(k)));
    return head;
  };

  {  // raw
    sheet_writer s(wb, "原始数据", header, number);
    s.head(indicator_head(unit_head));
    for (std::size_t u = 0; u < n; ++u) {
      unit_cells(s, u);
      for (std::size_t j = 0; j < inds.size(); ++j)
        s.number(static_cast<lxw_row>(u + 1), static_cast<lxw_col>(3 + j), values.raw(static_cast<Eigen::Index>(u), static_cast<Eigen::Index>(j)));
    }
  }
  {  // prepared
    sheet_writer s(wb, "处理后数据", header, number);
    s.head(indicator_head(unit_head));
    for (std::size_t u = 0; u < n; ++u) {
      unit_cells(s, u);
      for (std::size_t j = 0; j < inds.size(); ++j) {
        const double raw = values.raw(static_cast<Eigen::Index>(u), static_cast<Eigen::Index>(j));
        const double used = values.used(static_cast<Eigen::Index>(u), static_cast<Eigen::Index>(j));
        const auto row = static_cast<lxw_row>(u + 1);
        const auto col = static_cast<lxw_col>(3 + j);
        if (std::isnan(raw) && !std::isnan(used)) {
          s.number(row, col, used, imputed);
          s.comment(row, col, "插补 (imputed)");
        } else if (!std::isnan(raw) && raw != used) {
          s.number(row, col, used, treated);
          s.comment(row, col, fmt::format("异常值处理 (treated): 原始值 {}", raw));
        } else {
          s.number(row, col, used);
        }
      }
    }
  }
  {  // normalised
    sheet_writer s(wb, "标准化", header, number);
    s.head(indicator_head(unit_head));
    for (std::size_t u = 0; u < n; ++u) {
      unit_cells(s, u);
      for (std::size_t j = 0; j < inds.size(); ++j)
        s.number(static_cast<lxw_row>(u + 1), static_cast<lxw_col>(3 + j), pool.normalised(static_cast<Eigen::Index>(u), static_cast<Eigen::Index>(j)));
    }
  }
  {  // contributions
    sheet_writer s(wb, "贡献分解", header, number);
    std::vector<std::string> head = indicator_head(unit_head);
    head.insert(head.end(), {"重新标度项", "加减分", contrib.scale == contribution_scale::log_score ? "合计(ln 得分)" : "合计"});
    s.head(head);
    for (std::size_t u = 0; u < n; ++u) {
      unit_cells(s, u);
      const auto row = static_cast<lxw_row>(u + 1);
      const auto ur = static_cast<Eigen::Index>(u);
      for (std::size_t j = 0; j < inds.size(); ++j) s.number(row, static_cast<lxw_col>(3 + j), contrib.node(ur, inds[j]));
      const auto c = static_cast<lxw_col>(3 + inds.size());
      s.number(row, c, contrib.rescaling[ur]);
      s.number(row, c + 1, contrib.adjustment[ur]);
      s.number(row, c + 2, contrib.total(u));
    }
  }
  {  // scores and ranks, every level, every pooling of the result
    sheet_writer s(wb, "得分与排名", header, number);
    std::vector<std::string> head = {"排名口径", "组别", "代码", "名称"};
    for (std::size_t k = 0; k < fw.nodes().size(); ++k) {
      head.push_back(name_of(fw.at(static_cast<int>(k))) + " 得分");
      head.push_back(name_of(fw.at(static_cast<int>(k))) + " 排名");
    }
    head.push_back("备注");
    s.head(head);
    lxw_row row = 1;
    for (const pool_result& p : r.pools) {
      const Eigen::MatrixXd ranks = r.rank_matrix(p);
      for (std::size_t u = 0; u < n; ++u, ++row) {
        s.text(row, 0, p.grouping.empty() ? "全部" : p.grouping);
        s.text(row, 1, p.labels[u]);
        s.text(row, 2, r.unit_ids[u]);
        s.text(row, 3, r.unit_names[u]);
        for (std::size_t k = 0; k < fw.nodes().size(); ++k) {
          s.number(row, static_cast<lxw_col>(4 + 2 * k), p.scores(static_cast<Eigen::Index>(u), static_cast<Eigen::Index>(k)));
          s.number(row, static_cast<lxw_col>(5 + 2 * k), ranks(static_cast<Eigen::Index>(u), static_cast<Eigen::Index>(k)), whole);
        }
        const auto ex = r.excluded.find(r.unit_ids[u]);
        if (ex != r.excluded.end()) s.text(row, static_cast<lxw_col>(4 + 2 * fw.nodes().size()), ex->second);
      }
    }
  }
  {  // changes
    sheet_writer s(wb, "排名变化", header, number);
    s.head({"代码", "名称", "组别", "上年排名", "本年排名", "排名变化", "状态"});
    lxw_row row = 1;
    for (const rank_change& c : options.changes) {
      s.text(row, 0, c.unit);
      s.text(row, 1, c.name);
      s.text(row, 2, c.pool);
      s.number(row, 3, c.previous, whole);
      s.number(row, 4, c.current, whole);
      s.number(row, 5, c.change, change_format);
      s.text(row, 6, status_zh(c.status));
      ++row;
    }
  }
  if (options.audit) {
    sheet_writer s(wb, "统计检验", header, number);
    s.head({"代码", "指标", "所属", "有效值", "缺失比例", "变异系数", "偏度(处理前)", "峰度(处理前)", "偏度(处理后)",
            "峰度(处理后)", "与上级 Pearson r", "与上级 Spearman ρ", "与总分 Pearson r", "与总分 Spearman ρ", "缺失多",
            "变异小"});
    lxw_row row = 1;
    for (const indicator_audit& a : options.audit->indicators) {
      s.text(row, 0, a.id);
      s.text(row, 1, a.name);
      s.text(row, 2, a.parent);
      s.number(row, 3, static_cast<double>(a.present), whole);
      const double cells[] = {a.missing_share, a.cv, a.skew_before, a.kurtosis_before, a.skew_after, a.kurtosis_after,
                              a.pearson_parent, a.spearman_parent, a.pearson_index, a.spearman_index};
      for (std::size_t c = 0; c < std::size(cells); ++c) s.number(row, static_cast<lxw_col>(4 + c), cells[c]);
      s.text(row, 14, a.many_missing ? "是" : "");
      s.text(row, 15, a.low_variation ? "是" : "");
      ++row;
    }
    ++row;
    s.text(row++, 0, "节点");
    for (const category_audit& c : options.audit->categories) {
      s.text(row, 0, c.id);
      s.text(row, 1, c.name);
      s.text(row, 2, "Cronbach α");
      s.number(row, 3, c.alpha);
      if (c.pca.explained.size()) {
        s.text(row, 4, "第一主成分解释方差");
        s.number(row, 5, c.pca.explained[0]);
      }
      ++row;
    }
    ++row;   // the Pearson matrix between the normalised indicators, ids on both edges
    s.text(row, 0, "Pearson r");
    const auto& ids = options.audit->indicator_ids;
    for (std::size_t j = 0; j < ids.size(); ++j) s.text(row, static_cast<lxw_col>(1 + j), ids[j]);
    ++row;
    for (std::size_t i = 0; i < ids.size(); ++i, ++row) {
      s.text(row, 0, ids[i]);
      for (std::size_t j = 0; j < ids.size(); ++j)
        s.number(row, static_cast<lxw_col>(1 + j), options.audit->pearson(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)));
    }
  }
  if (const lxw_error err = workbook_close(wb); err != LXW_NO_ERROR)
    throw error(fmt::format("{}: the workbook could not be written: {}", file, lxw_strerror(err)));
}

}  // namespace parkscore
