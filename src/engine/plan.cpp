#include "parkscore/engine/plan.hpp"
#include "parkscore/methods/group_ranks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <set>

#include "engine/column_kernels.hpp"
#include "engine/compiled_plan.hpp"
#include "engine/evaluate_rules.hpp"
#include "engine/fresh_memory.hpp"
#include "engine/parallel.hpp"
#include "engine/pool_fit.hpp"
#include "engine/pooling.hpp"
#include "engine/recycled_outputs.hpp"
#include "prepare/preparation_notes.hpp"
#include "parkscore/error.hpp"
#include "parkscore/prepare/prepare.hpp"

namespace parkscore {

namespace detail {

namespace {

std::vector<note> weight_notes(const framework& fw) {
  std::vector<note> notes;
  const std::vector<double> share = fw.absolute_weights();
  for (const node& n : fw.nodes()) {
    if (n.is_indicator()) continue;
    if (n.weighting.method != weighting_method::fixed) {
      notes.push_back({severity::info, "weights", "", n.id, "",
                       fmt::format("{} mean; children weights derived per pool by {}", to_string(n.agg.method),
                                   to_string(n.weighting.method))});
      continue;
    }
    std::vector<std::string> parts;
    for (int c : n.children)
      parts.push_back(fmt::format("{}={:g} ({:.4g})", fw.at(c).id, fw.at(c).weight, share[static_cast<std::size_t>(c)]));
    notes.push_back({severity::info, "weights", "", n.id, "",
                     fmt::format("{} mean of {} (weight, share of the index)", to_string(n.agg.method),
                                 fmt::join(parts, ", "))});
  }
  return notes;
}

}  // namespace

namespace {

std::uint64_t next_plan_id() {
  static std::atomic<std::uint64_t> last{0};
  return ++last;
}

}  // namespace

compiled_plan::compiled_plan(const framework& fw) : model(fw), id(next_plan_id()) {
  model.validate();
  indicator_ids = model.indicator_ids();
  known_columns = input_columns(model);
  for (const derived_indicator& spec : model.derived) known_columns.push_back(spec.id);
  // Nodes are stored parents first, so the reverse order aggregates bottom-up.
  for (int k = static_cast<int>(model.nodes().size()) - 1; k >= 0; --k) {
    const node& n = model.at(k);
    if (n.is_indicator()) continue;
    aggregate_order.push_back(k);
    needs_whole_pool = needs_whole_pool || n.weighting.method != weighting_method::fixed ||
                       n.agg.method == aggregation_method::topsis || n.rescale.method != rescale_method::none;
  }
  top_nodes.push_back(0);
  for (int c : model.root().children) top_nodes.push_back(c);
  weight_notes = detail::weight_notes(model);
  check_preparation_specs(model);
  prepares_pools = model.impute.method != imputation_method::none;
  for (int i : model.indicators()) {
    const node& n = model.at(i);
    prepares_pools = prepares_pools || (n.impute && n.impute->method != imputation_method::none) ||
                     n.treat.method != treatment_method::none;
  }
  prepares_units = !model.derived.empty() || model.screen.min_coverage > 0;
  child_ids.resize(model.nodes().size());
  tree_weights.resize(model.nodes().size());
  indicator_column.assign(model.nodes().size(), -1);
  for (std::size_t j = 0; j < model.indicators().size(); ++j)
    indicator_column[static_cast<std::size_t>(model.indicators()[j])] = static_cast<int>(j);
  means_indicators.assign(model.nodes().size(), 0);
  for (int k : aggregate_order) {
    const node& n = model.at(k);
    means_indicators[static_cast<std::size_t>(k)] =
        n.agg.method == aggregation_method::arithmetic &&
        std::all_of(n.children.begin(), n.children.end(), [&](int c) { return model.at(c).is_indicator(); });
  }
  for (int k : aggregate_order) {
    const node& n = model.at(k);
    Eigen::VectorXd declared(static_cast<Eigen::Index>(n.children.size()));
    for (std::size_t c = 0; c < n.children.size(); ++c) {
      child_ids[static_cast<std::size_t>(k)].push_back(model.at(n.children[c]).id);
      declared[static_cast<Eigen::Index>(c)] = model.at(n.children[c]).weight;
    }
    if (n.weighting.uses_data()) continue;
    try {
      tree_weights[static_cast<std::size_t>(k)] =
          derive_weights(n.weighting, Eigen::MatrixXd(0, declared.size()), declared, child_ids[static_cast<std::size_t>(k)]);
    } catch (const method_error&) {   // reported by the evaluation, naming its pool
    }
  }
}

}  // namespace detail

namespace {

// Dataset columns that are neither indicators nor inputs of the framework (a dataset whose
// columns are the plan's indicators, in its order, has none: the caller tests that once).
void check_columns(const detail::compiled_plan& plan, const dataset& data) {
  const std::vector<std::string>& known = plan.known_columns;
  std::vector<std::string> extra;
  for (const std::string& id : data.indicator_ids())
    if (std::find(known.begin(), known.end(), id) == known.end()) extra.push_back(id);
  if (!extra.empty())
    throw data_error(fmt::format("data column(s) {} are not indicators of framework '{}'", fmt::join(extra, ", "),
                                 plan.model.id));
}

// Notes the units with missing values. Returns each column's summary over every unit,
// which the all-units pool's statistics reuse (one read of the matrix instead of two).
std::vector<detail::column_summary> note_missing_values(const detail::compiled_plan& plan, const dataset& data,
                                                        const detail::raw_columns& raw, int threads,
                                                        std::vector<note>& notes) {
  const framework& fw = plan.model;
  bool imputes = fw.impute.method != imputation_method::none;
  for (int i : fw.indicators())
    imputes = imputes || (fw.at(i).impute && fw.at(i).impute->method != imputation_method::none);
  // Which cells imputation fills is in its own notes (step "impute"), per pooling.
  const char* consequence = imputes ? "imputed where the framework says so, otherwise weights renormalised"
                                    : "weights renormalised over the indicators present";
  // Columns first (a vectorised pass each, columns over threads): the sums are NaN where a
  // value is missing (or where infinities of both signs meet: then the exact test decides).
  // Complete data, the usual case, stop here.
  std::vector<detail::column_summary> summaries(raw.size());
  std::vector<char> has_missing(raw.size(), 0);
  const std::size_t n = data.unit_count();
  detail::parallel_for(raw.size(), n * raw.size() < detail::parallel_cells ? 1 : threads, [&](std::size_t j) {
    summaries[j] = detail::summarise_column(raw[j], n);
    has_missing[j] = std::isnan(summaries[j].sum) && detail::any_nan(raw[j], n);
  });
  std::vector<std::size_t> incomplete;
  for (std::size_t j = 0; j < raw.size(); ++j)
    if (has_missing[j]) incomplete.push_back(j);
  if (incomplete.empty()) return summaries;
  for (std::size_t i = 0; i < data.unit_count(); ++i) {
    std::vector<std::string> missing;
    for (std::size_t j : incomplete)
      if (std::isnan(raw[j][i])) missing.push_back(plan.indicator_ids[j]);
    if (missing.empty()) continue;
    notes.push_back({severity::warning, "data", "", "", data.unit_ids()[i],
                     fmt::format("{} missing value(s): {}; {}", missing.size(), fmt::join(missing, ", "),
                                 consequence)});
  }
  return summaries;
}

void note_rules(const detail::unit_weights& weights, const result& r, std::vector<note>& notes) {
  if (weights.set_names.size() > 1 || weights.set_names.front() != r.model->weight_sets.default_name)
    for (std::size_t i = 0; i < r.unit_ids.size(); ++i)
      notes.push_back({severity::info, "weights", "", "", r.unit_ids[i],
                       fmt::format("weight set '{}'", weights.name(i))});
  for (std::size_t i = 0; i < r.rules.size(); ++i) {
    const unit_rule_record& rec = r.rules[i];
    for (const adjustment_line& line : rec.adjustments)
      notes.push_back({severity::info, "adjust", "", line.item, r.unit_ids[i],
                       fmt::format("{:g} event(s): {:+g} points", line.events, line.points)});
    if (!rec.adjustments.empty())
      notes.push_back({severity::info, "adjust", "", "", r.unit_ids[i],
                       fmt::format("bonus {:+g}, deduction {:+g} after caps: {:+g} points on the total", rec.bonus,
                                   rec.deduction, rec.adjustment())});
  }
}

// Units not ranked: those the caller excluded plus the vetoed ones, each with its
// reason recorded in `out`. Returns, per unit of `data`, whether it is ranked.
std::vector<bool> resolve_exclusions(const dataset& input, const dataset& data,
                                     std::map<std::string, std::string> excluded, result& out) {
  for (std::size_t i = 0; i < out.rules.size(); ++i) {
    const unit_rule_record& rec = out.rules[i];
    if (!rec.vetoed()) continue;
    std::string& reason = excluded[data.unit_ids()[i]];
    reason = fmt::format("{}veto: {}", reason.empty() ? "" : reason + "; ", fmt::join(rec.veto, "; "));
  }
  std::vector<bool> ranked(data.unit_count(), true);
  for (const auto& [unit, reason] : excluded) {
    const auto i = data.find_unit(unit);
    if (!i && input.find_unit(unit)) continue;  // dropped by screening, noted there
    if (!i) throw data_error(fmt::format("excluded unit '{}' is not in the data", unit));
    ranked[*i] = false;
    out.excluded[unit] = reason;
    out.notes.push_back({severity::info, "exclude", "", "", unit,
                         fmt::format("not ranked and left out of pool statistics: {}", reason)});
  }
  return ranked;
}

// Every column of a matrix whose columns are in framework order (prepared values).
detail::raw_columns columns_of(const Eigen::MatrixXd& values) {
  detail::raw_columns raw;
  raw.reserve(static_cast<std::size_t>(values.cols()));
  for (Eigen::Index j = 0; j < values.cols(); ++j) raw.push_back(values.col(j).data());
  return raw;
}

// The framework's indicator columns of a dataset, in framework order, without a copy.
// `plan_layout`: the dataset's columns are the plan's indicators in its order (no lookups).
detail::raw_columns columns_of(const detail::compiled_plan& plan, const dataset& data, bool plan_layout) {
  if (plan_layout) return columns_of(data.values());
  detail::raw_columns raw;
  raw.reserve(plan.indicator_ids.size());
  for (const std::string& id : plan.indicator_ids)
    raw.push_back(data.values().col(static_cast<Eigen::Index>(data.indicator_index(id))).data());
  return raw;
}

}  // namespace

evaluation_plan::evaluation_plan(const framework& model)
    : plan_(std::make_shared<const detail::compiled_plan>(model)) {}

const framework& evaluation_plan::model() const { return plan_->model; }

evaluation_plan compile(const framework& model) { return evaluation_plan(model); }

result evaluation_plan::evaluate(const dataset& input, const evaluation_options& options) const {
  result out;
  detail::take_small(out.pools, out.notes);   // a dropped small result's memory, if there is one
  evaluate_into(input, out, options);
  return out;
}

void evaluation_plan::evaluate_into(const dataset& input, result& out, const evaluation_options& options) const {
  const detail::compiled_plan& plan = *plan_;
  const framework& model = plan.model;
  if (input.unit_count() == 0)
    throw data_error(fmt::format("the data{} have no units", input.source.empty() ? "" : " of " + input.source));
  // Derive and screen once (skipped, with no copy, when the framework does neither);
  // impute and treat per pooling below (docs/preparation.md).
  std::optional<prepared_units> units;
  if (plan.prepares_units || plan.prepares_pools || options.previous)
    units = prepare_units(model, input, options.previous ? &*options.previous : nullptr);
  const dataset& data = units ? units->data : input;
  // The usual layout, the plan's indicators in its order: compared once, no lookups below.
  const bool plan_layout = data.indicator_ids() == plan.indicator_ids;
  if (!units && !plan_layout) {
    std::vector<std::string> missing;
    for (const std::string& id : plan.indicator_ids)
      if (!input.find_indicator(id)) missing.push_back(id);
    if (!missing.empty())
      throw data_error(fmt::format("framework '{}': indicator(s) {} have no column in the data{}", model.id,
                                   fmt::join(missing, ", "), input.source.empty() ? "" : " of " + input.source));
  }
  if (!options.allow_extra_columns && !plan_layout) check_columns(plan, data);
  const detail::raw_columns raw = columns_of(plan, data, plan_layout);

  // Everything is replaced; only the buffers are kept: the pools' (in order) and the notes'.
  // The framework is the plan's own and the ids are the dataset's, shared: nothing per unit
  // is copied or compared (they live as long as a result needs them).
  std::vector<pool_result> recycled = std::move(out.pools);
  std::vector<note> spare_notes = std::move(out.notes);   // the plan's notes are rewritten in their memory
  out = result{};
  out.model = std::shared_ptr<const framework>(plan_, &plan.model);
  auto next_pool = [&]() -> pool_result& {
    const std::size_t slot = out.pools.size();
    out.pools.push_back(slot < recycled.size() ? std::move(recycled[slot]) : pool_result{});
    return out.pools.back();
  };
  out.unit_ids = data.shared_unit_ids();
  out.unit_names = data.shared_unit_names();
  out.period = data.period;
  if (units) out.preparation = units->record;
  const detail::unit_weights weights = detail::resolve_unit_weights(model, data, options);
  detail::note_partial_weight_sets(model, weights, out.notes);
  if (!model.rules.veto.empty() || !model.rules.adjustments.items.empty() || weights.set_names.size() > 1) {
    out.rules = apply_zone_rules(model, data);
    for (std::size_t i = 0; i < data.unit_count(); ++i) out.rules[i].weight_set = weights.name(i);
  } else {
    out.common_rule.weight_set = weights.set_names.front();
  }
  const std::vector<bool> ranked = resolve_exclusions(input, data, options.excluded, out);
  // Usually the first notes: copied over the spare ones, whose strings keep their memory.
  if (out.notes.empty()) {
    out.notes.swap(spare_notes);
    if (options.keep.info_notes)
      out.notes.assign(plan.weight_notes.begin(), plan.weight_notes.end());
    else
      out.notes.clear();
  } else if (options.keep.info_notes) {
    out.notes.insert(out.notes.end(), plan.weight_notes.begin(), plan.weight_notes.end());
  }
  const std::vector<detail::column_summary> data_summaries =
      note_missing_values(plan, data, raw, options.threads, out.notes);

  std::vector<std::string> groupings = options.pools.empty() ? model.pools : options.pools;
  if (groupings.empty() || model.rank_rule.groups == group_scores::global) groupings.insert(groupings.begin(), "");
  if (options.keep.info_notes) note_rules(weights, out, out.notes);
  // Benchmarks read the previous year with its derived columns (prepare_units derives them),
  // so that a derived indicator is compared with the same derivation a year earlier.
  const std::optional<dataset>& previous = units ? units->previous : options.previous;
  const std::vector<detail::column_summary> no_summaries;
  detail::record_cursor records;
  std::optional<detail::fitted_scratch> fits;   // without records, the normalisers are fitted here
  if (!options.keep.records) fits.emplace();
  const detail::pooling_context ctx{plan,      data,    ranked, out.excluded.empty(),
                                    out.notes, weights, previous,
                                    out.rules, options, plan.prepares_pools ? no_summaries : data_summaries,
                                    records,   fits ? &fits->fits() : nullptr};
  std::set<std::string> seen;
  const bool global_groups = model.rank_rule.groups == group_scores::global;   // COINr's groupranks
  for (const std::string& grouping : groupings) {
    if (!seen.insert(grouping).second) continue;
    if (global_groups && !grouping.empty()) {   // the all-units scores (pooled first), ranked within each group
      pool_preparation record = out.preparation.pools.front();
      record.grouping = grouping;
      out.preparation.pools.push_back(std::move(record));
      pool_result grouped = rank_within_groups(out.pools.front(), data.group(grouping), grouping, ranked,
                                               model.rank_rule, data.unit_ids());
      next_pool() = std::move(grouped);
      continue;
    }
    if (!plan.prepares_pools) {
      pool_preparation record;
      record.grouping = grouping;
      if (options.keep.normalised)
        record.imputed = cell_mask::Constant(static_cast<Eigen::Index>(data.unit_count()),
                                             static_cast<Eigen::Index>(raw.size()), false);
      out.preparation.pools.push_back(std::move(record));
      detail::evaluate_pooling(ctx, raw, grouping, next_pool());
      continue;
    }
    prepared_pooling prepared = prepare_pooling(model, *units, {grouping, ranked});
    out.preparation.pools.push_back(std::move(prepared.record));
    detail::evaluate_pooling(ctx, columns_of(prepared.values), grouping, next_pool());
  }
  detail::add_preparation_notes(out.preparation, out.notes);
  if (!options.keep.info_notes)
    out.notes.erase(std::remove_if(out.notes.begin(), out.notes.end(),
                                   [](const note& n) { return n.level == severity::info; }),
                    out.notes.end());
}

}  // namespace parkscore
