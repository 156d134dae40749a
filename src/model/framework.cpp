#include "parkscore/model/framework.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "parkscore/error.hpp"
#include "parkscore/methods/normalise.hpp"
#include "model/enum_names.hpp"
#include "model/framework_check.hpp"

namespace parkscore {

framework::framework(std::string index_id, std::string index_name)
    : id(index_id), name(index_name) {
  node root;
  root.id = std::move(index_id);
  root.name = std::move(index_name);
  nodes_.push_back(std::move(root));
  ids_.of.emplace(nodes_.front().id, 0);
}

std::optional<int> framework::find(const std::string& node_id) const {
  if (!ids_.stale && ids_.of.size() == nodes_.size()) {
    const auto it = ids_.of.find(node_id);
    if (it == ids_.of.end()) return std::nullopt;
    return it->second;
  }
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (nodes_[i].id == node_id) return static_cast<int>(i);
  return std::nullopt;
}

int framework::index_of(const std::string& node_id) const {
  if (auto i = find(node_id)) return *i;
  throw schema_error(fmt::format("framework '{}': no node with id '{}'", id, node_id));
}

int framework::add_node(const std::string& parent_id, node n) {
  if (nodes_.empty()) throw schema_error("framework has no root: construct it with an id and a name");
  if (n.id.empty()) throw schema_error(fmt::format("node under '{}' has an empty id", parent_id));
  if (ids_.stale || ids_.of.size() != nodes_.size()) {
    ids_.of.clear();
    for (std::size_t i = 0; i < nodes_.size(); ++i) ids_.of.emplace(nodes_[i].id, static_cast<int>(i));
    ids_.stale = ids_.of.size() != nodes_.size();   // duplicate ids made by hand: keep scanning
  }
  if (find(n.id)) throw schema_error(fmt::format("duplicate node id '{}'", n.id));
  const int parent = index_of(parent_id);
  if (nodes_[static_cast<std::size_t>(parent)].is_indicator())   // not at(): a mutable at() marks the index stale
    throw schema_error(fmt::format("node '{}' cannot be a child of indicator '{}'", n.id, parent_id));
  n.parent = parent;
  n.children.clear();
  const int index = static_cast<int>(nodes_.size());
  nodes_.push_back(std::move(n));
  if (!ids_.stale) ids_.of.emplace(nodes_.back().id, index);
  nodes_[static_cast<std::size_t>(parent)].children.push_back(index);
  if (nodes_.back().is_indicator()) indicators_.push_back(index);
  return index;
}

int framework::add_category(const std::string& parent_id, node category) {
  category.kind = node_kind::aggregate;
  return add_node(parent_id, std::move(category));
}

int framework::add_indicator(const std::string& parent_id, node indicator) {
  indicator.kind = node_kind::indicator;
  return add_node(parent_id, std::move(indicator));
}

std::vector<std::string> framework::indicator_ids() const {
  std::vector<std::string> ids;
  ids.reserve(indicators_.size());
  for (int i : indicators_) ids.push_back(at(i).id);
  return ids;
}

int framework::indicator_column(int node_index) const {
  for (std::size_t c = 0; c < indicators_.size(); ++c)
    if (indicators_[c] == node_index) return static_cast<int>(c);
  return -1;
}

std::vector<double> framework::absolute_weights() const {
  // Each parent's sum of children weights once (same order of summation as
  // before, so the same bits), then one forward pass: parents come before children.
  std::vector<double> sibling_sum(nodes_.size(), 0.0);
  for (std::size_t p = 0; p < nodes_.size(); ++p)
    for (int c : nodes_[p].children) sibling_sum[p] += nodes_[static_cast<std::size_t>(c)].weight;
  std::vector<double> share(nodes_.size(), 1.0);
  for (std::size_t i = 1; i < nodes_.size(); ++i) {
    const auto parent = static_cast<std::size_t>(nodes_[i].parent);
    const double sum = sibling_sum[parent];
    share[i] = share[parent] * (sum > 0 ? nodes_[i].weight / sum : 0.0);
  }
  return share;
}

namespace {

using detail::node_problem;
using problem = std::optional<node_problem>;

problem normalisation_problem(const node& n) {
  const normalisation& s = n.norm;
  auto fail = [&](const std::string& key, const std::string& what) -> problem {
    return node_problem{"normalisation" + (key.empty() ? std::string() : "/" + key),
                        fmt::format("indicator '{}': normalisation '{}': {}", n.id, to_string(s.method), what)};
  };
  auto finite = [](double v) { return std::isfinite(v); };
  const std::pair<const char*, double> scale_parameters[] = {{"lo", s.lo}, {"hi", s.hi}, {"d0", s.d0}, {"c", s.c},
                                                             {"target_mean", s.target_mean}, {"target_sd", s.target_sd}};
  for (const auto& [key, v] : scale_parameters) {
    if (!finite(v)) return fail(key, fmt::format("{} must be a finite number, got {}", key, v));
    if (std::abs(v) > detail::max_scale_parameter)
      return fail(key, fmt::format("{} = {:g} is beyond ±{:g}, the range of score-scale parameters", key, v,
                                   detail::max_scale_parameter));
  }
  const std::pair<const char*, const std::optional<double>*> data_parameters[] = {
      {"gp_min", &s.gp_min}, {"gp_max", &s.gp_max}, {"target", &s.target}, {"benchmark", &s.benchmark},
      {"cap", &s.cap},       {"x_s", &s.x_s},       {"x_h", &s.x_h}};
  for (const auto& [key, v] : data_parameters)
    if (*v && !finite(**v)) return fail(key, fmt::format("{} must be a finite number, got {}", key, **v));
  switch (s.method) {
    case normalisation_method::min_max:
      if (!(s.hi > s.lo)) return fail("hi", fmt::format("hi ({}) must exceed lo ({})", s.hi, s.lo));
      break;
    case normalisation_method::z_score:
      if (!(s.target_sd > 0)) return fail("target_sd", fmt::format("target_sd must be positive, got {}", s.target_sd));
      break;
    case normalisation_method::goalposts:
      if (!s.gp_min || !s.gp_max) return fail("", "needs both goalposts, gp_min and gp_max");
      if (!(*s.gp_max > *s.gp_min))
        return fail("gp_max", fmt::format("gp_max ({}) must exceed gp_min ({})", *s.gp_max, *s.gp_min));
      if (!finite(*s.gp_max - *s.gp_min))
        return fail("gp_max", fmt::format("gp_max - gp_min ({} - {}) overflows a double", *s.gp_max, *s.gp_min));
      if (s.log && !(*s.gp_min > 0)) return fail("gp_min", fmt::format("log needs gp_min > 0, got {}", *s.gp_min));
      if (!(s.hi > s.lo)) return fail("hi", fmt::format("hi ({}) must exceed lo ({})", s.hi, s.lo));
      break;
    case normalisation_method::distance_to_target:
      if (!s.target) return fail("", "needs a target");
      break;
    case normalisation_method::ratio_to_benchmark:
      if (!s.benchmark == !s.benchmark_factor)
        return fail("", "needs either a benchmark or a benchmark_factor (k x the previous year's pool mean)");
      if (s.benchmark && !(*s.benchmark > 0))
        return fail("benchmark", fmt::format("benchmark must be positive, got {}", *s.benchmark));
      if (s.benchmark_factor && !(*s.benchmark_factor > 0 && finite(*s.benchmark_factor)))
        return fail("benchmark_factor",
                    fmt::format("benchmark_factor must be a positive finite number, got {}", *s.benchmark_factor));
      [[fallthrough]];
    case normalisation_method::ratio_to_max:
      if (s.cap && !(*s.cap > 0)) return fail("cap", fmt::format("cap must be positive, got {}", *s.cap));
      if (s.cap && *s.cap > detail::max_scale_parameter)
        return fail("cap", fmt::format("cap = {:g} is beyond {:g}", *s.cap, detail::max_scale_parameter));
      if (!(s.hi > 0)) return fail("hi", fmt::format("hi must be positive, got {}", s.hi));
      break;
    case normalisation_method::efficacy:
      if (!(s.c > 0)) return fail("c", fmt::format("c must be positive, got {}", s.c));
      break;
    case normalisation_method::ratio_to_pool:
      if (s.cap && !(*s.cap > 0 && *s.cap <= detail::max_scale_parameter))
        return fail("cap", fmt::format("cap must be positive and at most {:g}, got {}", detail::max_scale_parameter, *s.cap));
      if (!(s.hi > 0)) return fail("hi", fmt::format("hi must be positive, got {}", s.hi));
      break;
    case normalisation_method::value_tier: {
      if (s.band_scores.size() != s.thresholds.size() + 1)
        return fail("scores", fmt::format("{} thresholds make {} bands, so \"scores\" needs {} entries, got {}",
                                          s.thresholds.size(), s.thresholds.size() + 1, s.thresholds.size() + 1,
                                          s.band_scores.size()));
      for (std::size_t i = 0; i < s.thresholds.size(); ++i) {
        if (!finite(s.thresholds[i]) || (i > 0 && !(s.thresholds[i] > s.thresholds[i - 1])))
          return fail(fmt::format("thresholds/{}", i),
                      fmt::format("thresholds must be finite and increasing, got {}", s.thresholds[i]));
      }
      for (std::size_t i = 0; i < s.band_scores.size(); ++i)
        if (!finite(s.band_scores[i]) || std::abs(s.band_scores[i]) > detail::max_scale_parameter)
          return fail(fmt::format("scores/{}", i), fmt::format("band scores must be finite numbers within ±{:g}, got {}",
                                                               detail::max_scale_parameter, s.band_scores[i]));
      break;
    }
    case normalisation_method::efficacy_anchored:
      if (!s.x_s || !s.x_h) return fail("", "needs x_s (non-allowable value) and x_h (satisfactory value)");
      if (!(s.c > 0)) return fail("c", fmt::format("c must be positive, got {}", s.c));
      if (n.dir == direction::higher_is_better && !(*s.x_h > *s.x_s))
        return fail("x_h", fmt::format("higher is better, so x_h ({}) must exceed x_s ({})", *s.x_h, *s.x_s));
      if (n.dir == direction::lower_is_better && !(*s.x_h < *s.x_s))
        return fail("x_h", fmt::format("lower is better, so x_h ({}) must be below x_s ({})", *s.x_h, *s.x_s));
      if (!finite(*s.x_h - *s.x_s))
        return fail("x_h", fmt::format("x_h - x_s ({} - {}) overflows a double", *s.x_h, *s.x_s));
      break;
    case normalisation_method::rank_tier: {
      if (s.tiers.empty()) return fail("", "needs tiers, e.g. [{\"top\": 0.3, \"score\": 100}, ...]");
      double previous = 0.0;
      for (std::size_t i = 0; i < s.tiers.size(); ++i) {
        const rank_tier& t = s.tiers[i];
        const std::string key = fmt::format("tiers/{}", i);
        if (!(t.top > previous && t.top <= 1.0))
          return fail(key + "/top", fmt::format("tier tops must increase within (0, 1], got {} after {}", t.top, previous));
        if (!finite(t.score) || std::abs(t.score) > detail::max_scale_parameter)
          return fail(key + "/score",
                      fmt::format("tier score must be a finite number within ±{:g}, got {}", detail::max_scale_parameter, t.score));
        previous = t.top;
      }
      if (s.tiers.back().top != 1.0)
        return fail("tiers", fmt::format("the last tier must reach 1 (every unit gets a tier), got {}", s.tiers.back().top));
      break;
    }
    default:
      break;
  }
  if (s.benchmark_factor && s.method != normalisation_method::ratio_to_benchmark)
    return fail("benchmark_factor", "benchmark_factor belongs to ratio_to_benchmark");
  if (!s.tiers.empty() && s.method != normalisation_method::rank_tier) return fail("tiers", "tiers belong to rank_tier");
  if ((!s.thresholds.empty() || !s.band_scores.empty() || s.relative) && s.method != normalisation_method::value_tier)
    return fail("thresholds", "thresholds, scores and relative belong to value_tier");
  if (s.statistic == pool_statistic::quantile && !(s.quantile >= 0 && s.quantile <= 1))
    return fail("quantile", fmt::format("the quantile must lie in [0, 1], got {}", s.quantile));
  if ((s.clip_lo && !std::isfinite(*s.clip_lo)) || (s.clip_hi && !std::isfinite(*s.clip_hi)))
    return fail("clip", "clip bounds must be finite numbers");
  if (s.clip_lo && s.clip_hi && !(*s.clip_hi > *s.clip_lo))
    return fail("clip", fmt::format("clip upper bound ({}) must exceed the lower bound ({})", *s.clip_hi, *s.clip_lo));
  return std::nullopt;
}

int depth_of(const framework& fw, int index) {
  int depth = 0;
  for (int i = index; i > 0 && depth <= detail::max_tree_depth; i = fw.at(i).parent) ++depth;
  return depth;
}

}  // namespace

namespace detail {

std::optional<node_problem> check_node(const framework& fw, int index) {
  const node& n = fw.at(index);
  const auto i = static_cast<std::size_t>(index);
  if (!std::isfinite(n.weight) || n.weight < 0)
    return node_problem{"weight", fmt::format("node '{}': weight must be a finite number >= 0, got {}", n.id, n.weight)};
  // Parents are stored before their children, which rules out cycles.
  if (i > 0 && !(n.parent >= 0 && n.parent < index))
    return node_problem{"", fmt::format("node '{}' is not below an earlier node (cycle or orphan)", n.id)};
  if (i > 0 && depth_of(fw, index) > max_tree_depth)
    return node_problem{"", fmt::format("node '{}' is more than {} levels below the root", n.id, max_tree_depth)};
  if (n.is_indicator()) return normalisation_problem(n);
  if (n.children.empty()) return node_problem{"children", fmt::format("node '{}' is a category without children", n.id)};
  double sum = 0.0;
  for (int c : n.children) sum += fw.at(c).weight;
  if (!(sum > 0))
    return node_problem{"children", fmt::format("node '{}': the weights of its children are all zero", n.id)};
  if (!std::isfinite(sum))
    return node_problem{"children", fmt::format("node '{}': the weights of its children sum beyond the range of a "
                                                "double ({:g}); scale them down (only their ratios matter)",
                                                n.id, sum)};
  if (!(n.agg.min_coverage >= 0 && n.agg.min_coverage <= 1))
    return node_problem{"aggregation/min_coverage", fmt::format("node '{}': min_coverage must lie in [0, 1], got {}",
                                                                n.id, n.agg.min_coverage)};
  if (n.agg.method == aggregation_method::power && !(std::abs(n.agg.power) <= max_power))
    return node_problem{"aggregation/power", fmt::format("node '{}': a power mean needs a finite p within ±{:g}, got {}",
                                                         n.id, max_power, n.agg.power)};
  if (n.rescale.method != rescale_method::none) {
    for (double v : {n.rescale.lo, n.rescale.hi})
      if (!(std::abs(v) <= max_scale_parameter))
        return node_problem{"rescale", fmt::format("node '{}': rescale bounds must be finite numbers within ±{:g}, got {}",
                                                   n.id, max_scale_parameter, v)};
    if (!(n.rescale.hi > n.rescale.lo))
      return node_problem{"rescale/hi", fmt::format("node '{}': rescale hi ({}) must exceed lo ({})", n.id,
                                                    n.rescale.hi, n.rescale.lo)};
  }
  // Geometric, harmonic and power (p <= 0) means check the values present when they average
  // them (an error naming node and unit, or the node's zero_policy), not what a child could
  // score: a clamped goalpost index on [0, 1] is fine until a 0 arrives (docs/methods.md).
  if (n.agg.zeros == zero_policy::floor && !(n.agg.floor > 0 && std::isfinite(n.agg.floor)))
    return node_problem{"aggregation/floor", fmt::format("node '{}': zero_policy floor needs a floor > 0, got {}",
                                                         n.id, n.agg.floor)};
  return std::nullopt;
}

}  // namespace detail

void framework::validate() const {
  if (nodes_.empty()) throw schema_error("framework has no root node");
  if (indicators_.empty()) throw schema_error(fmt::format("framework '{}' has no indicators", id));
  for (std::size_t i = 0; i < pools.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (pools[i] == pools[j]) throw schema_error(fmt::format("framework '{}': pool '{}' is listed twice", id, pools[i]));
  if (!(scores.total_points > 0) || !(scores.total_points <= detail::max_scale_parameter))
    throw schema_error(fmt::format("framework '{}': total_points must be positive and at most {:g}, got {}", id,
                                   detail::max_scale_parameter, scores.total_points));
  detail::validate_weighting(*this);
  detail::validate_zone_rules(*this);
  // Bad weights first: a negative weight would otherwise be reported as its parent's zero sum.
  for (const node& n : nodes_)
    if (!std::isfinite(n.weight) || n.weight < 0)
      throw schema_error(fmt::format("node '{}': weight must be a finite number >= 0, got {}", n.id, n.weight));
  for (std::size_t i = 0; i < nodes_.size(); ++i)
    if (auto p = detail::check_node(*this, static_cast<int>(i))) throw schema_error(p->message);
}

std::string to_string(direction d) { return detail::name_of(detail::direction_names, d); }
std::string to_string(normalisation_method m) { return detail::name_of(detail::normalisation_names, m); }
std::string to_string(aggregation_method m) { return detail::name_of(detail::aggregation_names, m); }
std::string to_string(rank_method m) { return detail::name_of(detail::rank_method_names, m); }

}  // namespace parkscore
