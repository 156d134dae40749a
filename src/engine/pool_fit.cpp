#include "engine/pool_fit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "engine/column_kernels.hpp"
#include "engine/parallel.hpp"
#include "methods/refit.hpp"
#include "parkscore/error.hpp"
#include "parkscore/methods/clip_check.hpp"
#include "parkscore/methods/normalise.hpp"
#include "prepare/preparation_names.hpp"

namespace parkscore::detail {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

// What the domain check needs of a label's values (all units, clipped).
struct domain_summary {
  double min = infinity;
  double max = -infinity;
  bool has_zero = false;
  bool has_nonfinite = false;
};

// One column's pass: per label, the statistics of its ranked units and the domain summary
// of all its units (views into tables of every column, so a pass allocates nothing).
struct column_pass {
  column_stats* stats;
  domain_summary* domain;
};

void scan_column(const double* x, const column_summary* known, const normalisation& spec,
                 const pool_partition& part, const std::vector<bool>& ranked, column_pass pass) {
  const std::size_t labels = part.labels.size();
  const double lo = spec.clip_lo.value_or(-infinity), hi = spec.clip_hi.value_or(infinity);
  if (labels == 1 && part.ranked[0].size() == part.label_of.size()) {   // one pool, every unit ranked
    column_stats& s = pass.stats[0];
    // One vectorised pass; its sum is NaN if any value is missing.
    const column_summary summary = known ? *known : summarise_column(x, part.label_of.size());
    if (!spec.clip_lo && !spec.clip_hi && !std::isnan(summary.sum) && !part.label_of.empty()) {
      s.count = part.label_of.size();
      s.min = summary.min;
      s.max = summary.max;
      s.sum = summary.sum;
      s.sum_squares = summary.sum_squares;
    } else {
      for (std::size_t i = 0; i < part.label_of.size(); ++i) {
        const double v = x[i];
        s.add(v, v < lo ? lo : (v > hi ? hi : v));   // NaN skipped by add
      }
    }
    // Every unit is a reference unit: the domain summary is the statistics' own.
    domain_summary& d = pass.domain[0];
    d.min = s.min;
    d.max = s.max;
    d.has_nonfinite = s.count > 0 && (!std::isfinite(s.min) || !std::isfinite(s.max));
    d.has_zero = s.count > 0 && s.min <= 0 && s.max >= 0;   // may be a zero: the exact check decides
    return;
  }
  for (std::size_t i = 0; i < part.label_of.size(); ++i) {
    const double v = x[i];
    if (std::isnan(v)) continue;
    const double c = v < lo ? lo : (v > hi ? hi : v);
    const std::uint32_t l = part.label_of[i];
    domain_summary& d = pass.domain[l];
    d.min = std::min(d.min, c);
    d.max = std::max(d.max, c);
    d.has_zero = d.has_zero || c == 0;
    d.has_nonfinite = d.has_nonfinite || !std::isfinite(c);
    if (ranked[i]) pass.stats[l].add(v, c);
  }
}

// Sum of squared deviations about the mean, over the label's ranked rows in order (z_score).
double centred_squares(const double* x, const normalisation& spec, const std::vector<std::uint32_t>& rows,
                       const column_stats& stats) {
  const double mean = stats.sum / static_cast<double>(stats.count);
  double ss = 0.0;
  for (std::uint32_t i : rows) {
    const double c = clip_value(x[i], spec);
    if (!std::isnan(c)) ss += (c - mean) * (c - mean);
  }
  return ss;
}

// A quick test on the label's range; where it says maybe, domain_problem checks every value.
bool may_be_outside_domain(const domain_summary& d, const normalisation& spec, direction) {
  if (d.has_nonfinite) return true;
  switch (spec.method) {
    case normalisation_method::none:
      return std::max(std::abs(d.min), std::abs(d.max)) > 1e200;
    case normalisation_method::efficacy_anchored:
      return true;   // the score of a fixed scale must itself be a double
    case normalisation_method::goalposts:
      return true;
    case normalisation_method::ratio_to_max:
      return d.min < 0;
    case normalisation_method::ratio_to_pool:
      return d.min <= 0;
    case normalisation_method::ratio_to_benchmark:
      return true;
    default:
      return false;
  }
}

// Whether a method can move raw values to a bound (clip, cap, clamp): bounded_share_warning's cases.
bool may_bound(const normalisation& s) {
  return s.clip_lo || s.clip_hi || (s.method == normalisation_method::ratio_to_benchmark && s.cap) ||
         ((s.method == normalisation_method::goalposts || s.method == normalisation_method::efficacy_anchored) &&
          s.clamp);
}

}  // namespace

fitted_table fit_pooling(const pooling_context& ctx, const pool_partition& part, const raw_columns& raw,
                         const std::string& grouping, pool_result& out) {
  const framework& fw = ctx.plan.model;
  const std::size_t m = raw.size(), labels = part.labels.size();
  std::vector<column_stats> stats(m * labels);
  std::vector<domain_summary> domains(m * labels);
  std::vector<column_pass> passes(m);
  for (std::size_t j = 0; j < m; ++j) passes[j] = {&stats[j * labels], &domains[j * labels]};
  parallel_for(m, part.label_of.size() * m < parallel_cells ? 1 : ctx.options.threads, [&](std::size_t j) {
    const node& ind = fw.at(fw.indicators()[j]);
    const column_summary* known = ctx.summaries.empty() ? nullptr : &ctx.summaries[j];
    scan_column(raw[j], known, ind.norm, part, ctx.ranked, passes[j]);
    if (ind.norm.method == normalisation_method::z_score)
      for (std::size_t l = 0; l < labels; ++l)
        if (passes[j].stats[l].count > 0)
          passes[j].stats[l].centred_squares = centred_squares(raw[j], ind.norm, part.ranked[l], passes[j].stats[l]);
  });

  // In the order of the record: label by label, indicator by indicator.
  fitted_table fitted{labels, std::vector<const fitted_normaliser*>(m * labels, nullptr)};
  if (ctx.fits)   // the normalisers' addresses hold
    ctx.fits->reserve(m * labels);
  else
    out.normalisation.reserve(m * labels);
  std::optional<normalisation> with_benchmark;   // a copy only where the previous year sets it
  for (std::size_t l = 0; l < labels; ++l) {
    const std::string& label = part.labels[l];
    const std::string where = pool_name(grouping, label);
    for (std::size_t j = 0; j < m; ++j) {
      const node& ind = fw.at(fw.indicators()[j]);
      if (may_be_outside_domain(passes[j].domain[l], ind.norm, ind.dir))
        for (std::uint32_t i : part.rows[l])
          if (const std::string problem = domain_problem(raw[j][i], ind.norm, ind.dir); !problem.empty())
            throw data_error(fmt::format("indicator '{}', unit '{}': {} ({} normalisation)", ind.id,
                                         ctx.data.unit_ids()[i], problem, to_string(ind.norm.method)));
      if (ind.norm.benchmark_factor) {
        with_benchmark = ind.norm;
        with_benchmark->benchmark = previous_year_benchmark(ctx.previous, ind, grouping, label);
      }
      const normalisation& spec = ind.norm.benchmark_factor ? *with_benchmark : ind.norm;
      // Fitted in place: a reused result's record (or the thread's normaliser) keeps its memory.
      normalisation_record* const record =
          ctx.fits ? nullptr : &next_record(out.normalisation, ctx.records.normalisation);
      scratch_fit* const scratch = record ? nullptr : &next_record(*ctx.fits, ctx.records.fits);
      fitted_normaliser& f = record ? record->fitted : scratch->fitted;
      // The thread's own normaliser, fitted for this indicator of this plan, holds its spec.
      const bool spec_in_place = scratch && scratch->plan == ctx.plan.id && scratch->indicator == j &&
                                 !ind.norm.benchmark_factor;
      if (scratch) scratch->plan = 0;   // until fitted: a failed fit may leave another spec
      auto reference_values = [&] {   // the label's ranked units
        Eigen::VectorXd reference(static_cast<Eigen::Index>(part.ranked[l].size()));
        for (std::size_t r = 0; r < part.ranked[l].size(); ++r)
          reference[static_cast<Eigen::Index>(r)] = raw[j][part.ranked[l][r]];
        return reference;
      };
      try {
        // Statistics beyond a double's range are taken from the values, scaled.
        const column_stats& pool_stats = passes[j].stats[l];
        if (needs_sorted_values(spec.method) ||
            !(spec_in_place ? refit_from_stats(pool_stats, ind.dir, f) : fit_from_stats(pool_stats, spec, ind.dir, f)))
          f = fit_normaliser(reference_values(), spec, ind.dir);
      } catch (const method_error&) {
        --(record ? ctx.records.normalisation : ctx.records.fits);   // no normaliser for this one
        ctx.notes.push_back({severity::warning, "normalise", where, ind.id, "",
                             "no value in this pool: the indicator is missing for all its units"});
        continue;
      }
      if (f.zero_range)
        ctx.notes.push_back({severity::warning, "normalise", where, ind.id, "",
                             fmt::format("all {} values equal ({}): the defined constant case applies", f.count,
                                         f.min)});
      // A clip, cap or floor that moves many values: the data may be on another scale.
      if (may_bound(spec))
        if (auto bounded = bounded_share_warning(f, reference_values(), "", ""))
          ctx.notes.push_back({severity::warning, "normalise", where, ind.id, "", *bounded});
      if (record) {
        record->indicator = ind.id;
        record->pool_label = label;
      } else {
        scratch->plan = ctx.plan.id;
        scratch->indicator = j;
      }
      fitted.fitted[j * labels + l] = &f;
    }
  }
  return fitted;
}

namespace {

constexpr std::size_t kept_scratch = 4;   // per thread: an evaluation and a few nested in it

std::vector<std::vector<scratch_fit>>& spare_fits() {
  thread_local std::vector<std::vector<scratch_fit>> spare;
  return spare;
}

}  // namespace

fitted_scratch::fitted_scratch() {
  std::vector<std::vector<scratch_fit>>& spare = spare_fits();
  if (spare.empty()) return;
  fits_ = std::move(spare.back());
  spare.pop_back();
}

fitted_scratch::~fitted_scratch() {
  std::vector<std::vector<scratch_fit>>& spare = spare_fits();
  if (spare.size() < kept_scratch) spare.push_back(std::move(fits_));
}

}  // namespace parkscore::detail
