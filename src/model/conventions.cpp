#include "parkscore/model/conventions.hpp"

#include <fmt/format.h>

#include "parkscore/error.hpp"

namespace parkscore {

std::vector<std::string> convention_set_names() { return {"parkscore", "coinr", "spssau", "pymcdm"}; }

convention_defaults convention_set(const std::string& name) {
  convention_defaults d;
  if (name == "parkscore" || name.empty()) return d;
  if (name == "coinr") {
    // COINr 1.x (bluefoxr/COINr, R/treat.R, R/normalise.R, R/DFtools.R, R/screen_units.R).
    d.norm.zero_range = zero_range_rule::nan;        // n_minmax: (x - min)/0 is NaN
    d.norm.ties = rank_ties::min;                    // n_rank, n_prank, rank_df: ties.method = "min"
    d.treat.log = log_form::log_ct;                  // Treat's default f2 = "log_CT": no mirroring
    d.treat.budget = winsorise_budget::before_step;  // winsorise(): while nwin < winmax
    d.screen.order = screening_order::after_imputation;
    d.rank_rule.groups = group_scores::global;       // get_results(use = "groupranks")
    return d;
  }
  if (name == "spssau") {
    d.entropy.policy = entropy_policy::shift_all;    // 非负平移: |min| + 0.01 on all data
    d.entropy.shift = 0.01;
    d.agg.topsis = topsis_weighting::linear;         // D = sqrt(sum w_j (z_j - z*_j)^2)
    return d;
  }
  if (name == "pymcdm") {
    d.entropy.policy = entropy_policy::zero_column;  // weights.entropy_weights (<= 1.3.1)
    d.norm.zero_range = zero_range_rule::upper;      // minmax_normalization: ones for a constant column
    return d;
  }
  throw schema_error(fmt::format("unknown convention set '{}' (known: {})", name, fmt::join(convention_set_names(), ", ")));
}

}  // namespace parkscore
