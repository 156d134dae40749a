// The bundled presets: structure, points in every weight set, and an evaluation
// whose extremes are known without computing (best in its pool 100, worst 60).
#include <doctest/doctest.h>

#include <map>
#include <numeric>

#include "parkscore/engine/evaluate.hpp"
#include "parkscore/error.hpp"
#include "parkscore/model/framework_io.hpp"
#include "parkscore/model/weight_set.hpp"
#include "tolerance.hpp"

using namespace parkscore;
using namespace parkscore::test;

namespace {

// Points of each category and of each of its children (the 32 / 30 indicators) under a weight set.
std::map<std::string, double> points(const framework& fw, const std::string& set) {
  const std::vector<double> share = apply_weight_set(fw, set).absolute_weights();
  std::map<std::string, double> out;
  for (int c : fw.root().children) {
    out[fw.at(c).id] = share[static_cast<std::size_t>(c)] * fw.scores.total_points;
    for (int i : fw.at(c).children) out[fw.at(i).id] = share[static_cast<std::size_t>(i)] * fw.scores.total_points;
  }
  return out;
}

std::size_t indicator_count(const framework& fw) {
  std::size_t n = 0;
  for (int c : fw.root().children) n += fw.at(c).children.size();
  return n;
}

}  // namespace

TEST_CASE("jiangsu-2021: 5 categories, 32 indicators, points as in the design note") {
  const framework fw = load_preset("jiangsu-2021");
  REQUIRE(fw.root().children.size() == 5);
  CHECK(indicator_count(fw) == 32);
  CHECK(weight_set_names(fw) == std::vector<std::string>{"JS-A", "JS-M"});
  CHECK(fw.pools == std::vector<std::string>{"level", "", "region"});
  // JS-A: the file's weights are the points themselves.
  const auto a = points(fw, "JS-A");
  CHECK(a.at("ECO") == approx(25));
  CHECK(a.at("OPEN") == approx(25));
  CHECK(a.at("INNO") == approx(20));
  CHECK(a.at("GREEN") == approx(15));
  CHECK(a.at("COORD") == approx(15));
  for (const auto& entry : std::map<std::string, double>{{"E1", 4}, {"E2", 4}, {"E3", 3}, {"E7", 3}, {"E8", 2}, {"O4", 4},
                                                         {"O5", 3}, {"I6", 3}, {"I7", 2}, {"G3", 3}, {"G4", 2}, {"C3", 4},
                                                         {"C4", 3}}) {
    const auto& [id, p] = entry;
    const std::string& name = id;   // clang 14 (the sanitizer build) cannot capture a structured binding
    CAPTURE(name);
    CHECK(a.at(id) == approx(p));
    CHECK(fw.at(fw.index_of(id)).weight == p);
  }
  // JS-M: 30/30/15/15/10, indicators scaled within the category: E1 = 4 x 30/25 = 4.8, C4 = 3 x 10/15 = 2.
  const auto m = points(fw, "JS-M");
  CHECK(m.at("ECO") == approx(30));
  CHECK(m.at("COORD") == approx(10));
  CHECK(m.at("E1") == approx(4.8));
  CHECK(m.at("I7") == approx(1.5));
  CHECK(m.at("C4") == approx(2));
  for (const std::string& set : weight_set_names(fw)) {
    CAPTURE(set);
    const auto p = points(fw, set);
    double total = 0;
    for (int c : fw.root().children)
      for (int i : fw.at(c).children) total += p.at(fw.at(i).id);
    CHECK(total == approx(100));
  }
  // Status on every indicator; 12 published names.
  int published = 0;
  for (int c : fw.root().children)
    for (int i : fw.at(c).children) {
      CHECK((fw.at(i).status == "published" || fw.at(i).status == "assumed"));
      published += fw.at(i).status == "published";
    }
  CHECK(published == 12);
  // Growth parts are clipped to [-20%, +50%], level and growth split 50/50.
  CHECK(*fw.at(fw.index_of("E1_growth")).norm.clip_lo == -0.2);
  CHECK(*fw.at(fw.index_of("O2_growth")).norm.clip_hi == 0.5);
  CHECK(!fw.at(fw.index_of("O3_share")).norm.clip_hi);
  CHECK(fw.rules.veto.size() == 2);
  CHECK(fw.rules.adjustments.items.size() == 5);
  CHECK(*fw.rules.adjustments.max_deduction == 5);
}

TEST_CASE("mofcom-2021: 5 categories 30/30/15/15/10, 30 indicators, regional pools") {
  const framework fw = load_preset("mofcom-2021");
  REQUIRE(fw.root().children.size() == 5);
  CHECK(indicator_count(fw) == 30);
  const auto p = points(fw, "MOFCOM-2021");
  CHECK(p.at("OPEN") == approx(30));
  CHECK(p.at("QUAL") == approx(30));
  CHECK(p.at("INNO") == approx(15));
  CHECK(p.at("GREEN") == approx(15));
  CHECK(p.at("COORD") == approx(10));
  CHECK(fw.at(fw.index_of("OPEN")).children.size() == 7);
  CHECK(fw.at(fw.index_of("INNO")).children.size() == 6);
  CHECK(fw.at(fw.index_of("GREEN")).children.size() == 5);
  CHECK(fw.at(fw.index_of("COORD")).children.size() == 4);
  double total = 0;
  for (int c : fw.root().children)
    for (int i : fw.at(c).children) total += p.at(fw.at(i).id);
  CHECK(total == approx(100));
  CHECK(fw.pools == std::vector<std::string>{"region", ""});
}

TEST_CASE("jiangsu-2021 evaluates: per pool the best zone scores 100, the worst 60, a vetoed zone has no rank") {
  const framework fw = load_preset("jiangsu-2021");
  std::vector<std::string> columns = fw.indicator_ids();
  for (const event_column& e : fw.rules.events) columns.push_back(e.id);
  // Six zones; zone i has value (i + 1) / 100 in every indicator (so higher-is-better ones rise, lower-is-better fall);
  // as growth rates, (i + 1) / 100 stays inside the caps.
  const auto n_ind = static_cast<Eigen::Index>(fw.indicator_ids().size());
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(6, static_cast<Eigen::Index>(columns.size()));
  for (Eigen::Index i = 0; i < 6; ++i)
    for (Eigen::Index j = 0; j < n_ind; ++j) x(i, j) = static_cast<double>(i + 1) / 100;
  dataset d({"p1", "p2", "p3", "n1", "n2", "n3"}, columns, x);
  d.set_group("level", {"provincial", "provincial", "provincial", "national", "national", "national"});
  d.set_group("region", {"苏南", "苏中", "苏北", "苏南", "苏中", "苏北"});
  const result r = evaluate(fw, d);
  // Lower-is-better indicators (G1, G2, G5; 3 + 3 + 2 = 8 points) reverse: the top zone gets 60% there.
  // Top of each level pool: 92 x 1 + 8 x 0.6 = 96.8; bottom: 92 x 0.6 + 8 = 63.2; middle: 80.
  CHECK(r.score("p3", "index", "level") == approx(96.8));
  CHECK(r.score("p1", "index", "level") == approx(63.2));
  CHECK(r.score("n2", "index", "level") == approx(80));
  CHECK(r.rank("n3", "index", "level") == 1);
  // All zones in one pool: p1 lowest, n3 highest, the same extremes.
  CHECK(r.score("n3", "index") == approx(96.8));
  CHECK(r.rank("p1", "index") == 6);

  // A major accident vetoes n3; a larger safety accident deducts 1 point from p1.
  x(5, n_ind) = 1;       // major_safety_accident
  x(0, n_ind + 6) = 1;   // larger_safety_accidents
  dataset d2({"p1", "p2", "p3", "n1", "n2", "n3"}, columns, x);
  d2.set_group("level", d.group("level"));
  d2.set_group("region", d.group("region"));
  const result v = evaluate(fw, d2);
  CHECK(std::isnan(v.rank("n3", "index", "level")));
  CHECK(v.excluded.at("n3").find("重大及以上生产安全事故") != std::string::npos);
  CHECK(v.rank("n2", "index", "level") == 1);
  CHECK(v.score("p1", "index", "level") == approx(62.2));
}

TEST_CASE("presets declare the scale of every indicator; growth rates and shares are fractions") {
  for (const char* name : {"jiangsu-2021", "mofcom-2021"}) {
    CAPTURE(name);
    const framework fw = load_preset(name);
    for (int k : fw.indicators()) {
      const node& n = fw.at(k);
      CAPTURE(n.id);
      CHECK(n.scale.kind != scale_kind::unspecified);
      // A clip below 1 only makes sense for a fraction: the growth caps [-0.2, 0.5].
      if (n.norm.clip_hi && *n.norm.clip_hi < 1) CHECK(n.scale.kind == scale_kind::fraction);
      if (n.unit == "%") CHECK(n.scale.kind == scale_kind::fraction);
      if (n.unit == "亿元") CHECK(n.scale.convert.at("万元") == 1e-4);
    }
  }
  const framework js = load_preset("jiangsu-2021");
  REQUIRE(!js.groups.empty());
  CHECK(js.groups[0].id == "level");
  CHECK(js.groups[0].name == "开发区类别");
  CHECK(js.groups[0].labels.at("provincial") == std::vector<std::string>{"省级", "省级开发区"});
  // The keys survive a save and load.
  CHECK(parse_framework(to_json(js), "round trip") == js);
}

TEST_CASE("scale and groups keys are strict") {
  const std::string head = R"({"format": "parkscore-framework", "version": 1, "index": {"id": "i", "children": [
    {"id": "x", "direction": "higher", "scale": )";
  CHECK_THROWS_WITH_AS(parse_framework(head + R"("percent"}]}})", "f.json"),
                       doctest::Contains("f.json: /index/children/0/scale: unknown scale 'percent'"), schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(head + R"({"unit": "亿元", "convert": {"万元": 0}}}]}})", "f.json"),
                       doctest::Contains("/index/children/0/scale/convert/万元: the factor must be a positive number"),
                       schema_error);
  CHECK_THROWS_WITH_AS(parse_framework(head + R"({"unit": "亿元", "factor": 2}}]}})", "f.json"),
                       doctest::Contains("/index/children/0/scale/factor: unknown key 'factor'"), schema_error);
  CHECK_THROWS_WITH_AS(
      parse_framework(R"({"format": "parkscore-framework", "version": 1, "groups": [{"id": "level", "labels": {"a": ["x"], "b": ["x"]}}],
                          "index": {"id": "i", "children": [{"id": "x", "direction": "higher"}]}})", "f.json"),
      doctest::Contains("f.json: /groups/0/labels/b/0: 'x' is empty or given for two labels"), schema_error);
}
