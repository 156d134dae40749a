#pragma once
// Outlier treatment of one indicator within one pool, as the JRC's COIN tools
// do it, plus the usual alternatives. Fitted on the pool's reference units,
// applied to every unit; every treated indicator and point is recorded.
// Formulas and decisions: docs/preparation.md.

#include <Eigen/Core>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace parkscore {

enum class treatment_method {
  none,
  jrc,          // |skew| >= skew AND kurtosis >= kurtosis: winsorise up to max_winsorised points, else shifted log
  winsorise,    // clamp to the lower_quantile and upper_quantile of the pool
  log,          // ln(x), x > 0
  shifted_log,  // ln(x - min + 0.01 (max - min)) (reflected for negative skew)
  box_cox,      // (x^lambda - 1) / lambda, ln(x) for lambda = 0; x > 0
};

/// The shifted log: ln(x - min + 0.01 (max - min)), mirrored for negative skew
/// (COINr's log_CT_plus, parkscore's default) or never mirrored (COINr's log_CT).
enum class log_form { log_ct_plus, log_ct };

/// When the JRC loop stops winsorising: before a step that would change more than
/// max_winsorised points (strict), or once max_winsorised points have been changed, so the
/// last step may overshoot when it moves tied points (COINr's winsorise()).
enum class winsorise_budget { strict, before_step };

struct treatment {
  treatment_method method = treatment_method::none;
  int max_winsorised = 5;        // jrc: most points replaced before falling back to the log
  double skew = 2.0;             // jrc: |skewness| threshold (Excel SKEW)
  double kurtosis = 3.5;         // jrc: excess kurtosis threshold (Excel KURT)
  double lower_quantile = 0.05;  // winsorise
  double upper_quantile = 0.95;  // winsorise
  std::optional<double> lambda;  // box_cox (required)
  log_form log = log_form::log_ct_plus;                    // jrc fallback, shifted_log
  winsorise_budget budget = winsorise_budget::strict;      // jrc

  friend bool operator==(const treatment&, const treatment&) = default;
};

/// Why the spec cannot be used (bad quantiles, no lambda, ...), or "".
std::string treatment_problem(const treatment& spec);
std::string to_string(treatment_method m);

/// The JRC rule: true when |skew| >= spec.skew AND kurtosis >= spec.kurtosis
/// (false when either is undefined: fewer than 4 values or all equal).
bool fails_outlier_rule(double skewness, double kurtosis, const treatment& spec);

enum class applied_treatment { none, winsorised, log, shifted_log, box_cox };
std::string to_string(applied_treatment a);

/// The function a treatment settled on, with its constants; applies to any value.
struct fitted_treatment {
  applied_treatment applied = applied_treatment::none;
  double lower_cap = -std::numeric_limits<double>::infinity();  // winsorised
  double upper_cap = std::numeric_limits<double>::infinity();   // winsorised
  double min = 0.0;         // shifted_log: of the reference values
  double max = 0.0;
  bool reflected = false;   // shifted_log for negative skew: -ln(max - x + 0.01 (max - min))
  double lambda = 0.0;      // box_cox

  /// NaN stays NaN; a value outside the domain (log of x <= 0) gives NaN.
  double apply(double x) const;
};

struct treated_point {
  std::string unit;
  double before = 0.0;
  double after = 0.0;

  friend bool operator==(const treated_point&, const treated_point&) = default;
};

/// What the treatment of one indicator in one pool did.
struct treatment_record {
  std::string indicator;
  std::string pool;
  treatment spec;
  fitted_treatment fitted;
  std::size_t count = 0;  // reference values
  double skew_before = 0.0, kurtosis_before = 0.0;
  double skew_after = 0.0, kurtosis_after = 0.0;
  bool failed_before = false;  // the rule with spec's thresholds, before treatment
  bool passes_after = true;    // ... and after
  int winsorised = 0;          // points replaced by winsorisation (reference units)
  std::vector<treated_point> points;  // winsorisation: every changed unit (reference or not)
};

struct treat_options {
  std::vector<bool> reference;        // units in the statistics; empty = all
  std::vector<std::string> unit_ids;  // for the record and messages; empty = "#1", "#2", ...
  std::string indicator;
  std::string pool = "all";
};

struct treated_column {
  Eigen::VectorXd values;
  treatment_record record;
};

/// Treats `x` (NaN = missing, left missing). Throws data_error naming the
/// indicator and unit for a value outside a transform's domain.
treated_column treat(const Eigen::Ref<const Eigen::VectorXd>& x, const treatment& spec, const treat_options& options = {});

}  // namespace parkscore
