#include "rules/rules_json.hpp"

#include <fmt/format.h>

namespace parkscore::detail {

namespace {

using ordered = nlohmann::ordered_json;

std::optional<double> number_or_null(const json_cursor& c) {
  if (c.value().is_null()) return std::nullopt;
  return c.as_number();
}

void put_text(ordered& j, const char* key, const std::string& text) {
  if (!text.empty()) j[key] = text;
}

void read_weight_sets(const json_cursor& c, framework& fw) {
  c.allow_only({"default", "sets", "by_group"});
  c.read("default", fw.weight_sets.default_name);
  if (c.has("sets")) {
    const json_cursor sets = c.at("sets");
    sets.expect_array();
    for (std::size_t i = 0; i < sets.value().size(); ++i) {
      const json_cursor s = sets.at(i);
      s.allow_only({"name", "description", "status", "complete", "weights"});
      weight_set ws;
      if (!s.has("name")) s.fail("a weight set needs a \"name\"");
      ws.name = s.at("name").as_string();
      s.read("description", ws.description);
      s.read("status", ws.status);
      s.read("complete", ws.complete);
      if (!s.has("weights")) s.fail(fmt::format("weight set '{}' needs \"weights\" (node id -> weight)", ws.name));
      const json_cursor w = s.at("weights");
      w.expect_object();
      for (const auto& item : w.value().items()) {
        const json_cursor wc = w.at(item.key());
        if (!fw.find(item.key())) wc.fail(fmt::format("weight set '{}': no node with id '{}'", ws.name, item.key()));
        ws.weights[item.key()] = wc.as_number();
        if (!(ws.weights[item.key()] >= 0)) wc.fail(fmt::format("weights must be >= 0, got {}", ws.weights[item.key()]));
      }
      const bool complete = ws.complete;
      const std::string name = ws.name;
      fw.weight_sets.sets.push_back(std::move(ws));
      // Every node but the root, so that no weight is left to the tree by accident.
      if (const std::vector<std::string> missing = complete ? unlisted_nodes(fw, name) : std::vector<std::string>{};
          !missing.empty())
        w.fail(fmt::format("weight set '{}' is \"complete\" but does not list {} node(s): {}", name, missing.size(),
                           fmt::join(missing, ", ")));
    }
  }
  if (c.has("by_group")) {
    const json_cursor g = c.at("by_group");
    g.allow_only({"column", "sets"});
    weight_set_by_group by;
    if (!g.has("column") || !g.has("sets")) g.fail("weight sets by group need a \"column\" and \"sets\" (label -> set)");
    by.column = g.at("column").as_string();
    const json_cursor sets = g.at("sets");
    sets.expect_object();
    for (const auto& item : sets.value().items()) by.sets[item.key()] = sets.at(item.key()).as_string();
    fw.weight_sets.by_group = std::move(by);
  }
  try {
    validate_weighting(fw);
  } catch (const schema_error& e) {
    c.fail(e.what());
  }
}

void read_events(const json_cursor& c, framework& fw) {
  c.expect_array();
  for (std::size_t i = 0; i < c.value().size(); ++i) {
    const json_cursor e = c.at(i);
    e.allow_only({"id", "name", "name_en", "unit", "description"});
    event_column ev;
    if (!e.has("id")) e.fail("an event column needs an \"id\" (the data column)");
    ev.id = e.at("id").as_string();
    if (ev.id.empty()) e.at("id").fail("the id must not be empty");
    if (fw.find(ev.id)) e.at("id").fail(fmt::format("'{}' is already a node of the tree", ev.id));
    if (is_event_column(fw, ev.id)) e.at("id").fail(fmt::format("event column '{}' is declared twice", ev.id));
    e.read("name", ev.name);
    e.read("name_en", ev.name_en);
    e.read("unit", ev.unit);
    e.read("description", ev.description);
    fw.rules.events.push_back(std::move(ev));
  }
}

std::string read_event_reference(const json_cursor& c, const framework& fw) {
  if (!c.has("column")) c.fail("needs a \"column\" (a declared event column)");
  const std::string column = c.at("column").as_string();
  if (!is_event_column(fw, column))
    c.at("column").fail(fmt::format("'{}' is not a declared event column (declare it under \"events\")", column));
  return column;
}

void read_veto(const json_cursor& c, framework& fw) {
  c.expect_array();
  for (std::size_t i = 0; i < c.value().size(); ++i) {
    const json_cursor v = c.at(i);
    v.allow_only({"column", "op", "value", "reason", "status"});
    veto_rule rule;
    rule.column = read_event_reference(v, fw);
    v.read("op", rule.op, comparison_names);
    v.read("value", rule.value);
    v.read("reason", rule.reason);
    v.read("status", rule.status);
    if (rule.reason.empty()) v.fail("a veto rule needs a \"reason\" (shown in the result)");
    fw.rules.veto.push_back(std::move(rule));
  }
}

void read_adjustments(const json_cursor& c, framework& fw) {
  c.allow_only({"max_bonus", "max_deduction", "items"});
  adjustment_rules& adj = fw.rules.adjustments;
  c.read("max_bonus", adj.max_bonus);
  c.read("max_deduction", adj.max_deduction);
  for (const char* key : {"max_bonus", "max_deduction"})
    if (c.has(key) && !(c.at(key).as_number() >= 0))
      c.at(key).fail(fmt::format("{} is a number of points >= 0, got {}", key, c.at(key).as_number()));
  if (!c.has("items")) return;
  const json_cursor items = c.at("items");
  items.expect_array();
  for (std::size_t i = 0; i < items.value().size(); ++i) {
    const json_cursor a = items.at(i);
    a.allow_only({"id", "name", "column", "points", "cap", "status"});
    adjustment_item item;
    item.column = read_event_reference(a, fw);
    item.id = item.column;
    a.read("id", item.id);
    a.read("name", item.name);
    if (!a.has("points")) a.fail("needs \"points\" per event (negative for a deduction)");
    a.read("points", item.points);
    a.read("cap", item.cap);
    if (item.cap && !(*item.cap >= 0)) a.at("cap").fail(fmt::format("cap must be >= 0, got {}", *item.cap));
    a.read("status", item.status);
    for (const adjustment_item& other : adj.items)
      if (other.id == item.id) a.fail(fmt::format("bonus/deduction item '{}' is defined twice", item.id));
    adj.items.push_back(std::move(item));
  }
}

}  // namespace

void read_normalisation_extras(const json_cursor& c, normalisation& n) {
  if (c.has("clip")) {
    const json_cursor clip = c.at("clip");
    clip.expect_array();
    if (clip.value().size() != 2) clip.fail("expected [lower, upper] (null for an open side)");
    n.clip_lo = number_or_null(clip.at(0));
    n.clip_hi = number_or_null(clip.at(1));
    if (n.clip_lo && n.clip_hi && !(*n.clip_hi > *n.clip_lo))
      clip.fail(fmt::format("upper bound {} must exceed lower bound {}", *n.clip_hi, *n.clip_lo));
  }
  c.read("benchmark_factor", n.benchmark_factor);
  if (c.has("tiers")) {
    const json_cursor tiers = c.at("tiers");
    tiers.expect_array();
    n.tiers.clear();
    for (std::size_t i = 0; i < tiers.value().size(); ++i) {
      const json_cursor t = tiers.at(i);
      t.allow_only({"top", "score"});
      if (!t.has("top") || !t.has("score")) t.fail("a tier needs \"top\" (share of the pool) and \"score\"");
      n.tiers.push_back({t.at("top").as_number(), t.at("score").as_number()});
    }
  }
}

void write_normalisation_extras(const normalisation& n, ordered& j) {
  if (n.clip_lo || n.clip_hi)
    j["clip"] = ordered::array({n.clip_lo ? ordered(*n.clip_lo) : ordered(nullptr),
                                n.clip_hi ? ordered(*n.clip_hi) : ordered(nullptr)});
  if (n.benchmark_factor) j["benchmark_factor"] = *n.benchmark_factor;
  if (!n.tiers.empty()) {
    ordered tiers = ordered::array();
    for (const rank_tier& t : n.tiers) tiers.push_back(ordered{{"top", t.top}, {"score", t.score}});
    j["tiers"] = tiers;
  }
}

void read_rules(const json_cursor& c, framework& fw) {
  if (c.has("events")) read_events(c.at("events"), fw);
  if (c.has("veto")) read_veto(c.at("veto"), fw);
  if (c.has("adjustments")) read_adjustments(c.at("adjustments"), fw);
  if (c.has("weight_sets")) read_weight_sets(c.at("weight_sets"), fw);
}

void write_rules(const framework& fw, ordered& j) {
  const weighting& w = fw.weight_sets;
  if (w.default_name != weighting{}.default_name || !w.sets.empty() || w.by_group) {
    ordered ws;
    ws["default"] = w.default_name;
    if (!w.sets.empty()) {
      ordered sets = ordered::array();
      for (const weight_set& s : w.sets) {
        ordered o;
        o["name"] = s.name;
        put_text(o, "description", s.description);
        put_text(o, "status", s.status);
        if (s.complete) o["complete"] = true;
        ordered weights = ordered::object();
        // Tree order, so files read like the tree.
        for (const node& n : fw.nodes())
          if (const auto it = s.weights.find(n.id); it != s.weights.end()) weights[n.id] = it->second;
        o["weights"] = weights;
        sets.push_back(o);
      }
      ws["sets"] = sets;
    }
    if (w.by_group) {
      ordered labels = ordered::object();
      for (const auto& [label, set] : w.by_group->sets) labels[label] = set;
      ws["by_group"] = ordered{{"column", w.by_group->column}, {"sets", labels}};
    }
    j["weight_sets"] = ws;
  }
  const zone_rules& r = fw.rules;
  if (!r.events.empty()) {
    ordered events = ordered::array();
    for (const event_column& e : r.events) {
      ordered o{{"id", e.id}};
      put_text(o, "name", e.name);
      put_text(o, "name_en", e.name_en);
      put_text(o, "unit", e.unit);
      put_text(o, "description", e.description);
      events.push_back(o);
    }
    j["events"] = events;
  }
  if (!r.veto.empty()) {
    ordered veto = ordered::array();
    for (const veto_rule& v : r.veto) {
      ordered o{{"column", v.column}, {"op", name_of(comparison_names, v.op)}, {"value", v.value}, {"reason", v.reason}};
      put_text(o, "status", v.status);
      veto.push_back(o);
    }
    j["veto"] = veto;
  }
  const adjustment_rules& adj = r.adjustments;
  if (!adj.items.empty() || adj.max_bonus || adj.max_deduction) {
    ordered o;
    if (adj.max_bonus) o["max_bonus"] = *adj.max_bonus;
    if (adj.max_deduction) o["max_deduction"] = *adj.max_deduction;
    ordered items = ordered::array();
    for (const adjustment_item& item : adj.items) {
      ordered a{{"id", item.id}};
      put_text(a, "name", item.name);
      a["column"] = item.column;
      a["points"] = item.points;
      if (item.cap) a["cap"] = *item.cap;
      put_text(a, "status", item.status);
      items.push_back(a);
    }
    o["items"] = items;
    j["adjustments"] = o;
  }
}

}  // namespace parkscore::detail
