#pragma once
// The preparation keys of the framework file: "derived", "imputation",
// "screening" (top level), "treatment" (defaults and indicators). Readers are
// strict and name the JSON path; writers emit what a reader needs for an exact
// round trip.

#include <nlohmann/json.hpp>
#include <vector>

#include "model/json_cursor.hpp"
#include "parkscore/prepare/derive.hpp"
#include "parkscore/prepare/impute.hpp"
#include "parkscore/prepare/screen.hpp"
#include "parkscore/prepare/treat.hpp"

namespace parkscore::detail {

std::vector<derived_indicator> read_derived(const json_cursor& c);
imputation read_imputation(const json_cursor& c);
treatment read_treatment(const json_cursor& c, treatment base);
screening read_screening(const json_cursor& c, screening base = {});

nlohmann::ordered_json write_derived(const std::vector<derived_indicator>& derived);
nlohmann::ordered_json write_imputation(const imputation& spec);
nlohmann::ordered_json write_treatment(const treatment& spec, const treatment& defaults = {});
nlohmann::ordered_json write_screening(const screening& spec, const screening& defaults = {});

}  // namespace parkscore::detail
