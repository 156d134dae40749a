#pragma once
// Fit (src-local): one pass per indicator column gives every pool label's statistics, from
// which each (indicator, label) normaliser is fitted and recorded in the pool's result.

#include <cstddef>
#include <string>
#include <vector>

#include "engine/pooling.hpp"

namespace parkscore::detail {

// The fitted normaliser of every (indicator, label); null where the pool has no value.
// Each points into the pool's normalisation records, or into ctx.fits (reserved first, so
// the pointers hold).
struct fitted_table {
  std::size_t labels = 0;
  std::vector<const fitted_normaliser*> fitted;   // [indicator * labels + label]
  const fitted_normaliser* operator()(std::size_t j, std::size_t l) const { return fitted[j * labels + l]; }
};

/// Fits every indicator's normaliser in every label of the pooling, checking the values
/// against each method's domain; the records go to out.normalisation (or, without records,
/// the normalisers to ctx.fits).
fitted_table fit_pooling(const pooling_context& ctx, const pool_partition& part, const raw_columns& raw,
                         const std::string& grouping, pool_result& out);

/// Normalisers fitted for a result without records: the calling thread's own, kept across
/// evaluations (a few, for nested ones), so that a loop refits them in place, as a reused
/// result's records are, instead of building them anew.
class fitted_scratch {
 public:
  fitted_scratch();
  ~fitted_scratch();
  fitted_scratch(const fitted_scratch&) = delete;
  fitted_scratch& operator=(const fitted_scratch&) = delete;

  std::vector<scratch_fit>& fits() { return fits_; }

 private:
  std::vector<scratch_fit> fits_;
};

}  // namespace parkscore::detail
