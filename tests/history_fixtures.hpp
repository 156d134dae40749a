#pragma once
// Hand-made rank tables for the history and delisting tests.

#include <cmath>
#include <string>
#include <vector>

#include "parkscore/history/history.hpp"

namespace parkscore::test {

/// One row: unit, pool, rank (NaN = unranked), score, veto reason.
struct row {
  std::string unit;
  std::string pool;
  double rank;
  double score = std::nan("");
  std::string veto = "";
};

inline rank_table table(int evaluation_year, const std::string& grouping, const std::vector<row>& rows) {
  rank_table t;
  t.evaluation_year = evaluation_year;
  t.data_year = evaluation_year - 1;
  t.grouping = grouping;
  for (const row& r : rows) t.entries.push_back({r.unit, r.unit, r.pool, r.rank, r.score, r.veto});
  return t;
}

}  // namespace parkscore::test
