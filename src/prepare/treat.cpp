#include "parkscore/prepare/treat.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "parkscore/error.hpp"
#include "parkscore/methods/stats.hpp"
#include "prepare/preparation_names.hpp"
#include "model/missing_value.hpp"

namespace parkscore {

namespace {

// The JRC loop: replace the most extreme point(s) by the next value inward, on
// the side the skew points to, while the rule fails. The budget counts distinct
// points changed so far (ties move together); a step that would take it past the budget is not taken.
// Returns the caps if the values pass within the budget.
std::optional<std::pair<double, double>> winsorise_until_pass(std::vector<double> w, const treatment& spec) {
  double lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
  std::vector<bool> changed(w.size(), false);
  for (;;) {
    const double s = nan_skewness(as_vector(w));
    if (!fails_outlier_rule(s, nan_kurtosis(as_vector(w)), spec)) return std::pair{lo, hi};
    const bool upper = s >= 0;
    const double extreme = upper ? *std::max_element(w.begin(), w.end()) : *std::min_element(w.begin(), w.end());
    std::optional<double> next;
    int count = 0;
    for (std::size_t i = 0; i < w.size(); ++i) {
      if (w[i] == extreme || changed[i]) ++count;
      if (w[i] != extreme && (!next || (upper ? w[i] > *next : w[i] < *next))) next = w[i];
    }
    // strict: the step must leave at most max_winsorised points changed; before_step (COINr):
    // the step is taken while fewer than max_winsorised points have been changed so far.
    const auto changed_so_far = static_cast<int>(std::count(changed.begin(), changed.end(), true));
    const bool over_budget = spec.budget == winsorise_budget::strict ? count > spec.max_winsorised
                                                                     : changed_so_far >= spec.max_winsorised;
    if (!next || over_budget) return std::nullopt;
    for (std::size_t i = 0; i < w.size(); ++i)
      if (w[i] == extreme) {
        w[i] = *next;
        changed[i] = true;
      }
    (upper ? hi : lo) = *next;
  }
}

}  // namespace

std::string to_string(treatment_method m) { return detail::name_of(detail::treatment_names, m); }
std::string to_string(applied_treatment a) { return detail::name_of(detail::applied_treatment_names, a); }

std::string treatment_problem(const treatment& spec) {
  if (spec.max_winsorised < 0) return fmt::format("max_winsorised must be >= 0, got {}", spec.max_winsorised);
  if (!(std::isfinite(spec.skew) && spec.skew >= 0) || !std::isfinite(spec.kurtosis))
    return fmt::format("the thresholds must be finite with skew >= 0, got skew {} and kurtosis {}", spec.skew,
                       spec.kurtosis);
  if (!(spec.lower_quantile >= 0 && spec.lower_quantile < spec.upper_quantile && spec.upper_quantile <= 1))
    return fmt::format("quantiles must satisfy 0 <= lower_quantile < upper_quantile <= 1, got {} and {}",
                       spec.lower_quantile, spec.upper_quantile);
  if (spec.method == treatment_method::box_cox && !spec.lambda) return "box_cox needs a \"lambda\"";
  if (spec.lambda && !std::isfinite(*spec.lambda)) return fmt::format("lambda must be finite, got {}", *spec.lambda);
  if (spec.method != treatment_method::box_cox && spec.lambda) return "\"lambda\" applies to box_cox only";
  return "";
}

bool fails_outlier_rule(double skewness, double kurtosis, const treatment& spec) {
  return std::abs(skewness) >= spec.skew && kurtosis >= spec.kurtosis;  // NaN compares false
}

double fitted_treatment::apply(double x) const {
  if (std::isnan(x)) return x;
  switch (applied) {
    case applied_treatment::none:
      return x;
    case applied_treatment::winsorised:
      return std::clamp(x, lower_cap, upper_cap);
    case applied_treatment::log:
      return x > 0 ? std::log(x) : nan;
    case applied_treatment::shifted_log: {
      const double a = (reflected ? max - x : x - min) + 0.01 * (max - min);
      if (!(a > 0)) return nan;
      return reflected ? -std::log(a) : std::log(a);
    }
    case applied_treatment::box_cox:
      if (!(x > 0)) return nan;
      return lambda == 0 ? std::log(x) : (std::pow(x, lambda) - 1) / lambda;
  }
  return nan;
}

treated_column treat(const Eigen::Ref<const Eigen::VectorXd>& x, const treatment& spec, const treat_options& options) {
  if (const std::string problem = treatment_problem(spec); !problem.empty())
    throw schema_error(fmt::format("indicator '{}': treatment: {}", options.indicator, problem));
  const auto n = static_cast<std::size_t>(x.size());
  auto unit = [&](std::size_t i) {
    return i < options.unit_ids.size() ? options.unit_ids[i] : fmt::format("#{}", i + 1);
  };
  auto is_reference = [&](std::size_t i) { return options.reference.empty() || options.reference.at(i); };

  std::vector<double> ref;
  for (std::size_t i = 0; i < n; ++i)
    if (is_reference(i) && !std::isnan(x[static_cast<Eigen::Index>(i)])) ref.push_back(x[static_cast<Eigen::Index>(i)]);

  treated_column out{x, {}};
  treatment_record& rec = out.record;
  rec.indicator = options.indicator;
  rec.pool = options.pool;
  rec.spec = spec;
  rec.count = ref.size();
  rec.skew_before = nan_skewness(as_vector(ref));
  rec.kurtosis_before = nan_kurtosis(as_vector(ref));
  rec.failed_before = fails_outlier_rule(rec.skew_before, rec.kurtosis_before, spec);

  fitted_treatment& f = rec.fitted;
  auto shifted_log = [&] {
    f.applied = applied_treatment::shifted_log;
    f.min = *std::min_element(ref.begin(), ref.end());
    f.max = *std::max_element(ref.begin(), ref.end());
    f.reflected = spec.log == log_form::log_ct_plus && rec.skew_before < 0;   // log_ct never mirrors
  };
  switch (spec.method) {
    case treatment_method::none:
      break;
    case treatment_method::jrc: {
      if (!rec.failed_before) break;
      if (const auto caps = winsorise_until_pass(ref, spec)) {
        f.applied = applied_treatment::winsorised;
        f.lower_cap = caps->first;
        f.upper_cap = caps->second;
      } else {
        shifted_log();  // on the original values, as the COIN tools do
      }
      break;
    }
    case treatment_method::winsorise:
      if (ref.empty()) break;
      f.applied = applied_treatment::winsorised;
      f.lower_cap = nan_quantile(as_vector(ref), spec.lower_quantile);
      f.upper_cap = nan_quantile(as_vector(ref), spec.upper_quantile);
      break;
    case treatment_method::log:
      f.applied = applied_treatment::log;
      break;
    case treatment_method::shifted_log:
      if (ref.size() < 2 || *std::min_element(ref.begin(), ref.end()) == *std::max_element(ref.begin(), ref.end()))
        break;  // constant: nothing to transform
      shifted_log();
      break;
    case treatment_method::box_cox:
      f.applied = applied_treatment::box_cox;
      f.lambda = *spec.lambda;
      break;
  }

  std::vector<double> after;
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    const double before = x[r];
    const double y = f.apply(before);
    if (!std::isnan(before) && std::isnan(y))
      throw data_error(fmt::format("indicator '{}', unit '{}' ({}): {} treatment is undefined for the value {}{}",
                                   options.indicator, unit(i), options.pool, to_string(f.applied), before,
                                   f.applied == applied_treatment::shifted_log
                                       ? fmt::format(" (below the pool minimum {} by more than 1% of the range)", f.min)
                                       : std::string(" (needs a positive value)")));
    out.values[r] = y;
    if (is_reference(i) && !std::isnan(y)) after.push_back(y);
    if (f.applied == applied_treatment::winsorised && !std::isnan(before) && y != before) {
      rec.points.push_back({unit(i), before, y});
      if (is_reference(i)) ++rec.winsorised;
    }
  }
  rec.skew_after = nan_skewness(as_vector(after));
  rec.kurtosis_after = nan_kurtosis(as_vector(after));
  rec.passes_after = !fails_outlier_rule(rec.skew_after, rec.kurtosis_after, spec);
  return out;
}

}  // namespace parkscore
