// The analysis spec: strict JSON (unknown keys, wrong types, keys of the other
// method and indicators outside the node are errors naming the JSON path).
#include <fmt/format.h>

#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>

#include "methods/mcda_names.hpp"
#include "model/json_cursor.hpp"
#include "parkscore/methods/mcda.hpp"
#include "io/text_file.hpp"

namespace parkscore {

namespace {

using detail::json_cursor;

std::size_t indicator_at(const json_cursor& c, const std::string& id, const node_indicators& below) {
  for (std::size_t j = 0; j < below.ids.size(); ++j)
    if (below.ids[j] == id) return j;
  c.fail(fmt::format("'{}' is not an indicator below node '{}' (those are: {})", id, below.node,
                     fmt::join(below.ids, ", ")));
}

// {"min": a, "max": b}, either optional.
void read_bounds(const json_cursor& c, double& lo, double& hi) {
  c.allow_only({"min", "max"});
  c.read("min", lo);
  c.read("max", hi);
  if (!(lo <= hi)) c.fail(fmt::format("min {} is above max {}", lo, hi));
}

// An object keyed by indicator id, or "*" for every indicator of the node (named entries win).
template <class Bound, class Make>
std::vector<Bound> read_per_indicator(const json_cursor& c, const node_indicators& below, Make make) {
  c.expect_object();
  std::vector<Bound> out;
  std::vector<bool> named(below.ids.size(), false);
  for (const auto& item : c.value().items())
    if (item.key() != "*") {
      const json_cursor entry = c.at(item.key());
      const std::size_t j = indicator_at(entry, item.key(), below);
      named[j] = true;
      out.push_back(make(entry, j));
    }
  if (c.has("*"))
    for (std::size_t j = 0; j < below.ids.size(); ++j)
      if (!named[j]) out.push_back(make(c.at("*"), j));
  return out;
}

void read_restrictions(const json_cursor& c, const node_indicators& below, bod_restrictions& r) {
  c.allow_only({"weights", "shares", "assurance"});
  if (c.has("weights"))
    r.weights = read_per_indicator<bod_weight_bound>(c.at("weights"), below, [](const json_cursor& e, std::size_t j) {
      bod_weight_bound b{j, 0.0, std::numeric_limits<double>::infinity()};
      read_bounds(e, b.lo, b.hi);
      if (b.lo < 0.0) e.at("min").fail(fmt::format("weights are >= 0, got min {}", b.lo));
      return b;
    });
  if (c.has("shares"))
    r.shares = read_per_indicator<bod_share_bound>(c.at("shares"), below, [](const json_cursor& e, std::size_t j) {
      bod_share_bound s{j, 0.0, 1.0};
      read_bounds(e, s.lo, s.hi);
      if (s.lo < 0.0 || s.hi > 1.0) e.fail(fmt::format("shares lie in [0, 1], got [{}, {}]", s.lo, s.hi));
      return s;
    });
  if (c.has("assurance")) {
    const json_cursor a = c.at("assurance");
    a.allow_only({"factor", "pairs"});
    if (a.has("factor")) {
      r.assurance_factor = a.at("factor").as_number();
      if (!(r.assurance_factor >= 1.0)) a.at("factor").fail(fmt::format("must be >= 1, got {}", r.assurance_factor));
    }
    if (a.has("pairs")) {
      const json_cursor pairs = a.at("pairs");
      pairs.expect_array();
      for (std::size_t k = 0; k < pairs.value().size(); ++k) {
        const json_cursor p = pairs.at(k);
        p.allow_only({"a", "b", "min", "max"});
        if (!p.has("a") || !p.has("b")) p.fail("an assurance pair needs 'a' and 'b' (indicator ids)");
        bod_assurance_pair pair;
        pair.first = indicator_at(p.at("a"), p.at("a").as_string(), below);
        pair.second = indicator_at(p.at("b"), p.at("b").as_string(), below);
        if (pair.first == pair.second) p.at("b").fail("'a' and 'b' must be different indicators");
        if (!p.has("min") || !p.has("max")) p.fail("an assurance pair needs 'min' and 'max'");
        pair.lo = p.at("min").as_number();
        pair.hi = p.at("max").as_number();
        if (!(pair.lo > 0.0) || !(pair.hi >= pair.lo))
          p.fail(fmt::format("need 0 < min <= max, got [{}, {}]", pair.lo, pair.hi));
        r.assurance_pairs.push_back(pair);
      }
    }
  }
}

std::size_t read_count(const json_cursor& c, const std::string& key, std::size_t current) {
  if (!c.has(key)) return current;
  const int v = c.at(key).as_int();
  if (v < 1) c.at(key).fail(fmt::format("must be >= 1, got {}", v));
  return static_cast<std::size_t>(v);
}

}  // namespace

mcda_spec parse_mcda_spec(const std::string& json_text, const framework& model, const std::string& source,
                          const mcda_overrides& overrides) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& e) {
    throw schema_error(fmt::format("{}: not valid JSON: {}", source, e.what()));
  }
  const json_cursor c(doc, source);
  c.expect_object();
  mcda_spec spec;
  if (overrides.method)
    spec.method = *overrides.method;
  else if (c.has("method"))
    spec.method = c.at("method").as_enum(detail::mcda_method_names);
  else
    c.fail("missing key 'method' (bod or kemeny)");
  if (spec.method == mcda_method::bod)
    c.allow_only({"format", "method", "node", "pool", "missing", "variant", "peers", "replicates", "seed", "peer_tolerance",
                  "restrictions"});
  else
    c.allow_only({"format", "method", "node", "pool", "missing", "solver", "exact_limit", "max_passes", "tie_tolerance"});
  if (c.has("format") && c.at("format").as_string() != "parkscore-analysis")
    c.at("format").fail("expected \"parkscore-analysis\"");

  if (overrides.node)
    spec.node = *overrides.node;
  else
    c.read("node", spec.node);
  if (spec.node.empty()) spec.node = model.root().id;
  if (!model.find(spec.node)) {
    const std::string msg = fmt::format("no node '{}' in framework '{}'", spec.node, model.id);
    if (!overrides.node && c.has("node")) c.at("node").fail(msg);
    throw schema_error(fmt::format("{}: {}", source, msg));
  }
  if (overrides.pool)
    spec.pool = *overrides.pool;
  else if (c.has("pool"))
    spec.pool = c.at("pool").as_string();
  if (spec.pool == "all") spec.pool = "";
  if (overrides.missing)
    spec.missing = *overrides.missing;
  else
    c.read("missing", spec.missing, detail::missing_rule_names);
  const node_indicators below = indicators_below(model, spec.node);

  if (spec.method == mcda_method::bod) {
    c.read("variant", spec.bod.variant, detail::bod_variant_names);
    if (spec.bod.variant != bod_variant::robust)
      for (const char* key : {"peers", "replicates", "seed"})
        if (c.has(key)) c.at(key).fail("applies to the robust variant only (\"variant\": \"robust\")");
    spec.bod.peers = read_count(c, "peers", spec.bod.peers);
    spec.bod.replicates = read_count(c, "replicates", spec.bod.replicates);
    if (c.has("seed")) {
      const nlohmann::json& v = c.at("seed").value();
      if (!v.is_number_unsigned()) c.at("seed").fail(fmt::format("expected an integer >= 0, got {}", v.dump()));
      spec.bod.seed = v.get<std::uint64_t>();
    }
    c.read("peer_tolerance", spec.bod.peer_tolerance);
    if (!(spec.bod.peer_tolerance >= 0.0)) c.at("peer_tolerance").fail("must be >= 0");
    if (c.has("restrictions")) read_restrictions(c.at("restrictions"), below, spec.bod.restrictions);
    spec.bod.nominal = below.nominal;
  } else {
    c.read("solver", spec.kemeny.solver, detail::kemeny_solver_names);
    spec.kemeny.exact_limit = read_count(c, "exact_limit", spec.kemeny.exact_limit);
    spec.kemeny.max_passes = read_count(c, "max_passes", spec.kemeny.max_passes);
    c.read("tie_tolerance", spec.outranking.tie_tolerance);
    if (!(spec.outranking.tie_tolerance >= 0.0)) c.at("tie_tolerance").fail("must be >= 0");
  }
  return spec;
}

mcda_spec load_mcda_spec(const std::string& file, const framework& model, const mcda_overrides& overrides) {
  return parse_mcda_spec(detail::read_text_file<schema_error>(file, "the analysis spec"), model, file, overrides);
}

}  // namespace parkscore
