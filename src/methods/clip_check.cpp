#include "parkscore/methods/clip_check.hpp"

#include <fmt/format.h>

#include <cmath>

namespace parkscore {

namespace {

// The bound a method applies to a raw value x, if it moves it (true) or not.
bool capped(double x, const fitted_normaliser& f) {
  const normalisation& s = f.spec;
  switch (s.method) {
    case normalisation_method::ratio_to_benchmark:
      if (s.cap && s.benchmark && *s.benchmark > 0) {
        const double ratio = f.dir == direction::higher_is_better ? x / *s.benchmark : *s.benchmark / x;
        return ratio > *s.cap;
      }
      return false;
    case normalisation_method::goalposts:
      return s.clamp && s.gp_min && s.gp_max && (x < std::min(*s.gp_min, *s.gp_max) || x > std::max(*s.gp_min, *s.gp_max));
    case normalisation_method::efficacy_anchored:
      return s.clamp && s.x_s && s.x_h &&
             (x < std::min(*s.x_s, *s.x_h) || x > std::max(*s.x_s, *s.x_h));
    default:
      return false;
  }
}

std::string bound_text(const fitted_normaliser& f) {
  const normalisation& s = f.spec;
  std::string out;
  if (s.clip_lo || s.clip_hi)
    out = fmt::format("clipping to [{}, {}]", s.clip_lo ? *s.clip_lo : -INFINITY, s.clip_hi ? *s.clip_hi : INFINITY);
  if (s.method == normalisation_method::ratio_to_benchmark && s.cap)
    out += (out.empty() ? "" : " and ") + fmt::format("the cap of {} x the benchmark", *s.cap);
  if ((s.method == normalisation_method::goalposts || s.method == normalisation_method::efficacy_anchored) && s.clamp)
    out += (out.empty() ? "" : " and ") + std::string("the floor and ceiling of the goalposts");
  return out;
}

}  // namespace

std::size_t bounded_count(const fitted_normaliser& fitted, const Eigen::Ref<const Eigen::VectorXd>& reference) {
  std::size_t n = fitted.clipped;   // counted by fit_normaliser
  for (Eigen::Index i = 0; i < reference.size(); ++i) {
    double x = reference[i];
    if (std::isnan(x)) continue;
    if (fitted.spec.clip_lo) x = std::max(x, *fitted.spec.clip_lo);
    if (fitted.spec.clip_hi) x = std::min(x, *fitted.spec.clip_hi);
    if (x == reference[i] && capped(x, fitted)) ++n;   // a clipped value counts once
  }
  return n;
}

std::optional<std::string> bounded_share_warning(const fitted_normaliser& fitted,
                                                 const Eigen::Ref<const Eigen::VectorXd>& reference,
                                                 const std::string& indicator, const std::string& pool, double limit) {
  if (fitted.count == 0) return std::nullopt;
  const std::size_t n = bounded_count(fitted, reference);
  if (static_cast<double>(n) <= limit * static_cast<double>(fitted.count)) return std::nullopt;
  const std::string prefix = indicator.empty() ? "" : fmt::format("indicator '{}', {}: ", indicator, pool);
  return fmt::format("{}{} changes {} of {} values ({:.0f}%, more than {:.0f}%): are the data on "
                     "the scale the method expects (a fraction or per-cent points)?",
                     prefix, bound_text(fitted), n, fitted.count,
                     100.0 * static_cast<double>(n) / static_cast<double>(fitted.count), 100.0 * limit);
}

}  // namespace parkscore
