#pragma once
// Name tables of the preparation enums (file format and messages).

#include <string>

#include "model/enum_names.hpp"
#include "parkscore/prepare/impute.hpp"
#include "parkscore/prepare/screen.hpp"
#include "parkscore/prepare/treat.hpp"

namespace parkscore::detail {

inline constexpr name_table<imputation_method, 7> imputation_names{{
    {imputation_method::none, "none"},
    {imputation_method::mean, "mean"},
    {imputation_method::median, "median"},
    {imputation_method::group_mean, "group_mean"},
    {imputation_method::group_median, "group_median"},
    {imputation_method::carry_forward, "carry_forward"},
    {imputation_method::growth, "growth"}}};

inline constexpr name_table<treatment_method, 6> treatment_names{{
    {treatment_method::none, "none"},
    {treatment_method::jrc, "jrc"},
    {treatment_method::winsorise, "winsorise"},
    {treatment_method::log, "log"},
    {treatment_method::shifted_log, "shifted_log"},
    {treatment_method::box_cox, "box_cox"}}};

inline constexpr name_table<applied_treatment, 5> applied_treatment_names{{
    {applied_treatment::none, "none"},
    {applied_treatment::winsorised, "winsorised"},
    {applied_treatment::log, "log"},
    {applied_treatment::shifted_log, "shifted_log"},
    {applied_treatment::box_cox, "box_cox"}}};

inline constexpr name_table<log_form, 2> log_form_names{{
    {log_form::log_ct_plus, "log_ct_plus"}, {log_form::log_ct, "log_ct"}}};

inline constexpr name_table<winsorise_budget, 2> winsorise_budget_names{{
    {winsorise_budget::strict, "strict"}, {winsorise_budget::before_step, "before_step"}}};

inline constexpr name_table<screening_order, 2> screening_order_names{{
    {screening_order::before_imputation, "before_imputation"}, {screening_order::after_imputation, "after_imputation"}}};

/// A pool as messages and records name it: "all", or "grouping=label".
inline std::string pool_name(const std::string& grouping, const std::string& label) {
  return grouping.empty() ? std::string("all") : grouping + "=" + label;
}

}  // namespace parkscore::detail
