#include "model/preparation_json.hpp"

#include <set>

#include "prepare/preparation_names.hpp"

namespace parkscore::detail {

using ordered = nlohmann::ordered_json;

std::vector<derived_indicator> read_derived(const json_cursor& c) {
  c.expect_array();
  std::vector<derived_indicator> out;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < c.value().size(); ++i) {
    const json_cursor d = c.at(i);
    d.allow_only({"id", "expression", "name"});
    if (!d.has("id")) d.fail("a derived indicator needs an \"id\"");
    if (!d.has("expression")) d.fail("a derived indicator needs an \"expression\"");
    derived_indicator spec;
    spec.id = d.at("id").as_string();
    if (spec.id.empty()) d.at("id").fail("the id must not be empty");
    if (!ids.insert(spec.id).second) d.at("id").fail(fmt::format("duplicate derived indicator id '{}'", spec.id));
    spec.expression = d.at("expression").as_string();
    d.read("name", spec.name);
    try {
      (void)expression::parse(spec.expression, fmt::format("derived indicator '{}'", spec.id));
    } catch (const schema_error& e) {
      d.at("expression").fail(e.what());
    }
    out.push_back(std::move(spec));
  }
  return out;
}

imputation read_imputation(const json_cursor& c) {
  c.allow_only({"method", "group"});
  imputation spec;
  if (!c.has("method")) c.fail("imputation needs a \"method\"");
  c.read("method", spec.method, imputation_names);
  c.read("group", spec.group);
  if (const std::string problem = imputation_problem(spec); !problem.empty()) c.fail(problem);
  return spec;
}

treatment read_treatment(const json_cursor& c, treatment spec) {
  c.allow_only({"method", "max_winsorised", "skew", "kurtosis", "lower_quantile", "upper_quantile", "lambda", "log_form",
                "winsorise_budget"});
  c.read("method", spec.method, treatment_names);
  c.read("max_winsorised", spec.max_winsorised);
  c.read("skew", spec.skew);
  c.read("kurtosis", spec.kurtosis);
  c.read("lower_quantile", spec.lower_quantile);
  c.read("upper_quantile", spec.upper_quantile);
  c.read("lambda", spec.lambda);
  c.read("log_form", spec.log, log_form_names);
  c.read("winsorise_budget", spec.budget, winsorise_budget_names);
  if (const std::string problem = treatment_problem(spec); !problem.empty()) c.fail(problem);
  return spec;
}

screening read_screening(const json_cursor& c, screening spec) {
  c.allow_only({"min_coverage", "order"});
  c.read("min_coverage", spec.min_coverage);
  c.read("order", spec.order, screening_order_names);
  if (const std::string problem = screening_problem(spec); !problem.empty()) c.at("min_coverage").fail(problem);
  return spec;
}

ordered write_derived(const std::vector<derived_indicator>& derived) {
  ordered out = ordered::array();
  for (const derived_indicator& spec : derived) {
    ordered j{{"id", spec.id}, {"expression", spec.expression}};
    if (!spec.name.empty()) j["name"] = spec.name;
    out.push_back(j);
  }
  return out;
}

ordered write_imputation(const imputation& spec) {
  ordered j{{"method", name_of(imputation_names, spec.method)}};
  if (!spec.group.empty()) j["group"] = spec.group;
  return j;
}

ordered write_treatment(const treatment& spec, const treatment& d) {
  ordered j{{"method", name_of(treatment_names, spec.method)}};
  if (spec.max_winsorised != d.max_winsorised) j["max_winsorised"] = spec.max_winsorised;
  if (spec.skew != d.skew) j["skew"] = spec.skew;
  if (spec.kurtosis != d.kurtosis) j["kurtosis"] = spec.kurtosis;
  if (spec.lower_quantile != d.lower_quantile) j["lower_quantile"] = spec.lower_quantile;
  if (spec.upper_quantile != d.upper_quantile) j["upper_quantile"] = spec.upper_quantile;
  if (spec.lambda) j["lambda"] = *spec.lambda;
  if (spec.log != d.log) j["log_form"] = name_of(log_form_names, spec.log);
  if (spec.budget != d.budget) j["winsorise_budget"] = name_of(winsorise_budget_names, spec.budget);
  return j;
}

ordered write_screening(const screening& spec, const screening& d) {
  ordered j{{"min_coverage", spec.min_coverage}};
  if (spec.order != d.order) j["order"] = name_of(screening_order_names, spec.order);
  return j;
}

}  // namespace parkscore::detail
