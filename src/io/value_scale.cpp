#include "parkscore/io/value_scale.hpp"

#include <fmt/format.h>

#include <cmath>

#include "parkscore/error.hpp"

namespace parkscore {

column_scale scale_for_column(const value_scale& scale, const number_format& fallback, const std::string& header_unit,
                              const std::string& where) {
  column_scale out;
  out.format = fallback;
  const bool percent_header = header_unit == "%" || header_unit == "\xEF\xBC\x85" /* ％ */;
  switch (scale.kind) {
    case scale_kind::fraction:
      // "12.5%" is 0.125; a header "(%)" says the plain numbers are points: 12.5 -> 0.125 too.
      out.format.percent = percent_header ? percent_rule::points : percent_rule::fraction;
      if (percent_header) out.factor = 0.01;
      break;
    case scale_kind::percent_points:
      out.format.percent = percent_rule::points;
      break;
    case scale_kind::unit:
      if (header_unit.empty() || header_unit == scale.unit) break;
      if (const auto it = scale.convert.find(header_unit); it != scale.convert.end()) {
        out.factor = it->second;
        break;
      }
      {
        std::string known = scale.unit;
        for (const auto& [unit, factor] : scale.convert) known += ", " + unit;
        throw data_error(fmt::format("{}: the header gives the unit '{}', which the method does not convert "
                                     "(it expects {}; units it converts: {})",
                                     where, header_unit, scale.unit, known));
      }
    case scale_kind::unspecified:
      if (percent_header && fallback.percent == percent_rule::fraction) out.factor = 0.01;
      break;
  }
  if (percent_header && scale.kind != scale_kind::fraction && scale.kind != scale_kind::unspecified &&
      scale.kind != scale_kind::percent_points)
    throw data_error(fmt::format("{}: the header says per cent, the method expects the unit '{}'", where, scale.unit));
  return out;
}

std::optional<std::string> percent_points_warning(const Eigen::Ref<const Eigen::VectorXd>& values,
                                                  const node& indicator, const std::string& where) {
  if (indicator.scale.kind != scale_kind::fraction) return std::nullopt;
  std::size_t present = 0, above = 0;
  for (Eigen::Index i = 0; i < values.size(); ++i) {
    if (std::isnan(values[i])) continue;
    ++present;
    if (std::abs(values[i]) > 1.0) ++above;
  }
  if (present == 0 || 2 * above <= present) return std::nullopt;
  std::string clip;
  if (indicator.norm.clip_lo || indicator.norm.clip_hi)
    clip = fmt::format("; the method clips it to [{}, {}]", indicator.norm.clip_lo ? *indicator.norm.clip_lo : -INFINITY,
                       indicator.norm.clip_hi ? *indicator.norm.clip_hi : INFINITY);
  return fmt::format("{}: indicator '{}' is declared a fraction (0.125 = 12.5%), but {} of its {} values are above 1 "
                     "in absolute value: are they per-cent points? Write them as 12.5% or divide by 100{}",
                     where, indicator.id, above, present, clip);
}

}  // namespace parkscore
