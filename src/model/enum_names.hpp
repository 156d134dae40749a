#pragma once
// One table per enum, used both to print and to parse names, so the file
// format and messages can never disagree.

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "parkscore/model/framework.hpp"

namespace parkscore::detail {

template <class E, std::size_t N>
using name_table = std::array<std::pair<E, std::string_view>, N>;

inline constexpr name_table<direction, 2> direction_names{{
    {direction::higher_is_better, "higher"}, {direction::lower_is_better, "lower"}}};

inline constexpr name_table<normalisation_method, 17> normalisation_names{{
    {normalisation_method::none, "none"},
    {normalisation_method::min_max, "min_max"},
    {normalisation_method::z_score, "z_score"},
    {normalisation_method::rank, "rank"},
    {normalisation_method::percentile_rank, "percentile_rank"},
    {normalisation_method::borda, "borda"},
    {normalisation_method::goalposts, "goalposts"},
    {normalisation_method::distance_to_target, "distance_to_target"},
    {normalisation_method::ratio_to_max, "ratio_to_max"},
    {normalisation_method::ratio_to_benchmark, "ratio_to_benchmark"},
    {normalisation_method::efficacy, "efficacy"},
    {normalisation_method::efficacy_anchored, "efficacy_anchored"},
    {normalisation_method::vector, "vector"},
    {normalisation_method::rank_tier, "rank_tier"},
    {normalisation_method::ratio_to_pool, "ratio_to_pool"},
    {normalisation_method::change_from_pool, "change_from_pool"},
    {normalisation_method::value_tier, "value_tier"}}};

inline constexpr name_table<rank_ties, 4> rank_ties_names{{
    {rank_ties::average, "average"}, {rank_ties::min, "min"}, {rank_ties::max, "max"}, {rank_ties::dense, "dense"}}};

inline constexpr name_table<percentile_formula, 3> percentile_formula_names{{
    {percentile_formula::percent_rank, "percent_rank"},
    {percentile_formula::r_over_n, "r_over_n"},
    {percentile_formula::hazen, "hazen"}}};

inline constexpr name_table<pool_statistic, 5> pool_statistic_names{{
    {pool_statistic::mean, "mean"},
    {pool_statistic::median, "median"},
    {pool_statistic::min, "min"},
    {pool_statistic::max, "max"},
    {pool_statistic::quantile, "quantile"}}};

inline constexpr name_table<sd_divisor, 2> sd_divisor_names{{
    {sd_divisor::sample, "sample"}, {sd_divisor::population, "population"}}};

inline constexpr name_table<zero_policy, 3> zero_policy_names{{
    {zero_policy::error, "error"}, {zero_policy::zero_score, "zero_score"}, {zero_policy::floor, "floor"}}};

inline constexpr name_table<topsis_weighting, 2> topsis_weighting_names{{
    {topsis_weighting::squared, "squared"}, {topsis_weighting::linear, "linear"}}};

inline constexpr name_table<group_scores, 2> group_scores_names{{
    {group_scores::renormalise, "renormalise"}, {group_scores::global, "global"}}};

inline constexpr name_table<zero_range_rule, 4> zero_range_names{{
    {zero_range_rule::midpoint, "midpoint"}, {zero_range_rule::upper, "upper"}, {zero_range_rule::lower, "lower"},
    {zero_range_rule::nan, "nan"}}};

inline constexpr name_table<aggregation_method, 5> aggregation_names{{
    {aggregation_method::arithmetic, "arithmetic"},
    {aggregation_method::geometric, "geometric"},
    {aggregation_method::harmonic, "harmonic"},
    {aggregation_method::power, "power"},
    {aggregation_method::topsis, "topsis"}}};

inline constexpr name_table<rescale_method, 3> rescale_names{{
    {rescale_method::none, "none"}, {rescale_method::best_is_100, "best_is_100"}, {rescale_method::min_max, "min_max"}}};

inline constexpr name_table<rank_method, 4> rank_method_names{{
    {rank_method::competition, "competition"},
    {rank_method::dense, "dense"},
    {rank_method::ordinal, "ordinal"},
    {rank_method::fractional, "fractional"}}};

inline constexpr name_table<rank_order, 2> rank_order_names{{
    {rank_order::descending, "descending"}, {rank_order::ascending, "ascending"}}};

inline constexpr name_table<tie_break, 2> tie_break_names{{
    {tie_break::input_order, "input_order"}, {tie_break::unit_id, "unit_id"}}};

inline constexpr name_table<score_scale, 2> score_scale_names{{
    {score_scale::mean, "mean"}, {score_scale::points, "points"}}};

inline constexpr name_table<comparison, 6> comparison_names{{
    {comparison::greater, ">"},
    {comparison::greater_equal, ">="},
    {comparison::less, "<"},
    {comparison::less_equal, "<="},
    {comparison::equal, "=="},
    {comparison::not_equal, "!="}}};

inline constexpr name_table<weighting_method, 8> weighting_method_names{{
    {weighting_method::fixed, "fixed"},
    {weighting_method::equal, "equal"},
    {weighting_method::ahp, "ahp"},
    {weighting_method::entropy, "entropy"},
    {weighting_method::critic, "critic"},
    {weighting_method::variation, "variation"},
    {weighting_method::pca, "pca"},
    {weighting_method::combined, "combined"}}};

inline constexpr name_table<entropy_policy, 4> entropy_policy_names{{
    {entropy_policy::shift_min, "shift_min"}, {entropy_policy::require_nonnegative, "require_nonnegative"},
    {entropy_policy::shift_all, "shift_all"}, {entropy_policy::zero_column, "zero_column"}}};

inline constexpr name_table<ahp_method, 2> ahp_method_names{{
    {ahp_method::eigenvector, "eigenvector"}, {ahp_method::geometric_mean, "geometric_mean"}}};

inline constexpr name_table<ri_table, 2> ri_table_names{{
    {ri_table::saaty, "saaty"}, {ri_table::alternative, "alternative"}}};

inline constexpr name_table<critic_correlation, 2> critic_correlation_names{{
    {critic_correlation::signed_r, "r"}, {critic_correlation::absolute_r, "abs_r"}}};

inline constexpr name_table<combination, 2> combination_names{{
    {combination::linear, "linear"}, {combination::multiplicative, "multiplicative"}}};

template <class E, std::size_t N>
std::string name_of(const name_table<E, N>& table, E value) {
  for (const auto& [e, name] : table)
    if (e == value) return std::string(name);
  return "?";
}

template <class E, std::size_t N>
std::optional<E> parse_name(const name_table<E, N>& table, std::string_view text) {
  for (const auto& [e, name] : table)
    if (name == text) return e;
  return std::nullopt;
}

/// "a, b, c" — for messages listing the accepted names.
template <class E, std::size_t N>
std::string names_list(const name_table<E, N>& table) {
  std::string out;
  for (const auto& [e, name] : table) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

}  // namespace parkscore::detail
