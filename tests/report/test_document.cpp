#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <regex>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "parkscore/engine/evaluate.hpp"
#include "parkscore/report/document.hpp"
#include "parkscore/report/sunburst.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using parkscore::test::approx;

namespace {

struct sector {
  std::string node;
  double start = 0;    // degrees clockwise from twelve o'clock, of the outer arc's first point
  double sweep = 0;    // degrees from there to the outer arc's end point
  double outer = 0;    // radius of the outer arc
  int arcs = 0;
};

// Reads the centre from the index's <circle> and each sector's outer arc from its path:
// "M x0 y0 A r r 0 large 1 x1 y1 ..." (a full ring: two half arcs).
std::vector<sector> sectors(const std::string& svg, double& cx, double& cy) {
  std::smatch m;
  REQUIRE(std::regex_search(svg, m, std::regex(R"re(<circle cx="([-\d.]+)" cy="([-\d.]+)")re")));
  cx = std::stod(m[1]);
  cy = std::stod(m[2]);
  const double x0c = cx, y0c = cy;
  auto angle = [&](double x, double y) {
    double a = std::atan2(x - x0c, -(y - y0c)) * 180 / std::numbers::pi;
    return a < -1e-9 ? a + 360 : a;
  };
  std::vector<sector> out;
  const std::regex path(R"re(<path class="seg" data-node="([^"]+)" data-share="[^"]+" d="M ([-\d.]+) ([-\d.]+) A ([-\d.]+) [-\d.]+ 0 (\d) 1 ([-\d.]+) ([-\d.]+)([^"]*)")re");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), path); it != std::sregex_iterator(); ++it) {
    const std::smatch& p = *it;
    sector s;
    s.node = p[1];
    s.start = angle(std::stod(p[2]), std::stod(p[3]));
    double end = angle(std::stod(p[6]), std::stod(p[7]));
    s.outer = std::stod(p[4]);
    s.sweep = end - s.start;
    if (s.sweep <= 1e-9) s.sweep += 360;
    const std::string rest = p[8];
    s.arcs = 1 + static_cast<int>(std::count(rest.begin(), rest.end(), 'A'));
    if (s.arcs == 4) s.sweep = 360;   // two outer half arcs (180 degrees each) and two inner ones
    out.push_back(s);
  }
  return out;
}

const sector& sector_of(const std::vector<sector>& all, const std::string& id) {
  for (const sector& s : all)
    if (s.node == id) return s;
  FAIL("no sector for " << id);
  throw;
}

}  // namespace

// two_category_framework: index -> A (weight 2: a1 1, a2 1), B (weight 1: b1 1).
// Shares of the index: A 2/3, a1 = a2 = 2/3 x 1/2 = 1/3, B = b1 = 1/3.
// Clockwise from twelve o'clock: A [0, 240), a1 [0, 120), a2 [120, 240), B and b1 [240, 360).
TEST_CASE("sunburst: every sector's angle is its share of the index x 360 degrees") {
  const std::string svg = sunburst_svg(test::two_category_framework(), {"weights", true, 70, 9});
  double cx = 0, cy = 0;
  const std::vector<sector> all = sectors(svg, cx, cy);
  REQUIRE(all.size() == 5);
  const double tol = 1e-3;   // degrees: coordinates are written with 3 decimals at radius <= 210 (error < 3e-4)
  CHECK(std::abs(sector_of(all, "A").start - (0)) < tol);
  CHECK(std::abs(sector_of(all, "A").sweep - (240)) < tol);
  CHECK(sector_of(all, "A").outer == approx(140));     // level 1: between 70 and 140
  CHECK(std::abs(sector_of(all, "a1").start - (0)) < tol);
  CHECK(std::abs(sector_of(all, "a1").sweep - (120)) < tol);
  CHECK(sector_of(all, "a1").outer == approx(210));    // level 2
  CHECK(std::abs(sector_of(all, "a2").start - (120)) < tol);
  CHECK(std::abs(sector_of(all, "a2").sweep - (120)) < tol);
  CHECK(std::abs(sector_of(all, "B").start - (240)) < tol);
  CHECK(std::abs(sector_of(all, "b1").sweep - (120)) < tol);
  // the large-arc flag is set exactly for A (240 degrees > 180)
  CHECK(svg.find("data-node=\"A\"") != std::string::npos);
  CHECK(std::regex_search(svg, std::regex(R"re(data-node="A"[^>]* d="M [-\d.]+ [-\d.]+ A [-\d.]+ [-\d.]+ 0 1 1)re")));
  CHECK(std::regex_search(svg, std::regex(R"re(data-node="a1"[^>]* d="M [-\d.]+ [-\d.]+ A [-\d.]+ [-\d.]+ 0 0 1)re")));
  // labels: names and shares; every sector names itself in a <title>
  CHECK(svg.find("<title>A 66.7%</title>") != std::string::npos);
  CHECK(svg.find(">33.3%</tspan>") != std::string::npos);
}

TEST_CASE("sunburst: a single child is a full ring, a zero weight has no sector, narrow sectors no label") {
  framework fw("index", "指数");
  fw.add_category("index", test::category("C", 1));
  fw.add_indicator("C", test::indicator("c1", 1));
  fw.add_indicator("C", test::indicator("c2", 0));    // weight 0: no sector
  fw.add_indicator("C", test::indicator("c3", 0.02)); // 0.02 / 1.02 x 360 = 7.06 degrees: below 9, no text label
  const std::string svg = sunburst_svg(fw, {});
  const double tol = 1e-3;
  double cx = 0, cy = 0;
  const std::vector<sector> all = sectors(svg, cx, cy);
  REQUIRE(all.size() == 3);
  CHECK(sector_of(all, "C").arcs == 4);
  CHECK(sector_of(all, "C").sweep == 360);
  CHECK(std::abs(sector_of(all, "c1").sweep - (360.0 / 1.02)) < tol);
  CHECK(std::abs(sector_of(all, "c3").start - (360.0 / 1.02)) < tol);
  CHECK(std::abs(sector_of(all, "c3").sweep - (360 * 0.02 / 1.02)) < tol);
  CHECK(svg.find("data-node=\"c2\"") == std::string::npos);
  CHECK(svg.find("<title>c3 2.0%</title>") != std::string::npos);
  CHECK(svg.find(">c3</tspan>") == std::string::npos);
  CHECK(svg.find(">c1</tspan>") != std::string::npos);
}

namespace {

// four_units with names; pool "level": national u1, u3; provincial u2, u4.
dataset named_units() {
  dataset d = test::four_units();
  d.set_unit_names({"甲园区", "乙园区", "丙园区", "丁园区"});
  return d;
}

struct demo {
  dataset data = named_units();
  result r = evaluate(test::two_category_framework(), data);   // pool "all"
};

}  // namespace

// Pool "all": index = 0, 52.78, 55.56, 100 -> u4 1, u3 2, u2 3, u1 4 (test_report.cpp).
TEST_CASE("document: changes, watch list, rank intervals, framework weights and a zone page, in both formats") {
  const demo d;
  document_options o;
  o.data = &d.data;
  rank_change up;   // u2 rose from 15th to 3rd
  up.unit = "u2";
  up.status = rank_change_status::moved;
  up.previous = 15;
  up.current = 3;
  up.change = 12;
  rank_change fresh;
  fresh.unit = "u4";
  fresh.status = rank_change_status::new_entrant;
  o.changes = {up, fresh};
  watch_entry w;
  w.unit = "u1";
  w.name = "甲园区";
  w.pool = "all";
  w.hit_years = {2022, 2023};
  w.rule = "jiangsu-2021";
  o.watch = {w};
  o.intervals = {{"u4", 1, 1, 1, 2}, {"u2", 3, 2.5, 2, 4}};
  o.interval_label = "90% 区间";
  o.zones = {"乙园区"};   // by name

  const std::string md = markdown_document(d.r, o);
  const std::string html = html_document(d.r, o);
  CAPTURE(md);
  for (const char* heading : {"一、综合排名", "二、分类得分与排名", "三、一票否决与预警名单", "四、排名区间（不确定性分析）",
                              "五、指标体系与权重"}) {
    CHECK(md.find(heading) != std::string::npos);
    CHECK(html.find(heading) != std::string::npos);
  }
  // ranking with the change as a signed number; a new entrant says so
  CHECK(md.find("| 3 | u2 | 乙园区 | 52.78 | 62.50 | 33.33 | +12 |") != std::string::npos);
  CHECK(md.find("| 1 | u4 | 丁园区 | 100.00 | 100.00 | 100.00 | 新进 |") != std::string::npos);
  // the watch list
  CHECK(md.find("| u1 | 甲园区 | all | 2022, 2023 | jiangsu-2021 |") != std::string::npos);
  // rank intervals, ordered by nominal rank, and their chart in the HTML
  CHECK(md.find("| u4 | 丁园区 | 1 | 1.0 | 1 | 2 |") != std::string::npos);
  CHECK(md.find("| u2 | 乙园区 | 3 | 2.5 | 2 | 4 |") != std::string::npos);
  CHECK(md.find("90% 区间") != std::string::npos);
  CHECK(html.find("class=\"interval\"") != std::string::npos);
  // framework weights: A 2/3 of the index, a1 half of A = 1/3
  CHECK(md.find("| A | A | Demo index | 66.7 | 66.67 |") != std::string::npos);
  CHECK(md.find("|   a1 | a1 | A | 50.0 | 33.33 |") != std::string::npos);
  CHECK(html.find("class=\"chart sunburst\"") != std::string::npos);
  CHECK(md.find("<svg") == std::string::npos);
  // the zone page: the office's sentence with the change, the unit above (u3: index 55.56),
  // the pool median of the index ((52.78 + 55.56) / 2 = 54.17) and, per indicator, the unit above's raw value
  CHECK(md.find("乙园区（u2）") != std::string::npos);
  CHECK(md.find("排名第3位，较上年上升12位") != std::string::npos);
  // index row: score 52.78, rank 3, points 52.78, maximum 100, lost to best 47.22, median 54.17, above 55.56
  CHECK(md.find("| Demo index | 52.78 | 3 | 52.78 | 100.00 | 47.22 | 54.17 | 55.56 |") != std::string::npos);
  // a1 of u2: raw 10, normalised 25, rank 3, points 8.33, lost 25, pool median 37.5, the unit above (u3) has 20
  CHECK(md.find("| a1 | 10.0000 | 25.00 | 3 | 8.33 | 25.00 | 37.50 | 20.0000 |") != std::string::npos);
  // HTML: A4 page breaks before the categories, the framework and the zone page
  CHECK(html.find("@page { size: A4") != std::string::npos);
  std::size_t breaks = 0;
  for (auto at = html.find("<div class=\"page-break\">"); at != std::string::npos; at = html.find("<div class=\"page-break\">", at + 1))
    ++breaks;
  CHECK(breaks == 3);

  o.lang = language::en;
  const std::string en = markdown_document(d.r, o);
  CHECK(en.find("5. Framework and weights") != std::string::npos);
  CHECK(en.find("ranked 3, up 12 on the previous year") != std::string::npos);
}

// Category A's children over the four units: a1 = 0, 25, 50, 100 and a2 = 0, 100, 50, 100
// (means 43.75 and 62.5). Sxy = 2734.375 - 703.125 - 78.125 + 2109.375 = 4062.5,
// Sxx = 5468.75, Syy = 6875, r = 4062.5 / sqrt(5468.75 x 6875) = 0.66254.
// Two variables: eigenvalues 1 + r, 1 - r; loadings on PC1 both sqrt((1 + r) / 2) = 0.912,
// on PC2 +-sqrt((1 - r) / 2) = +-0.411.
TEST_CASE("document: the audit section shows the PCA loadings") {
  const demo d;
  audit_options a;
  a.rank_reversal = false;
  document_options o;
  o.audit = audit_index(test::two_category_framework(), d.data, a);
  const std::string md = markdown_document(d.r, o);
  CAPTURE(md);
  CHECK(md.find("| A | a1 | 0.912 |") != std::string::npos);
  CHECK(md.find("| A | a2 | 0.912 |") != std::string::npos);
  CHECK(md.find("0.411 |") != std::string::npos);
  CHECK(md.find("1.663") != std::string::npos);   // the first eigenvalue 1 + r
}
