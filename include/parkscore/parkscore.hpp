#pragma once
// Umbrella header: everything a user of parkscore needs.

#include "parkscore/aggregate.hpp"
#include "parkscore/csv.hpp"
#include "parkscore/dataset.hpp"
#include "parkscore/delisting.hpp"
#include "parkscore/error.hpp"
#include "parkscore/evaluate.hpp"
#include "parkscore/framework.hpp"
#include "parkscore/framework_io.hpp"
#include "parkscore/history.hpp"
#include "parkscore/normalise.hpp"
#include "parkscore/rank.hpp"
#include "parkscore/result.hpp"
#include "parkscore/rules.hpp"
#include "parkscore/stats.hpp"
#include "parkscore/version.hpp"
#include "parkscore/weight_set.hpp"
