// parkscore.Framework: building and inspecting the indicator tree in code.
// Node settings are keyword arguments named as in the JSON file format, so a
// framework reads the same in Python and in a file.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include <cmath>
#include <cstdint>
#include <optional>

#include "bindings.hpp"
#include "parkscore/model/framework.hpp"
#include "model/preparation_json.hpp"
#include "model/weighting_json.hpp"

namespace parkscore::python {

namespace {

using namespace pybind11::literals;

const char* const common_fields = "name, name_en, description, weight";
const char* const category_fields = "aggregation, power, min_coverage, rescale, rescale_lo, rescale_hi, weighting";
const char* const indicator_fields =
    "direction, unit, status, normalisation, lo, hi, target_mean, target_sd, gp_min, gp_max, clamp, log, "
    "target, benchmark, cap, d0, c, x_s, x_h, zero_range, imputation, treatment";

template <class T>
T field(const node& n, const std::string& key, py::handle value) {
  try {
    return py::cast<T>(value);
  } catch (const py::cast_error&) {
    throw schema_error("node '" + n.id + "': field '" + key + "' cannot take the value " +
                       py::repr(value).cast<std::string>());
  }
}

template <class E, std::size_t N>
E enum_field(const node& n, const std::string& key, py::handle value, const detail::name_table<E, N>& table) {
  const std::string text = field<std::string>(n, key, value);
  if (auto e = detail::parse_name(table, text)) return *e;
  throw schema_error("node '" + n.id + "': unknown " + key + " '" + text + "' (expected one of: " +
                     detail::names_list(table) + ")");
}

// Structured fields (weighting, imputation, treatment) take a dict with the keys
// of the file format and go through the file reader, so they are checked alike;
// messages name the node and the key path.
template <class Read>
auto json_field(const node& n, const std::string& key, py::handle value, Read read) {
  const std::string text = py::module_::import("json").attr("dumps")(value).cast<std::string>();
  const nlohmann::json j = nlohmann::json::parse(text);
  return read(detail::json_cursor(j, "node '" + n.id + "'", "/" + key));
}

// The plain Python objects json.loads(j.dump()) would give, built directly: NaN and
// infinities become None as dump() writes them null; keys keep the file's order.
py::object json_object(const nlohmann::ordered_json& j) {
  switch (j.type()) {
    case nlohmann::ordered_json::value_t::object: {
      py::dict d;
      for (auto it = j.begin(); it != j.end(); ++it) d[py::str(it.key())] = json_object(it.value());
      return py::object(std::move(d));
    }
    case nlohmann::ordered_json::value_t::array: {
      py::list l(j.size());
      std::size_t i = 0;
      for (const auto& value : j) l[i++] = json_object(value);
      return py::object(std::move(l));
    }
    case nlohmann::ordered_json::value_t::string: return py::str(j.get_ref<const std::string&>());
    case nlohmann::ordered_json::value_t::boolean: return py::bool_(j.get<bool>());
    case nlohmann::ordered_json::value_t::number_integer: return py::int_(j.get<std::int64_t>());
    case nlohmann::ordered_json::value_t::number_unsigned: return py::int_(j.get<std::uint64_t>());
    case nlohmann::ordered_json::value_t::number_float: {
      const double x = j.get<double>();
      return std::isfinite(x) ? py::object(py::float_(x)) : py::none();
    }
    default: return py::none();   // null, discarded
  }
}

std::optional<double> optional_field(const node& n, const std::string& key, py::handle value) {
  if (value.is_none()) return std::nullopt;
  return field<double>(n, key, value);
}

bool set_common(node& n, const std::string& key, py::handle v) {
  if (key == "name") n.name = field<std::string>(n, key, v);
  else if (key == "name_en") n.name_en = field<std::string>(n, key, v);
  else if (key == "description") n.description = field<std::string>(n, key, v);
  else if (key == "weight") n.weight = field<double>(n, key, v);
  else return false;
  return true;
}

bool set_category(node& n, const std::string& key, py::handle v) {
  if (key == "aggregation")
    n.agg.method = enum_field(n, key, v, detail::aggregation_names);
  else if (key == "power") n.agg.power = field<double>(n, key, v);
  else if (key == "min_coverage") n.agg.min_coverage = field<double>(n, key, v);
  else if (key == "rescale")
    n.rescale.method = enum_field(n, key, v, detail::rescale_names);
  else if (key == "weighting")
    n.weighting = json_field(n, key, v, [](const detail::json_cursor& c) { return detail::read_weighting_json(c); });
  else if (key == "rescale_lo") n.rescale.lo = field<double>(n, key, v);
  else if (key == "rescale_hi") n.rescale.hi = field<double>(n, key, v);
  else return false;
  return true;
}

bool set_indicator(node& n, const std::string& key, py::handle v) {
  normalisation& s = n.norm;
  if (key == "direction") n.dir = enum_field(n, key, v, detail::direction_names);
  else if (key == "unit") n.unit = field<std::string>(n, key, v);
  else if (key == "status") n.status = field<std::string>(n, key, v);
  else if (key == "normalisation")
    s.method = enum_field(n, key, v, detail::normalisation_names);
  else if (key == "lo") s.lo = field<double>(n, key, v);
  else if (key == "hi") s.hi = field<double>(n, key, v);
  else if (key == "target_mean") s.target_mean = field<double>(n, key, v);
  else if (key == "target_sd") s.target_sd = field<double>(n, key, v);
  else if (key == "gp_min") s.gp_min = optional_field(n, key, v);
  else if (key == "gp_max") s.gp_max = optional_field(n, key, v);
  else if (key == "clamp") s.clamp = field<bool>(n, key, v);
  else if (key == "log") s.log = field<bool>(n, key, v);
  else if (key == "target") s.target = optional_field(n, key, v);
  else if (key == "benchmark") s.benchmark = optional_field(n, key, v);
  else if (key == "cap") s.cap = optional_field(n, key, v);
  else if (key == "d0") s.d0 = field<double>(n, key, v);
  else if (key == "c") s.c = field<double>(n, key, v);
  else if (key == "x_s") s.x_s = optional_field(n, key, v);
  else if (key == "x_h") s.x_h = optional_field(n, key, v);
  else if (key == "zero_range")
    s.zero_range = enum_field(n, key, v, detail::zero_range_names);
  else if (key == "imputation")
    n.impute = v.is_none() ? std::nullopt
                           : std::optional(json_field(n, key, v, [](const detail::json_cursor& c) {
                               return detail::read_imputation(c);
                             }));
  else if (key == "treatment")
    n.treat = json_field(n, key, v, [](const detail::json_cursor& c) { return detail::read_treatment(c, {}); });
  else return false;
  return true;
}

void apply_fields(node& n, const py::kwargs& fields) {
  for (const auto& [k, v] : fields) {
    const std::string key = py::cast<std::string>(k);
    if (set_common(n, key, v)) continue;
    if (n.is_indicator() ? set_indicator(n, key, v) : set_category(n, key, v)) continue;
    throw schema_error("node '" + n.id + "': unknown field '" + key + "' for " +
                       (n.is_indicator() ? "an indicator" : "a category") + " (known: " + common_fields + ", " +
                       (n.is_indicator() ? indicator_fields : category_fields) + ")");
  }
}

py::object optional(const std::optional<double>& x) { return x ? py::cast(*x) : py::none(); }

py::dict node_dict(const framework& fw, const node& n) {
  int depth = 0;
  for (int p = n.parent; p >= 0; p = fw.at(p).parent) ++depth;
  py::dict d("id"_a = n.id, "name"_a = n.name, "name_en"_a = n.name_en, "description"_a = n.description,
             "kind"_a = n.is_indicator() ? "indicator" : "category",
             "parent"_a = n.parent < 0 ? py::none() : py::cast(fw.at(n.parent).id), "depth"_a = depth,
             "weight"_a = n.weight);
  if (!n.is_indicator()) {
    d["aggregation"] = detail::name_of(detail::aggregation_names, n.agg.method);
    d["power"] = n.agg.power;
    d["min_coverage"] = n.agg.min_coverage;
    d["rescale"] = detail::name_of(detail::rescale_names, n.rescale.method);
    d["rescale_lo"] = n.rescale.lo;
    d["rescale_hi"] = n.rescale.hi;
    d["weighting"] = json_object(detail::write_weighting_json(n.weighting));
    return d;
  }
  const normalisation& s = n.norm;
  d["direction"] = detail::name_of(detail::direction_names, n.dir);
  d["unit"] = n.unit;
  d["status"] = n.status;
  d["normalisation"] = detail::name_of(detail::normalisation_names, s.method);
  for (auto [key, value] : {std::pair{"lo", s.lo}, {"hi", s.hi}, {"target_mean", s.target_mean},
                            {"target_sd", s.target_sd}, {"d0", s.d0}, {"c", s.c}})
    d[key] = value;
  for (auto [key, value] : {std::pair{"gp_min", &s.gp_min}, {"gp_max", &s.gp_max}, {"target", &s.target},
                            {"benchmark", &s.benchmark}, {"cap", &s.cap}, {"x_s", &s.x_s}, {"x_h", &s.x_h}})
    d[key] = optional(*value);
  d["clamp"] = s.clamp;
  d["log"] = s.log;
  d["zero_range"] = detail::name_of(detail::zero_range_names, s.zero_range);
  d["imputation"] = n.impute ? json_object(detail::write_imputation(*n.impute)) : py::none();
  d["treatment"] = json_object(detail::write_treatment(n.treat));
  return d;
}

node new_node(const std::string& id, node_kind kind, const py::kwargs& fields) {
  node n;
  n.id = id;
  n.name = id;
  n.kind = kind;
  apply_fields(n, fields);
  return n;
}

template <class E, std::size_t N>
auto enum_property(const detail::name_table<E, N>& table, E ranking::*member, const char* what) {
  return std::pair{[&table, member](const framework& fw) { return detail::name_of(table, fw.rank_rule.*member); },
                   [&table, member, what](framework& fw, const std::string& v) {
                     fw.rank_rule.*member = parse_enum(table, v, what);
                   }};
}

}  // namespace

std::vector<std::string> node_ids(const framework& model) {
  std::vector<std::string> ids;
  ids.reserve(model.nodes().size());
  for (const node& n : model.nodes()) ids.push_back(n.id);
  return ids;
}

void bind_framework(py::module_& m) {
  py::class_<framework> cls(m, "Framework", R"doc(
An indicator tree (index -> categories -> ... -> indicators) with its method settings.

Build one in code::

    fw = parkscore.Framework("index", "Demo index")
    fw.add_category("index", "A", weight=2)
    fw.add_indicator("A", "a1")
    fw.add_indicator("A", "a2", direction="lower")
    fw.add_category("index", "B")
    fw.add_indicator("B", "b1", normalisation="goalposts", gp_min=0, gp_max=10)

or load one with parkscore.load_framework(path) / parkscore.load_preset(name).
Weights are relative to siblings. Settings use the names of the JSON file
format (docs/schema.md). A Framework is a value: copy.copy() gives an
independent copy.
)doc");
  cls.def(py::init<std::string, std::string>(), "id"_a = "index", "name"_a = "",
          "A framework with a root node (the index) only.")
      .def_readwrite("id", &framework::id, "The framework's id.")
      .def_readwrite("name", &framework::name, "Display name (UTF-8).")
      .def_readwrite("description", &framework::description, "Free text.")
      .def_readwrite("pools", &framework::pools,
                     "Grouping columns evaluated by default; '' stands for all units. Assign a new list to change.");
  const auto [method_get, method_set] = enum_property(detail::rank_method_names, &ranking::method, "rank method");
  const auto [order_get, order_set] = enum_property(detail::rank_order_names, &ranking::order, "rank order");
  const auto [ties_get, ties_set] = enum_property(detail::tie_break_names, &ranking::ties, "tie break");
  cls.def_property("rank_method", method_get, method_set, "competition, dense, ordinal or fractional.")
      .def_property("rank_order", order_get, order_set, "descending (highest score is rank 1) or ascending.")
      .def_property("rank_ties", ties_get, ties_set, "Tie break of ordinal ranking: input_order or unit_id.")
      .def_property(
          "rank_round", [](const framework& fw) { return fw.rank_rule.round_decimals; },
          [](framework& fw, int d) { fw.rank_rule.round_decimals = d; },
          "Decimals scores are rounded to before ranking; -1 = no rounding.")
      .def_property(
          "score_scale", [](const framework& fw) { return detail::name_of(detail::score_scale_names, fw.scores.scale); },
          [](framework& fw, const std::string& v) {
            fw.scores.scale = parse_enum(detail::score_scale_names, v, "score scale");
          },
          "mean (every node 0-100) or points (each node's share of total_points).")
      .def_property(
          "total_points", [](const framework& fw) { return fw.scores.total_points; },
          [](framework& fw, double v) { fw.scores.total_points = v; }, "Points of the index on the points scale.");

  cls.def(
         "add_category",
         [](framework& fw, const std::string& parent, const std::string& id, const py::kwargs& fields) {
           fw.add_category(parent, new_node(id, node_kind::aggregate, fields));
         },
         "parent"_a, "id"_a,
         "Adds a category (an aggregate node) under `parent`.\n\nFields: name, name_en, description, weight, "
         "aggregation (arithmetic, geometric, harmonic, power, topsis), power, min_coverage, rescale (none, "
         "best_is_100, min_max), rescale_lo, rescale_hi. Raises SchemaError for an unknown parent or field, or a "
         "duplicate id.")
      .def(
          "add_indicator",
          [](framework& fw, const std::string& parent, const std::string& id, const py::kwargs& fields) {
            fw.add_indicator(parent, new_node(id, node_kind::indicator, fields));
          },
          "parent"_a, "id"_a,
          "Adds an indicator (a leaf) under `parent`.\n\nFields: name, name_en, description, weight, direction "
          "(higher, lower), unit, status, normalisation (none, min_max, z_score, rank, percentile_rank, borda, "
          "goalposts, distance_to_target, ratio_to_max, ratio_to_benchmark, efficacy, efficacy_anchored, vector) "
          "and its parameters lo, hi, target_mean, target_sd, gp_min, gp_max, clamp, log, target, benchmark, cap, "
          "d0, c, x_s, x_h, zero_range (midpoint, upper, lower), imputation and treatment (dicts as in the file "
          "format, e.g. {'method': 'median'}, {'method': 'jrc'}; docs/preparation.md). Default: min_max onto 0-100, higher is better.")
      .def(
          "update",
          [](framework& fw, const std::string& node_id, const py::kwargs& fields) {
            apply_fields(fw.at(fw.index_of(node_id)), fields);
          },
          "node_id"_a, "Changes fields of an existing node (the same keywords as add_category / add_indicator).")
      .def(
          "node", [](const framework& fw, const std::string& id) { return node_dict(fw, fw.at(fw.index_of(id))); },
          "node_id"_a, "The node's settings as a dict; SchemaError if there is no such node.")
      .def_property_readonly(
          "nodes",
          [](const framework& fw) {
            py::list out;
            for (const node& n : fw.nodes()) out.append(node_dict(fw, n));
            return out;
          },
          "Every node's settings as a dict, parents before children (the root first).")
      .def_property_readonly(
          "node_ids",
          [](const framework& fw) { return node_ids(fw); },
          "Node ids in storage order: the columns of score and rank matrices.")
      .def_property_readonly("indicator_ids", &framework::indicator_ids,
                             "Indicator ids: the columns of normalised matrices.")
      .def(
          "absolute_weights",
          [](const framework& fw) {
            const std::vector<double> w = fw.absolute_weights();
            return Eigen::VectorXd(Eigen::Map<const Eigen::VectorXd>(w.data(), static_cast<Eigen::Index>(w.size())));
          },
          "Each node's share of the index (product of normalised sibling weights), in node_ids order.")
      .def_property_readonly(
          "weight_set_names", [](const framework& fw) { return weight_set_names(fw); },
          "Names of the framework's weight sets, the default first (docs/rules.md).")
      .def_property_readonly(
          "weights_by_group",
          [](const framework& fw) -> py::object {
            if (!fw.weight_sets.by_group) return py::none();
            return py::make_tuple(fw.weight_sets.by_group->column, fw.weight_sets.by_group->sets);
          },
          "(column, {label: weight set}) if the framework picks weight sets by a grouping column, else None.")
      .def("validate", &framework::validate, "Checks the whole tree; raises SchemaError naming the first bad node.")
      .def("copy", [](const framework& fw) { return fw; }, "An independent copy.")
      .def("__copy__", [](const framework& fw) { return fw; })
      .def("__deepcopy__", [](const framework& fw, py::dict) { return fw; }, "memo"_a)
      .def("__eq__", [](const framework& a, const framework& b) { return a == b; }, py::is_operator(), "other"_a)
      .def("__repr__", [](const framework& fw) {
        return "<parkscore.Framework '" + fw.id + "' " + fw.name + ": " + std::to_string(fw.nodes().size()) +
               " nodes, " + std::to_string(fw.indicators().size()) + " indicators>";
      });
}

}  // namespace parkscore::python
