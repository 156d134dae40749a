#include "analysis/sampling.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "analysis/philox_batch.hpp"
#include "parkscore/analysis/philox.hpp"
#include "parkscore/error.hpp"

namespace parkscore::detail {

namespace {
constexpr int simplex_tries = 100000;   // rejection limit for bounds and partial orders
// A weight factor U(1 - spread, 1 + spread) from a uniform u on [0, 1).
inline double weight_factor(double spread, double u) { return 1.0 - spread + 2.0 * spread * u; }
}

sampler::sampler(const framework& base, const uncertainty_spec& spec, std::vector<double> nominal_share,
                 std::uint64_t seed)
    : base_(base), spec_(spec), share_(std::move(nominal_share)), seed_(seed) {
  for (const auto& w : spec.weights) {
    std::vector<int> nodes;
    if (w.node == "*") {
      for (int k = 0; k < static_cast<int>(base.nodes().size()); ++k)
        if (!base.at(k).is_indicator()) nodes.push_back(k);
    } else {
      nodes.push_back(base.index_of(w.node));
      if (base.at(nodes[0]).is_indicator()) throw schema_error(fmt::format("weights input '{}': '{}' is an indicator", w.name, w.node));
    }
    std::vector<double> lo, hi;
    std::vector<int> rank_of;
    if (w.draw == weight_draw::simplex) {
      const auto& children = base.at(nodes[0]).children;
      for (int ch : children) {
        const auto b = w.bounds.find(base.at(ch).id);
        lo.push_back(b == w.bounds.end() ? 0.0 : b->second.first);
        hi.push_back(b == w.bounds.end() ? 1.0 : b->second.second);
        const auto o = std::find(w.order.begin(), w.order.end(), base.at(ch).id);
        rank_of.push_back(o == w.order.end() ? -1 : static_cast<int>(o - w.order.begin()));
      }
      const double lo_sum = std::accumulate(lo.begin(), lo.end(), 0.0);
      const double hi_sum = std::accumulate(hi.begin(), hi.end(), 0.0);
      if (lo_sum > 1.0 + 1e-12 || hi_sum < 1.0 - 1e-12)
        throw schema_error(fmt::format("weights input '{}': share bounds sum to [{}, {}], which excludes 1", w.name,
                                       lo_sum, hi_sum));
    }
    std::size_t words = 0;
    if (w.draw == weight_draw::uniform_factor)
      for (int k : nodes) words += base.at(k).children.size();
    uniform_words_.push_back(words);
    nodes_.push_back(std::move(nodes));
    lo_.push_back(std::move(lo));
    hi_.push_back(std::move(hi));
    rank_of_child_.push_back(std::move(rank_of));
  }
  for (const auto& d : spec.choices) {
    if (d.options.empty()) throw schema_error(fmt::format("choice '{}' has no options", d.name));
    std::vector<double> p = d.probabilities.empty() ? std::vector<double>(d.options.size(), 1.0) : d.probabilities;
    if (p.size() != d.options.size())
      throw schema_error(fmt::format("choice '{}': {} probabilities for {} options", d.name, p.size(), d.options.size()));
    std::partial_sum(p.begin(), p.end(), p.begin());
    if (!(p.back() > 0)) throw schema_error(fmt::format("choice '{}': the probabilities sum to 0", d.name));
    for (double& x : p) x /= p.back();
    cumulative_.push_back(std::move(p));
  }
}

void sampler::reset(input_draw& out) const {
  const std::size_t k = base_.nodes().size();
  out.mult.assign(k, 1.0);
  out.absw.assign(k, std::numeric_limits<double>::quiet_NaN());
  out.choice.assign(spec_.choices.size(), 0);
  out.param.assign(spec_.parameters.size(), 0.0);
}

void sampler::draw_weights(std::size_t i, std::uint64_t stream, input_draw& out) const {
  const weight_uncertainty& w = spec_.weights[i];
  philox_stream rng(seed_, stream, static_cast<std::uint32_t>(i));
  for (int k : nodes_[i]) {
    const auto& children = base_.at(k).children;
    switch (w.draw) {
      case weight_draw::uniform_factor:   // drawn in batches by draw_weight_rows
        break;
      case weight_draw::dirichlet: {
        double total = 0;
        for (int ch : children) {
          const double s = share_[static_cast<std::size_t>(ch)];
          const double g = s > 0 ? rng.gamma(w.concentration * s) : 0.0;
          out.absw[static_cast<std::size_t>(ch)] = g;
          total += g;
        }
        for (int ch : children) out.absw[static_cast<std::size_t>(ch)] /= total;
        break;
      }
      case weight_draw::simplex: {
        const std::size_t n = children.size();
        const auto& lo = lo_[i];
        const auto& hi = hi_[i];
        const auto& rank_of = rank_of_child_[i];
        const bool full_order = std::none_of(rank_of.begin(), rank_of.end(), [](int r) { return r < 0; });
        const bool bounded = std::any_of(lo.begin(), lo.end(), [](double v) { return v > 0; }) ||
                             std::any_of(hi.begin(), hi.end(), [](double v) { return v < 1; });
        // Lower bounds by an affine map: w = lo + slack y with y uniform on the simplex is uniform on
        // {w on the simplex, w >= lo}; upper bounds and partial orders by rejection. A point
        // (sum of lower bounds = 1) is returned as is.
        const double slack = 1.0 - std::accumulate(lo.begin(), lo.end(), 0.0);
        std::vector<double> x(n);
        for (int attempt = 0;; ++attempt) {
          if (attempt == simplex_tries)
            throw method_error(fmt::format("weights input '{}' on '{}': no draw met the bounds and order in {} tries",
                                           w.name, w.node, simplex_tries));
          double total = 0;
          for (double& v : x) total += (v = -std::log(rng.uniform_open0()));   // normalised exponentials: uniform on the simplex
          for (std::size_t c = 0; c < n; ++c) x[c] = lo[c] + std::max(slack, 0.0) * (x[c] / total);
          if (full_order && !bounded) {   // a complete order: sorting maps the simplex onto the ordered cone uniformly
            std::vector<double> sorted = x;
            std::sort(sorted.begin(), sorted.end(), std::greater<>());
            for (std::size_t c = 0; c < n; ++c) x[c] = sorted[static_cast<std::size_t>(rank_of[c])];
          }
          bool ok = true;
          for (std::size_t c = 0; c < n && ok; ++c) ok = x[c] <= hi[c] + 1e-12;   // bounds that meet in a point are not lost to rounding
          for (std::size_t a = 0; a < n && ok; ++a)
            for (std::size_t b = 0; b < n && ok; ++b)
              if (rank_of[a] >= 0 && rank_of[b] > rank_of[a]) ok = x[a] >= x[b];
          if (ok) break;
        }
        for (std::size_t c = 0; c < n; ++c) out.absw[static_cast<std::size_t>(children[c])] = x[c];
        break;
      }
    }
  }
}

void sampler::draw_weight_rows(std::size_t count, draw_scratch& scratch, std::vector<input_draw>& out) const {
  const std::size_t inputs = spec_.weights.size();
  const std::vector<std::uint64_t>& streams = scratch.streams;
  // Input i's uniform factors read the words of its stream's blocks 0, 1, ... in order, as
  // philox_stream::uniform32 does; here every row's blocks are made in one batch.
  std::vector<philox_counter>& counters = scratch.counters;
  std::vector<std::size_t>& first = scratch.first;
  counters.clear();
  first.assign(count * inputs, 0);
  for (std::size_t r = 0; r < count; ++r)
    for (std::size_t i = 0; i < inputs; ++i) {
      first[r * inputs + i] = counters.size();
      const std::uint64_t stream = streams[r * inputs + i];
      for (std::uint32_t b = 0; 4 * b < uniform_words_[i]; ++b)
        counters.push_back({b, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(stream),
                            static_cast<std::uint32_t>(stream >> 32)});
    }
  std::vector<philox_counter>& blocks = scratch.blocks;
  blocks.resize(counters.size());
  philox_blocks(counters.data(), counters.size(),
                {static_cast<std::uint32_t>(seed_), static_cast<std::uint32_t>(seed_ >> 32)}, blocks.data());
  for (std::size_t r = 0; r < count; ++r) {
    input_draw& d = out[r];
    reset(d);
    for (std::size_t i = 0; i < inputs; ++i) {
      if (uniform_words_[i] == 0) {
        draw_weights(i, streams[r * inputs + i], d);
        continue;
      }
      const std::uint32_t* word = blocks[first[r * inputs + i]].data();
      const double spread = spec_.weights[i].spread;
      for (int k : nodes_[i])
        for (int ch : base_.at(k).children)
          d.mult[static_cast<std::size_t>(ch)] *= weight_factor(spread, philox_stream::word_to_unit(*word++));
    }
  }
}

int sampler::draw_choice(std::size_t c, std::uint64_t stream) const {
  philox_stream rng(seed_, stream, static_cast<std::uint32_t>(first_choice() + c));
  const double u = rng.uniform();
  const auto& cum = cumulative_[c];
  for (std::size_t o = 0; o + 1 < cum.size(); ++o)
    if (u < cum[o]) return static_cast<int>(o);
  return static_cast<int>(cum.size() - 1);
}

double sampler::draw_parameter(std::size_t p, std::uint64_t stream) const {
  philox_stream rng(seed_, stream, static_cast<std::uint32_t>(first_choice() + spec_.choices.size() + p));
  const auto& par = spec_.parameters[p];
  return par.lo + (par.hi - par.lo) * rng.uniform();
}

}  // namespace parkscore::detail
