#pragma once
// The statistical checks of the OECD/JRC Handbook on Constructing Composite
// Indicators (2008), step 4 ("multivariate analysis"): coverage, low variance and
// many missing values, Pearson and Spearman correlations, Cronbach's alpha, PCA per
// category, skewness and kurtosis before and after treatment, and rank-reversal
// diagnostics. docs/audit.md states every formula and threshold.

#include <Eigen/Core>
#include <string>
#include <vector>

#include "parkscore/engine/evaluate.hpp"
#include "parkscore/engine/result.hpp"
#include "parkscore/model/dataset.hpp"
#include "parkscore/model/framework.hpp"

namespace parkscore {

struct audit_options {
  std::string grouping;          // the pooling whose normalised values and scores are analysed ("" = all)
  std::string label;             // one pool label of it; "" = every unit of the grouping
  evaluation_options evaluation; // how to evaluate (pools is overridden by {grouping})
  double missing_share = 0.2;    // flag an indicator missing for more than this share of units
  double low_variation = 0.05;   // flag an indicator whose raw coefficient of variation |sd / mean| is below
  double near_duplicate = 0.9;   // flag |r| above this
  bool rank_reversal = true;     // the add/remove/clone/worsen checks (four re-evaluations)
};

/// Pearson r of the pairs where both values are present (NaN if fewer than 3 pairs or a constant column).
double pearson(const Eigen::Ref<const Eigen::VectorXd>& x, const Eigen::Ref<const Eigen::VectorXd>& y);
/// Spearman rho: Pearson r of the average ranks of the pairs where both are present.
double spearman(const Eigen::Ref<const Eigen::VectorXd>& x, const Eigen::Ref<const Eigen::VectorXd>& y);
/// Cronbach's alpha of the columns over complete rows: k/(k-1) (1 - sum var_j / var(row sums)).
/// NaN for fewer than 2 columns or 2 complete rows, or zero total variance.
double cronbach_alpha(const Eigen::Ref<const Eigen::MatrixXd>& x);

struct pca_result {
  std::size_t rows_used = 0;         // complete rows
  Eigen::VectorXd eigenvalues;       // of the correlation matrix, descending
  Eigen::VectorXd explained;         // eigenvalue / sum
  Eigen::MatrixXd loadings;          // column c: eigenvector c x sqrt(eigenvalue c); largest |entry| positive
};
/// PCA of the correlation matrix of the columns over complete rows (empty if fewer than 3 rows).
pca_result principal_components(const Eigen::Ref<const Eigen::MatrixXd>& x);

struct indicator_audit {
  std::string id;
  std::string name;
  std::string parent;
  std::size_t present = 0;     // units with a raw value
  std::size_t units = 0;
  double missing_share = 0;
  double mean = 0, sd = 0, cv = 0;   // raw values
  bool many_missing = false;
  bool low_variation = false;
  double skew_before = 0, kurtosis_before = 0;   // raw values
  double skew_after = 0, kurtosis_after = 0;     // after imputation and treatment
  double pearson_parent = 0, spearman_parent = 0;   // with its parent node's score
  double pearson_index = 0, spearman_index = 0;     // with the index
};

struct correlation_flag {
  std::string a, b;
  double r = 0;         // Pearson
  std::string reason;   // "negative within a category" or "near duplicate (|r| > 0.9)"
};

struct category_audit {
  std::string id;
  std::string name;
  std::vector<std::string> children;
  double alpha = 0;
  pca_result pca;
};

struct unit_coverage {
  std::string unit;
  std::size_t present = 0;
  std::size_t total = 0;
  double share = 0;
};

enum class perturbation { add_median_unit, remove_best_unit, clone_best_unit, worsen_last_unit };

struct rank_reversal_check {
  perturbation kind = perturbation::add_median_unit;
  std::string description;
  std::size_t pairs = 0;          // pairs of untouched units compared
  std::size_t reversed = 0;       // pairs whose order changed (a tie counts as a change)
  std::vector<std::string> examples;   // up to 5 "A above B -> B above A"
};

/// Whether a step is invariant to adding or removing other units by construction.
struct method_invariance {
  std::string node;        // indicator or aggregate node id
  std::string method;      // e.g. "min_max normalisation", "entropy weights"
  bool invariant = false;
  std::string reason;
};

struct audit_report {
  std::string grouping;
  std::string label;
  std::size_t units = 0;                     // units analysed (ranked, in the label)
  std::vector<std::string> indicator_ids;    // framework order
  Eigen::MatrixXd pearson, spearman;         // M x M between normalised indicators
  std::vector<indicator_audit> indicators;
  std::vector<correlation_flag> flags;
  std::vector<category_audit> categories;    // aggregate nodes, parents first
  std::vector<unit_coverage> coverage;
  std::vector<rank_reversal_check> rank_reversal;
  std::vector<method_invariance> invariance; // steps that are not invariant, plus a summary line for the rest
};

/// Evaluates and audits. `data` as given to evaluate().
audit_report audit_index(const framework& model, const dataset& data, const audit_options& options = {});

std::string to_string(perturbation p);

}  // namespace parkscore
