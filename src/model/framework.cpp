#include "parkscore/model/framework.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "parkscore/error.hpp"
#include "parkscore/methods/normalise.hpp"
#include "model/enum_names.hpp"

namespace parkscore {

framework::framework(std::string index_id, std::string index_name)
    : id(index_id), name(index_name) {
  node root;
  root.id = std::move(index_id);
  root.name = std::move(index_name);
  nodes_.push_back(std::move(root));
}

std::optional<int> framework::find(const std::string& node_id) const {
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
  if (find(n.id)) throw schema_error(fmt::format("duplicate node id '{}'", n.id));
  const int parent = index_of(parent_id);
  if (at(parent).is_indicator())
    throw schema_error(fmt::format("node '{}' cannot be a child of indicator '{}'", n.id, parent_id));
  n.parent = parent;
  n.children.clear();
  const int index = static_cast<int>(nodes_.size());
  nodes_.push_back(std::move(n));
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
  std::vector<double> share(nodes_.size(), 1.0);
  // Parents come before children, so one forward pass suffices.
  for (std::size_t i = 1; i < nodes_.size(); ++i) {
    const node& parent = nodes_[static_cast<std::size_t>(nodes_[i].parent)];
    double sum = 0.0;
    for (int c : parent.children) sum += at(c).weight;
    share[i] = share[static_cast<std::size_t>(nodes_[i].parent)] * (sum > 0 ? nodes_[i].weight / sum : 0.0);
  }
  return share;
}

namespace {

void validate_normalisation(const node& n) {
  const normalisation& s = n.norm;
  auto fail = [&](const std::string& what) {
    throw schema_error(fmt::format("indicator '{}': normalisation '{}': {}", n.id, to_string(s.method), what));
  };
  auto finite = [](double v) { return std::isfinite(v); };
  if (!finite(s.lo) || !finite(s.hi) || !finite(s.d0) || !finite(s.c) || !finite(s.target_mean) ||
      !finite(s.target_sd))
    fail("parameters must be finite numbers");
  switch (s.method) {
    case normalisation_method::min_max:
      if (!(s.hi > s.lo)) fail(fmt::format("hi ({}) must exceed lo ({})", s.hi, s.lo));
      break;
    case normalisation_method::z_score:
      if (!(s.target_sd > 0)) fail(fmt::format("target_sd must be positive, got {}", s.target_sd));
      break;
    case normalisation_method::goalposts:
      if (!s.gp_min || !s.gp_max) fail("needs both goalposts, gp_min and gp_max");
      if (!(*s.gp_max > *s.gp_min))
        fail(fmt::format("gp_max ({}) must exceed gp_min ({})", *s.gp_max, *s.gp_min));
      if (s.log && !(*s.gp_min > 0)) fail(fmt::format("log needs gp_min > 0, got {}", *s.gp_min));
      if (!(s.hi > s.lo)) fail(fmt::format("hi ({}) must exceed lo ({})", s.hi, s.lo));
      break;
    case normalisation_method::distance_to_target:
      if (!s.target) fail("needs a target");
      break;
    case normalisation_method::ratio_to_benchmark:
      if (!s.benchmark == !s.benchmark_factor)
        fail("needs either a benchmark or a benchmark_factor (k x the previous year's pool mean)");
      if (s.benchmark && !(*s.benchmark > 0)) fail(fmt::format("benchmark must be positive, got {}", *s.benchmark));
      if (s.benchmark_factor && !(*s.benchmark_factor > 0))
        fail(fmt::format("benchmark_factor must be positive, got {}", *s.benchmark_factor));
      [[fallthrough]];
    case normalisation_method::ratio_to_max:
      if (s.cap && !(*s.cap > 0)) fail(fmt::format("cap must be positive, got {}", *s.cap));
      if (!(s.hi > 0)) fail(fmt::format("hi must be positive, got {}", s.hi));
      break;
    case normalisation_method::efficacy:
      if (!(s.c > 0)) fail(fmt::format("c must be positive, got {}", s.c));
      break;
    case normalisation_method::efficacy_anchored:
      if (!s.x_s || !s.x_h) fail("needs x_s (non-allowable value) and x_h (satisfactory value)");
      if (!(s.c > 0)) fail(fmt::format("c must be positive, got {}", s.c));
      if (n.dir == direction::higher_is_better && !(*s.x_h > *s.x_s))
        fail(fmt::format("higher is better, so x_h ({}) must exceed x_s ({})", *s.x_h, *s.x_s));
      if (n.dir == direction::lower_is_better && !(*s.x_h < *s.x_s))
        fail(fmt::format("lower is better, so x_h ({}) must be below x_s ({})", *s.x_h, *s.x_s));
      break;
    case normalisation_method::rank_tier: {
      if (s.tiers.empty()) fail("needs tiers, e.g. [{\"top\": 0.3, \"score\": 100}, ...]");
      double previous = 0.0;
      for (const rank_tier& t : s.tiers) {
        if (!(t.top > previous && t.top <= 1.0))
          fail(fmt::format("tier tops must increase within (0, 1], got {} after {}", t.top, previous));
        if (!std::isfinite(t.score)) fail(fmt::format("tier score must be finite, got {}", t.score));
        previous = t.top;
      }
      if (s.tiers.back().top != 1.0)
        fail(fmt::format("the last tier must reach 1 (every unit gets a tier), got {}", s.tiers.back().top));
      break;
    }
    default:
      break;
  }
  if (s.benchmark_factor && s.method != normalisation_method::ratio_to_benchmark)
    fail("benchmark_factor belongs to ratio_to_benchmark");
  if (!s.tiers.empty() && s.method != normalisation_method::rank_tier) fail("tiers belong to rank_tier");
  if ((s.clip_lo && !std::isfinite(*s.clip_lo)) || (s.clip_hi && !std::isfinite(*s.clip_hi)))
    fail("clip bounds must be finite numbers");
  if (s.clip_lo && s.clip_hi && !(*s.clip_hi > *s.clip_lo))
    fail(fmt::format("clip upper bound ({}) must exceed the lower bound ({})", *s.clip_hi, *s.clip_lo));
}

// Whether a node's score can be zero or negative; geometric and harmonic means
// above such a node would fail on real data, so validation rejects them early.
bool can_be_nonpositive(const framework& fw, int index) {
  const node& n = fw.at(index);
  if (n.is_indicator()) return can_emit_nonpositive(n.norm, n.dir);
  if (n.rescale.method == rescale_method::min_max) return n.rescale.lo <= 0;
  if (n.agg.method == aggregation_method::topsis) return true;
  if (n.agg.method == aggregation_method::geometric) return false;
  for (int c : n.children)
    if (can_be_nonpositive(fw, c)) return true;
  return false;
}

bool needs_positive_children(const aggregation& a) {
  return a.method == aggregation_method::geometric || a.method == aggregation_method::harmonic ||
         (a.method == aggregation_method::power && a.power <= 0);
}

}  // namespace

void framework::validate() const {
  if (nodes_.empty()) throw schema_error("framework has no root node");
  if (indicators_.empty()) throw schema_error(fmt::format("framework '{}' has no indicators", id));
  for (const std::string& p : pools)
    if (std::count(pools.begin(), pools.end(), p) > 1)
      throw schema_error(fmt::format("framework '{}': pool '{}' is listed twice", id, p));
  if (!(scores.total_points > 0) || !std::isfinite(scores.total_points))
    throw schema_error(fmt::format("framework '{}': total_points must be positive, got {}", id, scores.total_points));
  detail::validate_weighting(*this);
  detail::validate_zone_rules(*this);
  for (const node& n : nodes_)
    if (!std::isfinite(n.weight) || n.weight < 0)
      throw schema_error(fmt::format("node '{}': weight must be a finite number >= 0, got {}", n.id, n.weight));
  for (std::size_t i = 0; i < nodes_.size(); ++i) {
    const node& n = nodes_[i];
    // Parents are stored before their children, which rules out cycles.
    if (i > 0 && !(n.parent >= 0 && static_cast<std::size_t>(n.parent) < i))
      throw schema_error(fmt::format("node '{}' is not below an earlier node (cycle or orphan)", n.id));
    if (n.is_indicator()) {
      validate_normalisation(n);
      continue;
    }
    if (n.children.empty())
      throw schema_error(fmt::format("node '{}' is a category without children", n.id));
    double sum = 0.0;
    for (int c : n.children) sum += at(c).weight;
    if (!(sum > 0)) throw schema_error(fmt::format("node '{}': the weights of its children are all zero", n.id));
    if (!(n.agg.min_coverage >= 0 && n.agg.min_coverage <= 1))
      throw schema_error(fmt::format("node '{}': min_coverage must lie in [0, 1], got {}", n.id, n.agg.min_coverage));
    if (n.agg.method == aggregation_method::power && !std::isfinite(n.agg.power))
      throw schema_error(fmt::format("node '{}': power mean needs a finite p", n.id));
    if (n.rescale.method != rescale_method::none && !(n.rescale.hi > n.rescale.lo))
      throw schema_error(fmt::format("node '{}': rescale hi ({}) must exceed lo ({})", n.id, n.rescale.hi, n.rescale.lo));
    if (needs_positive_children(n.agg)) {
      for (int c : n.children) {
        if (can_be_nonpositive(*this, c))
          throw schema_error(fmt::format(
              "node '{}' uses a {} mean, but child '{}' can score 0 or less (e.g. min-max from 0); "
              "use a strictly positive range such as min_max with lo = 1, hi = 100",
              n.id, to_string(n.agg.method), at(c).id));
      }
    }
  }
}

std::string to_string(direction d) { return detail::name_of(detail::direction_names, d); }
std::string to_string(normalisation_method m) { return detail::name_of(detail::normalisation_names, m); }
std::string to_string(aggregation_method m) { return detail::name_of(detail::aggregation_names, m); }
std::string to_string(rank_method m) { return detail::name_of(detail::rank_method_names, m); }

}  // namespace parkscore
