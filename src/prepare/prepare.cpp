#include "parkscore/prepare/prepare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "model/dataset_edit.hpp"
#include "parkscore/error.hpp"
#include "prepare/preparation_names.hpp"
#include "prepare/preparation_notes.hpp"

namespace parkscore {

namespace {

}  // namespace

void detail::check_preparation_specs(const framework& model) {
  auto check = [&](const std::string& problem, const std::string& where) {
    if (!problem.empty()) throw schema_error(fmt::format("framework '{}': {}: {}", model.id, where, problem));
  };
  check(imputation_problem(model.impute), "imputation");
  check(screening_problem(model.screen), "screening");
  for (int k : model.indicators()) {
    const node& n = model.at(k);
    if (n.impute) check(imputation_problem(*n.impute), fmt::format("indicator '{}': imputation", n.id));
    check(treatment_problem(n.treat), fmt::format("indicator '{}': treatment", n.id));
  }
  std::set<std::string> ids;
  for (std::size_t k = 0; k < model.derived.size(); ++k) {
    const std::string& id = model.derived[k].id;
    const std::string where = fmt::format("derived indicator {}", k + 1);
    if (id.empty()) check("the id must not be empty", where);
    if (!ids.insert(id).second) check(fmt::format("duplicate id '{}'", id), where);
    if (const auto node_index = model.find(id); node_index && !model.at(*node_index).is_indicator())
      check(fmt::format("id '{}' is a category of the framework", id), where);
  }
}

namespace {

// Derived specs the previous year can give: no lag(), every input present.
std::vector<derived_indicator> derivable_from(const dataset& previous, const std::vector<derived_indicator>& specs) {
  std::vector<derived_indicator> out;
  std::set<std::string> columns(previous.indicator_ids().begin(), previous.indicator_ids().end());
  for (const derived_indicator& spec : specs) {
    const expression e = expression::parse(spec.expression, "derived indicator '" + spec.id + "'");
    const auto inputs = e.columns();
    if (!e.lagged_columns().empty() || columns.count(spec.id) != 0 ||
        !std::all_of(inputs.begin(), inputs.end(), [&](const std::string& c) { return columns.count(c) != 0; }))
      continue;
    columns.insert(spec.id);
    out.push_back(spec);
  }
  return out;
}

// COINr's order: impute (over all units, as one pool), then screen on the imputed values. The
// kept units go on with their values as read; imputation runs again per pooling as usual.
screened_data screen_after_imputation(const framework& model, const dataset& data, const dataset* previous) {
  const std::vector<std::string> ids = model.indicator_ids();
  const auto n = data.unit_count();
  Eigen::MatrixXd raw(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(ids.size()));
  std::vector<imputation> specs;
  for (std::size_t j = 0; j < ids.size(); ++j) {
    raw.col(static_cast<Eigen::Index>(j)) = data.values().col(static_cast<Eigen::Index>(data.indicator_index(ids[j])));
    specs.push_back(model.at(model.indicators()[j]).impute.value_or(model.impute));
  }
  std::vector<std::size_t> all_rows(n);
  for (std::size_t i = 0; i < n; ++i) all_rows[i] = i;
  const dataset indicators = detail::with_values(data, data.unit_ids(), data.unit_names(), ids, raw, all_rows);
  const imputed_data imputed = impute(indicators, specs, {{}, "", {}, previous});
  const dataset filled = detail::with_values(data, data.unit_ids(), data.unit_names(), ids, imputed.values, all_rows);
  screened_data screened = screen(filled, ids, model.screen);
  if (screened.record.dropped.empty()) return {data, std::move(screened.record)};
  std::set<std::string> dropped;
  for (const screened_unit& u : screened.record.dropped) dropped.insert(u.unit);
  std::vector<std::size_t> kept;
  for (std::size_t i = 0; i < n; ++i)
    if (dropped.count(data.unit_ids()[i]) == 0) kept.push_back(i);
  return {detail::select_units(data, kept), std::move(screened.record)};
}

}  // namespace

const pool_preparation& preparation_record::pool(const std::string& grouping) const {
  for (const pool_preparation& p : pools)
    if (p.grouping == grouping) return p;
  throw error(fmt::format("no preparation record for the pooling '{}'", grouping.empty() ? "all" : grouping));
}

std::vector<std::string> derivation_columns(const framework& model) {
  std::vector<std::string> out;
  for (const derived_indicator& spec : model.derived) {
    out.push_back(spec.id);
    for (const std::string& c : expression::parse(spec.expression, "derived indicator '" + spec.id + "'").columns())
      out.push_back(c);
  }
  return out;
}

std::vector<std::string> input_columns(const framework& model) {
  std::vector<std::string> derived_ids, out;
  for (const derived_indicator& spec : model.derived) derived_ids.push_back(spec.id);
  auto add = [&](const std::string& id) {
    if (std::find(out.begin(), out.end(), id) == out.end() &&
        std::find(derived_ids.begin(), derived_ids.end(), id) == derived_ids.end())
      out.push_back(id);
  };
  for (const std::string& id : model.indicator_ids()) add(id);
  for (const std::string& id : derivation_columns(model)) add(id);
  for (const event_column& e : model.rules.events) add(e.id);
  return out;
}

prepared_units prepare_units(const framework& model, const dataset& data, const dataset* previous) {
  detail::check_preparation_specs(model);
  derived_data derived = derive(data, model.derived, previous);
  prepared_units out{{}, std::nullopt, {}};
  for (const derived_indicator& spec : model.derived) out.record.derived.push_back(spec.id);
  out.record.derive_warnings = std::move(derived.warnings);
  if (previous) out.previous = derive(*previous, derivable_from(*previous, model.derived)).data;

  std::vector<std::string> missing;
  for (const std::string& id : model.indicator_ids())
    if (!derived.data.find_indicator(id)) missing.push_back(id);
  if (!missing.empty())
    throw data_error(fmt::format("framework '{}': indicator(s) {} have no column in the data{}", model.id,
                                 fmt::join(missing, ", "), data.source.empty() ? "" : " of " + data.source));
  screened_data screened =
      model.screen.order == screening_order::after_imputation && model.screen.min_coverage > 0
          ? screen_after_imputation(model, derived.data, out.previous ? &*out.previous : nullptr)
          : screen(derived.data, model.indicator_ids(), model.screen);
  out.data = std::move(screened.data);
  out.record.screening = std::move(screened.record);
  return out;
}

prepared_pooling prepare_pooling(const framework& model, const prepared_units& units, const pooling_options& options) {
  const dataset& data = units.data;
  const std::size_t n = data.unit_count();
  const std::vector<std::string> ids = model.indicator_ids();
  const std::vector<std::string> labels =
      options.grouping.empty() ? std::vector<std::string>(n, "all") : data.group(options.grouping);

  // The framework's indicators as a dataset of their own (keeps the grouping columns).
  Eigen::MatrixXd raw(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(ids.size()));
  std::vector<imputation> specs;
  for (std::size_t j = 0; j < ids.size(); ++j) {
    raw.col(static_cast<Eigen::Index>(j)) = data.values().col(static_cast<Eigen::Index>(data.indicator_index(ids[j])));
    const node& ind = model.at(model.indicators()[j]);
    specs.push_back(ind.impute.value_or(model.impute));
  }
  std::vector<std::size_t> all_rows(n);
  for (std::size_t i = 0; i < n; ++i) all_rows[i] = i;
  const dataset indicators = detail::with_values(data, data.unit_ids(), data.unit_names(), ids, raw, all_rows);

  prepared_pooling out;
  pool_preparation& rec = out.record;
  rec.grouping = options.grouping;
  imputed_data imputed = impute(indicators, specs,
                                {labels, options.grouping, options.reference, units.previous ? &*units.previous : nullptr});
  out.values = std::move(imputed.values);
  rec.imputed = std::move(imputed.imputed);
  rec.imputations = std::move(imputed.cells);
  rec.unfilled = std::move(imputed.unfilled);

  // Labels in order of first appearance, each with its rows.
  std::vector<std::pair<std::string, std::vector<std::size_t>>> pools;
  for (std::size_t i = 0; i < n; ++i) {
    auto it = std::find_if(pools.begin(), pools.end(), [&](const auto& p) { return p.first == labels[i]; });
    if (it == pools.end()) it = pools.emplace(pools.end(), labels[i], std::vector<std::size_t>{});
    it->second.push_back(i);
  }
  for (std::size_t j = 0; j < ids.size(); ++j) {
    const node& ind = model.at(model.indicators()[j]);
    if (ind.treat.method == treatment_method::none) continue;
    const auto col = static_cast<Eigen::Index>(j);
    for (const auto& [label, rows] : pools) {
      Eigen::VectorXd x(static_cast<Eigen::Index>(rows.size()));
      treat_options topt;
      topt.indicator = ind.id;
      topt.pool = detail::pool_name(options.grouping, label);
      for (std::size_t r = 0; r < rows.size(); ++r) {
        x[static_cast<Eigen::Index>(r)] = out.values(static_cast<Eigen::Index>(rows[r]), col);
        topt.unit_ids.push_back(data.unit_ids()[rows[r]]);
        topt.reference.push_back(options.reference.empty() || options.reference[rows[r]]);
      }
      treated_column treated = treat(x, ind.treat, topt);
      for (std::size_t r = 0; r < rows.size(); ++r)
        out.values(static_cast<Eigen::Index>(rows[r]), col) = treated.values[static_cast<Eigen::Index>(r)];
      rec.treatments.push_back(std::move(treated.record));
    }
  }
  return out;
}

prepared prepare(const framework& model, const dataset& data, const preparation_options& options) {
  model.validate();
  prepared_units units = prepare_units(model, data, options.previous);
  pooling_options popt{options.grouping, std::vector<bool>(units.data.unit_count(), true)};
  for (const std::string& unit : options.excluded) {
    if (const auto i = units.data.find_unit(unit)) {
      popt.reference[*i] = false;
    } else if (!data.find_unit(unit)) {
      throw data_error(fmt::format("excluded unit '{}' is not in the data", unit));
    }
  }
  prepared_pooling pooled = prepare_pooling(model, units, popt);
  std::vector<std::size_t> rows(units.data.unit_count());
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
  prepared out{detail::with_values(units.data, units.data.unit_ids(), units.data.unit_names(), model.indicator_ids(),
                                   std::move(pooled.values), rows),
               std::move(units.record)};
  out.record.pools.push_back(std::move(pooled.record));
  return out;
}

namespace detail {

void add_preparation_notes(const preparation_record& record, std::vector<note>& notes) {
  for (const derive_warning& w : record.derive_warnings)
    notes.push_back({severity::warning, "derive", "", w.indicator, w.unit, w.message});
  for (const screened_unit& s : record.screening.dropped)
    notes.push_back({severity::warning, "screen", "", "", s.unit,
                     fmt::format("dropped: {} of {} indicators present (coverage {:.4g}% < {:g}%)", s.present, s.total,
                                 100 * s.coverage, 100 * record.screening.min_coverage)});
  for (const pool_preparation& p : record.pools) {
    for (const imputed_cell& c : p.imputations)
      notes.push_back({severity::info, "impute", c.pool, c.indicator, c.unit,
                       fmt::format("imputed {:.6g} ({})", c.value, c.basis)});
    for (const imputed_cell& c : p.unfilled)
      notes.push_back({severity::warning, "impute", c.pool, c.indicator, c.unit, "left missing: " + c.basis});
    for (const treatment_record& t : p.treatments) {
      if (t.fitted.applied == applied_treatment::none && t.passes_after) continue;
      notes.push_back({t.passes_after ? severity::info : severity::warning, "treat", t.pool, t.indicator, "",
                       fmt::format("{}: {}{}; skew {:.4g} -> {:.4g}, kurtosis {:.4g} -> {:.4g}{}",
                                   to_string(t.spec.method), to_string(t.fitted.applied),
                                   t.winsorised > 0 ? fmt::format(" ({} point(s))", t.winsorised) : std::string(),
                                   t.skew_before, t.skew_after, t.kurtosis_before, t.kurtosis_after,
                                   t.passes_after ? "" : "; still fails the outlier rule")});
    }
  }
}

}  // namespace detail

}  // namespace parkscore
