#pragma once
// A warning when a bound of the method (a clip, a ratio cap, a goalpost clamp)
// changes more than a set share of a pool's values: a sign that the data are on
// another scale than the method expects (per-cent points read as fractions).

#include <Eigen/Core>
#include <optional>
#include <string>

#include "parkscore/methods/normalise.hpp"

namespace parkscore {

/// The default share of a pool's values a bound may change before a warning.
inline constexpr double default_bounded_share = 0.2;

/// How many of the reference values the normaliser's clip, cap or clamp changes.
std::size_t bounded_count(const fitted_normaliser& fitted, const Eigen::Ref<const Eigen::VectorXd>& reference);

/// "indicator 'E1_growth', pool level = provincial: clipping to [-0.2, 0.5] changes 80 of 91 values (88%) ..."
/// if more than `limit` of the present reference values are changed. With an empty `indicator`
/// the message leaves out the "indicator ..., pool: " prefix (an evaluation note carries both).
std::optional<std::string> bounded_share_warning(const fitted_normaliser& fitted,
                                                 const Eigen::Ref<const Eigen::VectorXd>& reference,
                                                 const std::string& indicator, const std::string& pool,
                                                 double limit = default_bounded_share);

}  // namespace parkscore
