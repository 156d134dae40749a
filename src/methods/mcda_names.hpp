#pragma once
// Names of the non-compensatory and frontier methods' enums, for the analysis
// spec, the CLI and Python (one table prints and parses, as enum_names.hpp).

#include "model/enum_names.hpp"
#include "parkscore/methods/bod.hpp"
#include "parkscore/methods/mcda.hpp"
#include "parkscore/methods/outranking.hpp"

namespace parkscore::detail {

inline constexpr name_table<bod_variant, 3> bod_variant_names{{
    {bod_variant::per_unit, "per_unit"}, {bod_variant::common_weights, "common"}, {bod_variant::robust, "robust"}}};

inline constexpr name_table<kemeny_solver, 3> kemeny_solver_names{{
    {kemeny_solver::automatic, "auto"}, {kemeny_solver::exact, "exact"}, {kemeny_solver::heuristic, "heuristic"}}};

inline constexpr name_table<mcda_method, 2> mcda_method_names{{{mcda_method::bod, "bod"}, {mcda_method::kemeny, "kemeny"}}};

inline constexpr name_table<missing_rule, 2> missing_rule_names{{
    {missing_rule::error, "error"}, {missing_rule::drop_units, "drop_units"}}};

}  // namespace parkscore::detail
