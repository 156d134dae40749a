#include <fmt/format.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <utility>

#include "model/enum_names.hpp"
#include "model/framework_check.hpp"
#include "model/json_cursor.hpp"
#include "model/strict_json.hpp"
#include "parkscore/error.hpp"
#include "parkscore/model/conventions.hpp"
#include "parkscore/model/framework_io.hpp"
#include "parkscore/methods/weight.hpp"
#include "model/preparation_json.hpp"
#include "prepare/preparation_names.hpp"
#include "rules/rules_json.hpp"
#include "model/weighting_json.hpp"
#include "model/scale_json.hpp"
#include "io/text_file.hpp"

namespace parkscore {

namespace {

using detail::json_cursor;
using nlohmann::json;
using ordered = nlohmann::ordered_json;

constexpr const char* format_name = "parkscore-framework";
constexpr const char* all_units = "all";   // the pool name of "all units" in files

struct defaults {
  normalisation norm;
  aggregation agg;
  treatment treat;
  weighting_spec weighting;   // entropy and variation options of data-driven weightings
};

normalisation read_normalisation(const json_cursor& c, normalisation n) {
  c.allow_only({"method", "lo", "hi", "target_mean", "target_sd", "gp_min", "gp_max", "clamp", "log", "target",
                "benchmark", "cap", "d0", "c", "x_s", "x_h", "zero_range", "clip", "benchmark_factor", "tiers", "ties",
                "percentile", "statistic", "quantile", "thresholds", "scores", "relative", "sd"});
  c.read("method", n.method, detail::normalisation_names);
  c.read("lo", n.lo);
  c.read("hi", n.hi);
  c.read("target_mean", n.target_mean);
  c.read("target_sd", n.target_sd);
  c.read("gp_min", n.gp_min);
  c.read("gp_max", n.gp_max);
  c.read("clamp", n.clamp);
  c.read("log", n.log);
  c.read("target", n.target);
  c.read("benchmark", n.benchmark);
  c.read("cap", n.cap);
  c.read("d0", n.d0);
  c.read("c", n.c);
  c.read("x_s", n.x_s);
  c.read("x_h", n.x_h);
  c.read("zero_range", n.zero_range, detail::zero_range_names);
  if (c.has("ties")) n.ties = c.at("ties").as_enum(detail::rank_ties_names);
  c.read("percentile", n.percentile, detail::percentile_formula_names);
  c.read("statistic", n.statistic, detail::pool_statistic_names);
  c.read("quantile", n.quantile);
  c.read("sd", n.sd, detail::sd_divisor_names);
  c.read("relative", n.relative);
  for (const auto& [key, list] : {std::pair{"thresholds", &n.thresholds}, std::pair{"scores", &n.band_scores}}) {
    if (!c.has(key)) continue;
    const json_cursor a = c.at(key);
    a.expect_array();
    list->clear();
    for (std::size_t i = 0; i < a.value().size(); ++i) list->push_back(a.at(i).as_number());
  }
  detail::read_normalisation_extras(c, n);
  return n;
}

aggregation read_aggregation(const json_cursor& c, aggregation a) {
  c.allow_only({"method", "power", "min_coverage", "zero_policy", "floor", "topsis_weights"});
  c.read("method", a.method, detail::aggregation_names);
  c.read("power", a.power);
  c.read("min_coverage", a.min_coverage);
  c.read("zero_policy", a.zeros, detail::zero_policy_names);
  c.read("floor", a.floor);
  c.read("topsis_weights", a.topsis, detail::topsis_weighting_names);
  return a;
}

rescaling read_rescaling(const json_cursor& c) {
  c.allow_only({"method", "lo", "hi"});
  rescaling r;
  c.read("method", r.method, detail::rescale_names);
  c.read("lo", r.lo);
  c.read("hi", r.hi);
  return r;
}

// An AHP judgement: a number or a fraction written as text, e.g. "1/3".
double read_judgement(const json_cursor& c) {
  if (c.value().is_number()) return c.as_number();
  const std::string text = c.as_string();
  const auto slash = text.find('/');
  try {
    std::size_t used = 0;
    const double num = std::stod(text.substr(0, slash), &used);
    if (used != text.substr(0, slash).size()) throw std::invalid_argument(text);
    if (slash == std::string::npos) return num;
    const std::string rest = text.substr(slash + 1);
    const double den = std::stod(rest, &used);
    if (used != rest.size() || den == 0) throw std::invalid_argument(text);
    return num / den;
  } catch (const std::exception&) {
    c.fail(fmt::format("expected a number or a fraction such as \"1/3\", got \"{}\"", text));
  }
}

weighting_spec read_weighting(const json_cursor& c, const weighting_spec& base = {}) {
  c.expect_object();
  if (!c.has("method")) c.fail("a weighting needs a \"method\"");
  weighting_spec w;
  w.entropy = base.entropy;
  w.variation = base.variation;
  c.read("method", w.method, detail::weighting_method_names);
  switch (w.method) {
    case weighting_method::fixed:
    case weighting_method::equal: c.allow_only({"method"}); break;
    case weighting_method::ahp: {
      c.allow_only({"method", "matrix", "ahp_method", "ri_table", "max_cr", "allow_inconsistent",
                    "reciprocal_tolerance"});
      if (!c.has("matrix")) c.fail("an AHP weighting needs a \"matrix\" of pairwise comparisons");
      const json_cursor m = c.at("matrix");
      m.expect_array();
      for (std::size_t i = 0; i < m.value().size(); ++i) {
        const json_cursor row = m.at(i);
        row.expect_array();
        if (row.value().size() != m.value().size())
          row.fail(fmt::format("row {} has {} entries; the matrix must be square ({} x {})", i, row.value().size(),
                               m.value().size(), m.value().size()));
        std::vector<double> values;
        for (std::size_t j = 0; j < row.value().size(); ++j) values.push_back(read_judgement(row.at(j)));
        w.matrix.push_back(std::move(values));
      }
      c.read("ahp_method", w.ahp.method, detail::ahp_method_names);
      c.read("ri_table", w.ahp.ri, detail::ri_table_names);
      c.read("max_cr", w.ahp.max_cr);
      c.read("allow_inconsistent", w.ahp.allow_inconsistent);
      c.read("reciprocal_tolerance", w.ahp.reciprocal_tolerance);
      break;
    }
    case weighting_method::entropy:
      c.allow_only({"method", "policy", "shift"});
      c.read("policy", w.entropy.policy, detail::entropy_policy_names);
      c.read("shift", w.entropy.shift);
      if (!(w.entropy.shift > 0)) c.at("shift").fail(fmt::format("the shift must be > 0, got {}", w.entropy.shift));
      break;
    case weighting_method::critic:
      c.allow_only({"method", "correlation"});
      c.read("correlation", w.critic.correlation, detail::critic_correlation_names);
      break;
    case weighting_method::variation:
      c.allow_only({"method", "sd"});
      c.read("sd", w.variation.sd, detail::sd_divisor_names);
      break;
    case weighting_method::pca:
      c.allow_only({"method", "min_eigenvalue", "min_cumulative", "kaiser_normalise"});
      c.read("min_eigenvalue", w.pca.min_eigenvalue);
      c.read("min_cumulative", w.pca.min_cumulative);
      c.read("kaiser_normalise", w.pca.kaiser_normalise);
      break;
    case weighting_method::combined:
      c.allow_only({"method", "combination", "alpha", "subjective", "objective"});
      c.read("combination", w.combine, detail::combination_names);
      c.read("alpha", w.alpha);
      if (!(w.alpha >= 0 && w.alpha <= 1)) c.at("alpha").fail(fmt::format("alpha must be in [0, 1], got {}", w.alpha));
      for (const char* key : {"subjective", "objective"}) {
        if (!c.has(key)) c.fail(fmt::format("a combined weighting needs \"{}\"", key));
        w.parts.push_back(read_weighting(c.at(key), base));
      }
      break;
  }
  return w;
}

// Subjective weightings need no data: check them (AHP size, reciprocity, CR) at load time.
void check_weighting(const json_cursor& c, const weighting_spec& w, const framework& fw, const node& n) {
  if (w.method == weighting_method::combined) {
    check_weighting(c.at("subjective"), w.parts[0], fw, n);
    check_weighting(c.at("objective"), w.parts[1], fw, n);
    return;
  }
  if (w.method != weighting_method::ahp) return;
  if (w.matrix.size() != n.children.size())
    c.at("matrix").fail(fmt::format("the comparison matrix is {} x {} but node '{}' has {} children", w.matrix.size(),
                                    w.matrix.size(), n.id, n.children.size()));
  std::vector<std::string> names;
  for (int child : n.children) names.push_back(fw.at(child).id);
  try {
    derive_weights(w, Eigen::MatrixXd(0, 0), Eigen::VectorXd::Ones(static_cast<Eigen::Index>(names.size())), names);
  } catch (const method_error& e) {
    c.fail(e.what());
  }
}

// "conventions": a set name, or {"set": name, option: value, ...}; fills the defaults the rest
// of the file starts from (docs/conventions.md).
std::string read_conventions(const json_cursor& c, defaults& d, screening& screen, ranking& rank_rule) {
  const bool is_object = c.value().is_object();
  if (is_object) {
    c.allow_only({"set", "zero_range", "rank_ties", "percentile", "sd", "topsis_weights", "log_form",
                  "winsorise_budget", "screening_order", "group_ranks", "entropy", "entropy_shift"});
    if (!c.has("set")) c.fail("\"conventions\" needs a \"set\" (parkscore, coinr, spssau or pymcdm)");
  }
  const json_cursor name_at = is_object ? c.at("set") : c;
  const std::string name = name_at.as_string();
  convention_defaults set;
  try {
    set = convention_set(name);
  } catch (const schema_error& e) {
    name_at.fail(e.what());
  }
  d.norm = set.norm;
  d.agg = set.agg;
  d.treat = set.treat;
  d.weighting.entropy = set.entropy;
  d.weighting.variation = set.variation;
  screen = set.screen;
  rank_rule = set.rank_rule;
  if (!is_object) return name;
  c.read("zero_range", d.norm.zero_range, detail::zero_range_names);
  if (c.has("rank_ties")) d.norm.ties = c.at("rank_ties").as_enum(detail::rank_ties_names);
  c.read("percentile", d.norm.percentile, detail::percentile_formula_names);
  if (c.has("sd")) {
    d.norm.sd = d.weighting.variation.sd = c.at("sd").as_enum(detail::sd_divisor_names);
  }
  c.read("topsis_weights", d.agg.topsis, detail::topsis_weighting_names);
  c.read("log_form", d.treat.log, detail::log_form_names);
  c.read("winsorise_budget", d.treat.budget, detail::winsorise_budget_names);
  c.read("screening_order", screen.order, detail::screening_order_names);
  c.read("group_ranks", rank_rule.groups, detail::group_scores_names);
  c.read("entropy", d.weighting.entropy.policy, detail::entropy_policy_names);
  c.read("entropy_shift", d.weighting.entropy.shift);
  if (!(d.weighting.entropy.shift > 0))
    c.at("entropy_shift").fail(fmt::format("the shift must be > 0, got {}", d.weighting.entropy.shift));
  return name;
}

// Reads a node and its subtree into `fw` below `parent_id` (empty for the root);
// `paths` gets each node's JSON path, by node index.
void read_node(const json_cursor& c, const defaults& d, framework& fw, const std::string& parent_id,
               std::vector<std::string>& paths) {
  c.allow_only({"id", "name", "name_en", "description", "weight", "children", "aggregation", "rescale", "direction",
                "unit", "normalisation", "status", "imputation", "treatment", "weighting", "scale"});
  if (!c.has("id")) c.fail("a node needs an \"id\"");
  node n;
  n.id = c.at("id").as_string();
  if (n.id.empty()) c.at("id").fail("the id must not be empty");
  c.read("name", n.name);
  c.read("name_en", n.name_en);
  c.read("description", n.description);
  c.read("weight", n.weight);
  c.read("status", n.status);   // indicators and compound indicators
  if (c.has("weight") && (n.weight < 0)) c.at("weight").fail(fmt::format("weights must be >= 0, got {}", n.weight));
  if (parent_id.empty() && !c.has("children"))
    c.fail(fmt::format("the index '{}' needs \"children\": the root aggregates categories or indicators and cannot "
                       "itself be an indicator{}", n.id, c.has("direction") ? " (it has a \"direction\")" : ""));
  if (!c.has("children") && !c.has("direction"))
    c.fail(fmt::format("indicator '{}' needs a \"direction\" (higher or lower); a category needs \"children\" "
                       "instead", n.id));
  const bool is_aggregate = c.has("children") || parent_id.empty();
  if (is_aggregate) {
    for (const char* key : {"direction", "unit", "normalisation", "imputation", "treatment", "scale"})
      if (c.has(key)) c.at(key).fail(fmt::format("'{}' belongs to indicators; node '{}' has children", key, n.id));
    n.agg = c.has("aggregation") ? read_aggregation(c.at("aggregation"), d.agg) : d.agg;
    if (c.has("rescale")) n.rescale = read_rescaling(c.at("rescale"));
    if (c.has("weighting")) n.weighting = read_weighting(c.at("weighting"), d.weighting);
  } else {
    for (const char* key : {"aggregation", "rescale", "weighting"})
      if (c.has(key)) c.at(key).fail(fmt::format("'{}' belongs to nodes with children; '{}' is an indicator", key, n.id));
    n.dir = c.at("direction").as_enum(detail::direction_names);
    c.read("unit", n.unit);
    if (c.has("scale")) n.scale = detail::read_scale(c.at("scale"));
    n.norm = c.has("normalisation") ? read_normalisation(c.at("normalisation"), d.norm) : d.norm;
    if (c.has("imputation")) n.impute = detail::read_imputation(c.at("imputation"));
    n.treat = c.has("treatment") ? detail::read_treatment(c.at("treatment"), d.treat) : d.treat;
  }

  try {
    if (parent_id.empty()) {
      n.kind = node_kind::aggregate;
      fw.root() = n;
      paths.assign(1, c.path());
    } else if (is_aggregate) {
      fw.add_category(parent_id, n);
      paths.push_back(c.path());
    } else {
      fw.add_indicator(parent_id, n);
      paths.push_back(c.path());
    }
  } catch (const schema_error& e) {
    c.fail(e.what());
  }
  if (!is_aggregate) return;
  const json_cursor children = c.at("children");
  children.expect_array();
  if (children.value().empty()) children.fail(fmt::format("node '{}' has no children", n.id));
  const std::string& id = n.id;
  for (std::size_t i = 0; i < children.value().size(); ++i) read_node(children.at(i), d, fw, id, paths);
  if (c.has("weighting"))   // const access: a mutable at() would make the next add rebuild the id index
    check_weighting(c.at("weighting"), n.weighting, fw, std::as_const(fw).at(std::as_const(fw).index_of(id)));
}

// The deepest existing JSON location for a problem `key` (e.g. "normalisation/hi")
// of the node at `node_path`; a setting taken from "defaults" points there.
std::string problem_path(const json& doc, const std::string& node_path, const std::string& key) {
  auto exists = [&](const std::string& p) { return doc.contains(json::json_pointer(p)); };
  std::string rest = key;
  while (!rest.empty()) {
    if (exists(node_path + "/" + rest)) return node_path + "/" + rest;
    if (exists("/defaults/" + rest)) return "/defaults/" + rest;
    const auto slash = rest.rfind('/');
    rest = slash == std::string::npos ? std::string() : rest.substr(0, slash);
  }
  return node_path;
}

framework read_framework(const json_cursor& c) {
  c.allow_only({"format", "version", "id", "name", "description", "pools", "ranking", "scores", "defaults", "index",
                "weight_sets", "events", "veto", "adjustments", "derived", "imputation", "screening", "groups",
                "conventions"});
  if (!c.has("format") || c.at("format").as_string() != format_name)
    c.fail(fmt::format("not a framework file: expected \"format\": \"{}\"", format_name));
  if (!c.has("version")) c.fail("missing \"version\"");
  const int version = c.at("version").as_int();
  if (version < 1 || version > framework_format_version)
    c.at("version").fail(fmt::format("unsupported version {} (this library reads 1 to {})", version,
                                     framework_format_version));
  if (!c.has("index")) c.fail("missing \"index\", the root node of the tree");

  defaults d;
  screening screen_base;
  ranking rank_base;
  const std::string conventions =
      c.has("conventions") ? read_conventions(c.at("conventions"), d, screen_base, rank_base) : std::string();
  if (c.has("defaults")) {
    const json_cursor dc = c.at("defaults");
    dc.allow_only({"normalisation", "aggregation", "treatment"});
    if (dc.has("treatment")) d.treat = detail::read_treatment(dc.at("treatment"), d.treat);
    if (dc.has("normalisation")) d.norm = read_normalisation(dc.at("normalisation"), d.norm);
    if (dc.has("aggregation")) d.agg = read_aggregation(dc.at("aggregation"), d.agg);
  }
  framework fw("index", "");
  fw.conventions = conventions == "parkscore" ? std::string() : conventions;
  fw.screen = screen_base;
  fw.rank_rule = rank_base;
  std::vector<std::string> node_paths;
  read_node(c.at("index"), d, fw, "", node_paths);
  detail::read_rules(c, fw);
  c.read("id", fw.id);
  c.read("name", fw.name);
  c.read("description", fw.description);
  if (c.has("derived")) fw.derived = detail::read_derived(c.at("derived"));
  if (c.has("imputation")) fw.impute = detail::read_imputation(c.at("imputation"));
  if (c.has("screening")) fw.screen = detail::read_screening(c.at("screening"), screen_base);
  if (c.has("groups")) fw.groups = detail::read_groups(c.at("groups"));
  if (c.has("pools")) {
    const json_cursor pools = c.at("pools");
    pools.expect_array();
    for (std::size_t i = 0; i < pools.value().size(); ++i) {
      const std::string p = pools.at(i).as_string();
      if (p.empty()) pools.at(i).fail("a pool is a grouping column name, or \"all\"");
      fw.pools.push_back(p == all_units ? "" : p);
    }
  }
  if (c.has("ranking")) {
    const json_cursor r = c.at("ranking");
    r.allow_only({"method", "order", "ties", "round", "groups"});
    r.read("groups", fw.rank_rule.groups, detail::group_scores_names);
    r.read("method", fw.rank_rule.method, detail::rank_method_names);
    r.read("order", fw.rank_rule.order, detail::rank_order_names);
    r.read("ties", fw.rank_rule.ties, detail::tie_break_names);
    r.read("round", fw.rank_rule.round_decimals);
  }
  if (c.has("scores")) {
    const json_cursor s = c.at("scores");
    s.allow_only({"scale", "total_points"});
    s.read("scale", fw.scores.scale, detail::score_scale_names);
    s.read("total_points", fw.scores.total_points);
  }
  // Node problems point at the node's key; the rest of validate() at the section.
  for (std::size_t i = 0; i < fw.nodes().size(); ++i)
    if (const auto p = detail::check_node(fw, static_cast<int>(i)))
      json_cursor(c.value(), c.file(), problem_path(c.value(), node_paths.at(i), p->key)).fail(p->message);
  try {
    fw.validate();
  } catch (const schema_error& e) {
    // What is left concerns one section each (weight sets, rules, pools, points): point at it.
    const std::string message = e.what();
    const auto mentions = [&](const char* what) { return message.find(what) != std::string::npos; };
    const char* key = mentions("weight set")        ? "weight_sets"
                      : mentions("veto")            ? "veto"
                      : mentions("bonus/deduction") ? "adjustments"
                      : mentions("event column")    ? "events"
                      : mentions("pool '")          ? "pools"
                      : mentions("total_points")    ? "scores"
                                                    : "";
    if (*key != 0 && c.has(key)) {
      const json_cursor section = c.at(key);
      if (section.has("total_points")) section.at("total_points").fail(message);
      section.fail(message);
    }
    c.fail(message);
  }
  return fw;
}

// Writers emit only what differs from the defaults, so files stay short and
// a load -> save -> load round trip is exact.
template <class T>
void put_if_changed(ordered& j, const char* key, const T& value, const T& fallback) {
  if (!(value == fallback)) j[key] = value;
}
void put_if_set(ordered& j, const char* key, const std::optional<double>& v) {
  if (v) j[key] = *v;
}

ordered write_normalisation(const normalisation& n, const normalisation& d) {
  ordered j;
  j["method"] = detail::name_of(detail::normalisation_names, n.method);
  put_if_changed(j, "lo", n.lo, d.lo);
  put_if_changed(j, "hi", n.hi, d.hi);
  put_if_changed(j, "target_mean", n.target_mean, d.target_mean);
  put_if_changed(j, "target_sd", n.target_sd, d.target_sd);
  put_if_set(j, "gp_min", n.gp_min);
  put_if_set(j, "gp_max", n.gp_max);
  put_if_changed(j, "clamp", n.clamp, d.clamp);
  put_if_changed(j, "log", n.log, d.log);
  put_if_set(j, "target", n.target);
  put_if_set(j, "benchmark", n.benchmark);
  put_if_set(j, "cap", n.cap);
  put_if_changed(j, "d0", n.d0, d.d0);
  put_if_changed(j, "c", n.c, d.c);
  put_if_set(j, "x_s", n.x_s);
  put_if_set(j, "x_h", n.x_h);
  if (n.zero_range != d.zero_range) j["zero_range"] = detail::name_of(detail::zero_range_names, n.zero_range);
  if (n.ties && n.ties != d.ties) j["ties"] = detail::name_of(detail::rank_ties_names, *n.ties);
  if (n.percentile != d.percentile) j["percentile"] = detail::name_of(detail::percentile_formula_names, n.percentile);
  if (n.statistic != d.statistic) j["statistic"] = detail::name_of(detail::pool_statistic_names, n.statistic);
  put_if_changed(j, "quantile", n.quantile, d.quantile);
  if (n.sd != d.sd) j["sd"] = detail::name_of(detail::sd_divisor_names, n.sd);
  if (!n.thresholds.empty()) j["thresholds"] = n.thresholds;
  if (!n.band_scores.empty()) j["scores"] = n.band_scores;
  put_if_changed(j, "relative", n.relative, d.relative);
  detail::write_normalisation_extras(n, j);
  return j;
}

ordered write_weighting(const weighting_spec& w, const weighting_spec& base = {}) {
  ordered j;
  j["method"] = detail::name_of(detail::weighting_method_names, w.method);
  switch (w.method) {
    case weighting_method::ahp: {
      const ahp_options d;
      j["matrix"] = w.matrix;
      if (w.ahp.method != d.method) j["ahp_method"] = detail::name_of(detail::ahp_method_names, w.ahp.method);
      if (w.ahp.ri != d.ri) j["ri_table"] = detail::name_of(detail::ri_table_names, w.ahp.ri);
      put_if_changed(j, "max_cr", w.ahp.max_cr, d.max_cr);
      put_if_changed(j, "allow_inconsistent", w.ahp.allow_inconsistent, d.allow_inconsistent);
      put_if_changed(j, "reciprocal_tolerance", w.ahp.reciprocal_tolerance, d.reciprocal_tolerance);
      break;
    }
    case weighting_method::entropy:
      j["policy"] = detail::name_of(detail::entropy_policy_names, w.entropy.policy);
      put_if_changed(j, "shift", w.entropy.shift, base.entropy.shift);
      break;
    case weighting_method::variation:
      if (w.variation.sd != base.variation.sd) j["sd"] = detail::name_of(detail::sd_divisor_names, w.variation.sd);
      break;
    case weighting_method::critic:
      j["correlation"] = detail::name_of(detail::critic_correlation_names, w.critic.correlation);
      break;
    case weighting_method::pca: {
      const pca_options d;
      put_if_changed(j, "min_eigenvalue", w.pca.min_eigenvalue, d.min_eigenvalue);
      put_if_set(j, "min_cumulative", w.pca.min_cumulative);
      put_if_changed(j, "kaiser_normalise", w.pca.kaiser_normalise, d.kaiser_normalise);
      break;
    }
    case weighting_method::combined:
      j["combination"] = detail::name_of(detail::combination_names, w.combine);
      j["alpha"] = w.alpha;
      j["subjective"] = write_weighting(w.parts.at(0), base);
      j["objective"] = write_weighting(w.parts.at(1), base);
      break;
    default: break;
  }
  return j;
}

ordered write_node(const framework& fw, int index, const convention_defaults& d) {
  const node& n = fw.at(index);
  ordered j;
  j["id"] = n.id;
  if (!n.name.empty()) j["name"] = n.name;
  if (!n.name_en.empty()) j["name_en"] = n.name_en;
  if (!n.description.empty()) j["description"] = n.description;
  if (index != 0 || n.weight != 1.0) j["weight"] = n.weight;
  if (!n.is_indicator() && !n.status.empty()) j["status"] = n.status;
  if (n.is_indicator()) {
    j["direction"] = detail::name_of(detail::direction_names, n.dir);
    if (!n.unit.empty()) j["unit"] = n.unit;
    if (!n.status.empty()) j["status"] = n.status;
    if (n.scale.kind != scale_kind::unspecified) j["scale"] = detail::write_scale(n.scale);
    j["normalisation"] = write_normalisation(n.norm, d.norm);
    if (n.impute) j["imputation"] = detail::write_imputation(*n.impute);
    if (!(n.treat == d.treat)) j["treatment"] = detail::write_treatment(n.treat, d.treat);
    return j;
  }
  ordered agg;
  agg["method"] = detail::name_of(detail::aggregation_names, n.agg.method);
  put_if_changed(agg, "power", n.agg.power, aggregation{}.power);
  agg["min_coverage"] = n.agg.min_coverage;
  if (n.agg.zeros != d.agg.zeros) agg["zero_policy"] = detail::name_of(detail::zero_policy_names, n.agg.zeros);
  put_if_changed(agg, "floor", n.agg.floor, d.agg.floor);
  if (n.agg.topsis != d.agg.topsis) agg["topsis_weights"] = detail::name_of(detail::topsis_weighting_names, n.agg.topsis);
  j["aggregation"] = agg;
  if (n.rescale.method != rescale_method::none)
    j["rescale"] = ordered{{"method", detail::name_of(detail::rescale_names, n.rescale.method)},
                           {"lo", n.rescale.lo},
                           {"hi", n.rescale.hi}};
  weighting_spec base;
  base.entropy = d.entropy;
  base.variation = d.variation;
  if (n.weighting != weighting_spec{}) j["weighting"] = write_weighting(n.weighting, base);
  ordered children = ordered::array();
  for (int c : n.children) children.push_back(write_node(fw, c, d));
  j["children"] = children;
  return j;
}

}  // namespace

namespace detail {
weighting_spec read_weighting_json(const json_cursor& c) { return read_weighting(c); }
nlohmann::ordered_json write_weighting_json(const weighting_spec& w) { return write_weighting(w, {}); }
}  // namespace detail

framework parse_framework(std::string_view json_text, const std::string& source) {
  const json doc = detail::parse_json_strictly(json_text, source);
  return read_framework(json_cursor(doc, source));
}

framework load_framework(const std::filesystem::path& file) {
  return parse_framework(detail::read_text_file<schema_error>(file), file.string());
}

std::string to_json(const framework& model) {
  ordered j;
  j["format"] = format_name;
  j["version"] = framework_format_version;
  j["id"] = model.id;
  const convention_defaults conventions = convention_set(model.conventions);
  if (!model.conventions.empty()) j["conventions"] = model.conventions;
  if (!model.name.empty()) j["name"] = model.name;
  if (!model.description.empty()) j["description"] = model.description;
  if (!model.pools.empty()) {
    ordered pools = ordered::array();
    for (const std::string& p : model.pools) pools.push_back(p.empty() ? all_units : p);
    j["pools"] = pools;
  }
  j["ranking"] = ordered{{"method", detail::name_of(detail::rank_method_names, model.rank_rule.method)},
                         {"order", detail::name_of(detail::rank_order_names, model.rank_rule.order)},
                         {"ties", detail::name_of(detail::tie_break_names, model.rank_rule.ties)},
                         {"round", model.rank_rule.round_decimals}};
  if (model.rank_rule.groups != conventions.rank_rule.groups)
    j["ranking"]["groups"] = detail::name_of(detail::group_scores_names, model.rank_rule.groups);
  j["scores"] = ordered{{"scale", detail::name_of(detail::score_scale_names, model.scores.scale)},
                        {"total_points", model.scores.total_points}};
  detail::write_rules(model, j);
  if (!model.derived.empty()) j["derived"] = detail::write_derived(model.derived);
  if (!(model.impute == imputation{})) j["imputation"] = detail::write_imputation(model.impute);
  if (!(model.screen == conventions.screen)) j["screening"] = detail::write_screening(model.screen, conventions.screen);
  if (!model.groups.empty()) j["groups"] = detail::write_groups(model.groups);
  j["index"] = write_node(model, 0, conventions);
  return j.dump(2) + "\n";
}

void save_framework(const framework& model, const std::filesystem::path& file) {
  std::ofstream out(file, std::ios::binary);
  if (!out) throw schema_error(fmt::format("{}: cannot write the file", file.string()));
  out << to_json(model);
}

std::vector<std::string> preset_names() {
  std::vector<std::string> names;
  for (const auto& dir : preset_directories()) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
      if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
    if (!names.empty()) break;
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::filesystem::path preset_path(const std::string& name) {
  for (const auto& dir : preset_directories()) {
    const auto file = dir / (name + ".json");
    std::error_code ec;
    if (std::filesystem::is_regular_file(file, ec)) return file;
  }
  const auto names = preset_names();
  std::vector<std::string> searched;
  for (const auto& dir : preset_directories()) searched.push_back(dir.string());
  throw schema_error(fmt::format("no preset named '{}' (known: {}; folders searched: {}; set PARKSCORE_PRESET_DIR "
                                 "to a folder of preset files to add one)",
                                 name, names.empty() ? std::string("none found") : fmt::format("{}", fmt::join(names, ", ")),
                                 fmt::join(searched, ", ")));
}

framework load_preset(const std::string& name) { return load_framework(preset_path(name)); }

framework load_framework_or_preset(const std::string& name_or_path) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(name_or_path, ec)) return load_framework(name_or_path);
  // Something that looks like a file is reported as a missing file, not as an unknown preset.
  const std::filesystem::path as_path(name_or_path);
  const bool looks_like_file = as_path.has_extension() || as_path.has_parent_path();
  if (looks_like_file) {
    const std::string what = std::filesystem::exists(as_path, ec) ? "is not a regular file" : "does not exist";
    const auto names = preset_names();
    std::vector<std::string> searched;
    for (const auto& dir : preset_directories()) searched.push_back(dir.string());
    throw schema_error(fmt::format("framework file '{}' {} (a preset name has no extension; known presets: {}; "
                                   "presets are searched in: {})",
                                   name_or_path, what,
                                   names.empty() ? std::string("none found") : fmt::format("{}", fmt::join(names, ", ")),
                                   fmt::join(searched, ", ")));
  }
  return load_preset(name_or_path);
}

}  // namespace parkscore
