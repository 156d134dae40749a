#include "parkscore/prepare/screen.hpp"

#include <fmt/format.h>

#include <cmath>

#include "model/dataset_edit.hpp"
#include "parkscore/error.hpp"

namespace parkscore {

std::string screening_problem(const screening& spec) {
  if (!(spec.min_coverage >= 0 && spec.min_coverage <= 1))
    return fmt::format("min_coverage must lie in [0, 1], got {}", spec.min_coverage);
  return "";
}

screened_data screen(const dataset& data, const std::vector<std::string>& indicators, const screening& spec) {
  if (const std::string problem = screening_problem(spec); !problem.empty())
    throw schema_error(fmt::format("screening: {}", problem));
  std::vector<std::size_t> columns;
  for (const std::string& id : indicators) columns.push_back(data.indicator_index(id));
  screening_record record{spec.min_coverage, {}};
  std::vector<std::size_t> kept;
  for (std::size_t i = 0; i < data.unit_count(); ++i) {
    std::size_t present = 0;
    for (std::size_t j : columns) present += std::isnan(data.value(i, j)) ? 0 : 1;
    const double coverage = columns.empty() ? 1.0 : static_cast<double>(present) / static_cast<double>(columns.size());
    if (coverage < spec.min_coverage)
      record.dropped.push_back({data.unit_ids()[i], present, columns.size(), coverage});
    else
      kept.push_back(i);
  }
  if (kept.empty())
    throw data_error(fmt::format("screening: every unit has coverage below {:g}% (min_coverage {})",
                                 100 * spec.min_coverage, spec.min_coverage));
  if (record.dropped.empty()) return {data, std::move(record)};
  return {detail::select_units(data, kept), std::move(record)};
}

}  // namespace parkscore
