#include "parkscore/analysis/uncertainty_spec.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "model/json_cursor.hpp"
#include "parkscore/error.hpp"
#include "parkscore/model/framework_io.hpp"

namespace parkscore {

namespace {

using detail::json_cursor;
using ordered = nlohmann::ordered_json;

// Pointer of every node in to_json(model): the root is "/index", children follow "children" arrays.
std::vector<std::string> node_pointers(const framework& model) {
  std::vector<std::string> out(model.nodes().size());
  out[0] = "/index";
  for (std::size_t k = 0; k < model.nodes().size(); ++k) {
    const auto& children = model.nodes()[k].children;
    for (std::size_t c = 0; c < children.size(); ++c)
      out[static_cast<std::size_t>(children[c])] = fmt::format("{}/children/{}", out[k], c);
  }
  return out;
}

std::string node_id_at(const json_cursor& c, const framework& model, bool indicator_only) {
  const std::string id = c.as_string();
  const auto k = model.find(id);
  if (!k) c.fail(fmt::format("no node '{}' in framework '{}'", id, model.id));
  if (indicator_only && !model.at(*k).is_indicator()) c.fail(fmt::format("'{}' is not an indicator", id));
  if (!indicator_only && model.at(*k).is_indicator()) c.fail(fmt::format("'{}' is an indicator, not an aggregate node", id));
  return id;
}

// The listed indicator ids, or every indicator if the key is absent.
std::vector<std::string> indicator_list(const json_cursor& c, const framework& model) {
  if (!c.has("indicators")) return model.indicator_ids();
  const json_cursor list = c.at("indicators");
  list.expect_array();
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < list.value().size(); ++i) ids.push_back(node_id_at(list.at(i), model, true));
  if (ids.empty()) list.fail("empty list of indicators");
  return ids;
}

std::string option_label(const nlohmann::json& v) {
  if (v.is_null()) return "off";
  if (v.is_object() && v.contains("method") && v.at("method").is_string()) return v.at("method").get<std::string>();
  return v.dump();
}

// A choice whose options set the same key on several nodes (null: remove the key = framework default).
discrete_uncertainty key_choice(const json_cursor& c, const framework& model, const std::vector<std::string>& node_ids,
                                const std::string& key, const std::string& name) {
  const json_cursor options = c.at("options");
  options.expect_array();
  if (options.value().size() < 2) options.fail("a choice needs at least two options");
  discrete_uncertainty d{name, {}, {}};
  for (std::size_t o = 0; o < options.value().size(); ++o) {
    const nlohmann::json& v = options.at(o).value();
    choice_option opt{option_label(v), {}, ""};
    for (const auto& id : node_ids) {
      const std::string ptr = node_pointer(model, id) + "/" + key;
      opt.edits.push_back(v.is_null() ? framework_edit{"remove", ptr, ""} : framework_edit{"replace", ptr, v.dump()});
    }
    d.options.push_back(std::move(opt));
  }
  return d;
}

std::vector<double> read_probabilities(const json_cursor& c, std::size_t n) {
  if (!c.has("probabilities")) return {};
  const json_cursor p = c.at("probabilities");
  p.expect_array();
  if (p.value().size() != n) p.fail(fmt::format("{} probabilities for {} options", p.value().size(), n));
  std::vector<double> out;
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    out.push_back(p.at(i).as_number());
    if (!(out.back() >= 0)) p.at(i).fail("a probability must be >= 0");
    sum += out.back();
  }
  if (!(sum > 0)) p.fail("the probabilities sum to 0");
  return out;
}

weight_uncertainty read_weights(const json_cursor& c, const framework& model) {
  c.allow_only({"type", "name", "node", "distribution", "spread", "concentration", "bounds", "order"});
  weight_uncertainty w;
  w.node = c.has("node") ? c.at("node").as_string() : "*";
  if (w.node != "*") w.node = node_id_at(c.at("node"), model, false);
  const std::string dist = c.has("distribution") ? c.at("distribution").as_string() : "uniform";
  if (dist == "uniform") w.draw = weight_draw::uniform_factor;
  else if (dist == "dirichlet") w.draw = weight_draw::dirichlet;
  else if (dist == "simplex") w.draw = weight_draw::simplex;
  else c.at("distribution").fail(fmt::format("unknown distribution '{}' (uniform, dirichlet, simplex)", dist));
  if (c.has("spread")) {
    w.spread = c.at("spread").as_number();
    if (!(w.spread >= 0 && w.spread < 1)) c.at("spread").fail(fmt::format("spread {} must be in [0, 1)", w.spread));
  }
  if (c.has("concentration")) {
    w.concentration = c.at("concentration").as_number();
    if (!(w.concentration > 0)) c.at("concentration").fail("concentration must be > 0");
  }
  if (w.draw == weight_draw::simplex && w.node == "*") c.fail("a simplex (SMAA) weight input needs one node");
  const int k = w.node == "*" ? -1 : model.index_of(w.node);
  auto child_id = [&](const json_cursor& at, const std::string& id) {
    if (k < 0) at.fail("bounds and order need a node");
    for (int ch : model.at(k).children)
      if (model.at(ch).id == id) return;
    at.fail(fmt::format("'{}' is not a child of '{}'", id, w.node));
  };
  if (c.has("bounds")) {
    const json_cursor b = c.at("bounds");
    b.expect_object();
    for (const auto& item : b.value().items()) {
      const json_cursor e = b.at(item.key());
      child_id(e, item.key());
      e.expect_array();
      if (e.value().size() != 2) e.fail("bounds are [lo, hi]");
      const double lo = e.at(0).as_number(), hi = e.at(1).as_number();
      if (!(lo >= 0 && lo <= hi && hi <= 1)) e.fail(fmt::format("bounds [{}, {}] must satisfy 0 <= lo <= hi <= 1", lo, hi));
      w.bounds[item.key()] = {lo, hi};
    }
  }
  if (c.has("order")) {
    const json_cursor o = c.at("order");
    o.expect_array();
    for (std::size_t i = 0; i < o.value().size(); ++i) {
      w.order.push_back(o.at(i).as_string());
      child_id(o.at(i), w.order.back());
    }
  }
  w.name = c.has("name") ? c.at("name").as_string() : "weights:" + w.node;
  return w;
}

void read_input(const json_cursor& c, const framework& model, uncertainty_spec& spec) {
  c.expect_object();
  if (!c.has("type")) c.fail("an input needs a \"type\"");
  const std::string type = c.at("type").as_string();
  const std::string name = c.has("name") ? c.at("name").as_string() : "";
  if (type == "weights") {
    spec.weights.push_back(read_weights(c, model));
    return;
  }
  if (type == "parameter") {
    c.allow_only({"type", "name", "pointer", "values", "uniform", "probabilities"});
    const std::string ptr = c.at("pointer").as_string();
    if (ptr.empty() || ptr[0] != '/') c.at("pointer").fail(fmt::format("'{}' is not a JSON pointer", ptr));
    if (c.has("uniform")) {
      const json_cursor u = c.at("uniform");
      u.expect_array();
      if (u.value().size() != 2) u.fail("uniform is [lo, hi]");
      const double lo = u.at(0).as_number(), hi = u.at(1).as_number();
      if (!(lo <= hi)) u.fail(fmt::format("lo {} > hi {}", lo, hi));
      spec.parameters.push_back({name.empty() ? ptr : name, ptr, lo, hi});
      return;
    }
    const json_cursor values = c.at("values");
    values.expect_array();
    if (values.value().size() < 2) values.fail("a choice needs at least two values");
    discrete_uncertainty d{name.empty() ? ptr : name, {}, read_probabilities(c, values.value().size())};
    for (std::size_t i = 0; i < values.value().size(); ++i)
      d.options.push_back({values.at(i).value().dump(), {{"replace", ptr, values.at(i).value().dump()}}, ""});
    spec.choices.push_back(std::move(d));
    return;
  }
  if (type == "weight_set") {
    c.allow_only({"type", "name", "sets", "probabilities"});
    const json_cursor sets = c.at("sets");
    sets.expect_array();
    if (sets.value().size() < 2) sets.fail("a choice needs at least two weight sets");
    discrete_uncertainty d{name.empty() ? "weight_set" : name, {}, read_probabilities(c, sets.value().size())};
    const auto known = weight_set_names(model);
    for (std::size_t i = 0; i < sets.value().size(); ++i) {
      const std::string s = sets.at(i).as_string();
      if (std::find(known.begin(), known.end(), s) == known.end())
        sets.at(i).fail(fmt::format("no weight set '{}' (known: {})", s, fmt::join(known, ", ")));
      d.options.push_back({s, {}, s});
    }
    spec.choices.push_back(std::move(d));
    return;
  }
  if (type == "normalisation" || type == "treatment") {
    c.allow_only({"type", "name", "indicators", "options", "probabilities"});
    auto d = key_choice(c, model, indicator_list(c, model), type, name.empty() ? type : name);
    d.probabilities = read_probabilities(c, d.options.size());
    spec.choices.push_back(std::move(d));
    return;
  }
  if (type == "aggregation") {
    c.allow_only({"type", "name", "node", "nodes", "options", "probabilities"});
    std::vector<std::string> nodes;
    if (c.has("nodes")) {
      const json_cursor list = c.at("nodes");
      list.expect_array();
      for (std::size_t i = 0; i < list.value().size(); ++i) nodes.push_back(node_id_at(list.at(i), model, false));
    } else {
      nodes.push_back(c.has("node") ? node_id_at(c.at("node"), model, false) : model.root().id);
    }
    auto d = key_choice(c, model, nodes, "aggregation", name.empty() ? "aggregation" : name);
    d.probabilities = read_probabilities(c, d.options.size());
    spec.choices.push_back(std::move(d));
    return;
  }
  if (type == "imputation") {
    c.allow_only({"type", "name", "options", "probabilities"});
    const json_cursor options = c.at("options");
    options.expect_array();
    if (options.value().size() < 2) options.fail("a choice needs at least two options");
    discrete_uncertainty d{name.empty() ? "imputation" : name, {}, read_probabilities(c, options.value().size())};
    for (std::size_t o = 0; o < options.value().size(); ++o) {
      const auto& v = options.at(o).value();
      d.options.push_back({option_label(v), {v.is_null() ? framework_edit{"remove", "/imputation", ""}
                                                          : framework_edit{"replace", "/imputation", v.dump()}}, ""});
    }
    spec.choices.push_back(std::move(d));
    return;
  }
  if (type == "exclude_indicator") {
    c.allow_only({"type", "name", "indicators"});
    discrete_uncertainty d{name.empty() ? "exclude_indicator" : name, {{"none", {}, ""}}, {}};
    for (const auto& id : indicator_list(c, model)) d.options.push_back({id, {{"remove", node_pointer(model, id), ""}}, ""});
    spec.choices.push_back(std::move(d));
    return;
  }
  c.at("type").fail(fmt::format(
      "unknown input type '{}' (weights, weight_set, normalisation, aggregation, imputation, treatment, "
      "exclude_indicator, parameter)", type));
}

}  // namespace

std::vector<std::string> uncertainty_spec::input_names() const {
  std::vector<std::string> out;
  for (const auto& w : weights) out.push_back(w.name.empty() ? "weights:" + w.node : w.name);
  for (const auto& d : choices) out.push_back(d.name);
  for (const auto& p : parameters) out.push_back(p.name.empty() ? p.pointer : p.name);
  return out;
}

std::string node_pointer(const framework& model, const std::string& node_id) {
  return node_pointers(model)[static_cast<std::size_t>(model.index_of(node_id))];
}

uncertainty_spec parse_uncertainty_spec(std::string_view json_text, const framework& model, const std::string& source) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(json_text);
  } catch (const nlohmann::json::parse_error& e) {
    throw schema_error(fmt::format("{}: not valid JSON: {}", source, e.what()));
  }
  json_cursor root(doc, source);
  root.expect_object();
  json_cursor spec_at = root.has("uncertainty") ? root.at("uncertainty") : root;
  spec_at.allow_only({"inputs"});
  const json_cursor inputs = spec_at.at("inputs");
  inputs.expect_array();
  uncertainty_spec spec;
  for (std::size_t i = 0; i < inputs.value().size(); ++i) read_input(inputs.at(i), model, spec);
  return spec;
}

uncertainty_spec load_uncertainty_spec(const std::filesystem::path& file, const framework& model) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw error(fmt::format("cannot open uncertainty spec '{}'", file.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return parse_uncertainty_spec(text.str(), model, file.string());
}

framework apply_edits(const framework& model, const std::vector<framework_edit>& edits) {
  if (edits.empty()) return model;
  ordered doc = ordered::parse(to_json(model));
  // Removals of array elements shift later indices: apply them last, highest index first.
  std::vector<const framework_edit*> order;
  for (const auto& e : edits)
    if (e.op != "remove") order.push_back(&e);
  std::vector<const framework_edit*> removals;
  for (const auto& e : edits)
    if (e.op == "remove") removals.push_back(&e);
  std::sort(removals.begin(), removals.end(), [](auto* a, auto* b) {   // "/children/10" before "/children/9"
    return a->pointer.size() != b->pointer.size() ? a->pointer.size() > b->pointer.size() : a->pointer > b->pointer;
  });
  order.insert(order.end(), removals.begin(), removals.end());
  for (const framework_edit* e : order) {
    try {
      const ordered::json_pointer ptr(e->pointer);
      if (e->op == "remove") {
        if (!doc.contains(ptr)) continue;   // removing an absent key = already the default
        ordered& parent = doc[ptr.parent_pointer()];
        if (parent.is_array()) parent.erase(static_cast<std::size_t>(std::stoul(ptr.back())));
        else parent.erase(ptr.back());
      } else if (e->op == "replace") {
        doc[ptr] = ordered::parse(e->value_json);
      } else {
        throw schema_error(fmt::format("framework edit: unknown op '{}' (replace, remove)", e->op));
      }
    } catch (const nlohmann::json::exception& x) {
      throw schema_error(fmt::format("framework edit {} '{}': {}", e->op, e->pointer, x.what()));
    }
  }
  return parse_framework(doc.dump(), fmt::format("framework '{}' with uncertainty edits", model.id));
}

}  // namespace parkscore
