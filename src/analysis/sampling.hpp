#pragma once
// One replicate's realisation of the declared inputs. Input i draws from its own
// Philox stream (seed, stream id, substream i), so a Saltelli design can swap one
// input's draws between rows without touching the others.

#include <cstdint>
#include <vector>

#include "parkscore/analysis/philox.hpp"
#include "parkscore/analysis/uncertainty_spec.hpp"
#include "parkscore/model/framework.hpp"

namespace parkscore::detail {

struct input_draw {
  std::vector<int> choice;     // option per discrete input
  std::vector<double> param;   // value per parameter input
  std::vector<double> mult;    // per base-framework node: factor on its weight (1 = none)
  std::vector<double> absw;    // per base-framework node: replacement weight share (NaN = none)
};

/// Buffers of draw_rows, kept by the caller across blocks (freed and allocated per block, they
/// were fresh pages each time where glibc trims eagerly, as in Dask's workers).
struct draw_scratch {
  std::vector<std::uint64_t> streams;
  std::vector<philox_counter> counters, blocks;
  std::vector<std::size_t> first;
};

class sampler {
 public:
  /// `nominal_share`: per base node, its nominal share among its siblings (Dirichlet centres).
  sampler(const framework& base, const uncertainty_spec& spec, std::vector<double> nominal_share, std::uint64_t seed);

  std::size_t inputs() const { return spec_.input_count(); }
  /// Rows [0, count) into out[0, count); input i of row r draws from stream stream_of(r, i). The
  /// Philox blocks of every uniform weight factor of every row are made together
  /// (analysis/philox_batch.hpp): the words philox_stream::uniform32 would give, in its order.
  template <class StreamOf>
  void draw_rows(std::size_t count, StreamOf stream_of, std::vector<input_draw>& out, draw_scratch& scratch) const {
    const std::size_t w = spec_.weights.size();
    scratch.streams.resize(count * w);
    for (std::size_t r = 0; r < count; ++r)
      for (std::size_t i = 0; i < w; ++i) scratch.streams[r * w + i] = stream_of(r, i);
    draw_weight_rows(count, scratch, out);
    for (std::size_t r = 0; r < count; ++r) {
      for (std::size_t c = 0; c < spec_.choices.size(); ++c) out[r].choice[c] = draw_choice(c, stream_of(r, first_choice() + c));
      for (std::size_t p = 0; p < spec_.parameters.size(); ++p)
        out[r].param[p] = draw_parameter(p, stream_of(r, first_choice() + spec_.choices.size() + p));
    }
  }
  /// Only the discrete part (for grouping replicates by combination).
  template <class StreamOf>
  void draw_choices(StreamOf stream_of, std::vector<int>& choice) const {
    choice.resize(spec_.choices.size());
    for (std::size_t c = 0; c < spec_.choices.size(); ++c) choice[c] = draw_choice(c, stream_of(first_choice() + c));
  }

  /// Base-node indices whose weights some input varies (their parents' children).
  const std::vector<std::vector<int>>& varied_nodes() const { return nodes_; }

 private:
  std::size_t first_choice() const { return spec_.weights.size(); }
  void reset(input_draw& out) const;
  void draw_weights(std::size_t i, std::uint64_t stream, input_draw& out) const;
  // Resets out[0, count) and draws every weight input; scratch.streams[r * inputs + i] is row r's stream of input i.
  void draw_weight_rows(std::size_t count, draw_scratch& scratch, std::vector<input_draw>& out) const;
  int draw_choice(std::size_t c, std::uint64_t stream) const;
  double draw_parameter(std::size_t p, std::uint64_t stream) const;

  const framework& base_;
  const uncertainty_spec& spec_;
  std::vector<double> share_;
  std::uint64_t seed_;
  std::vector<std::vector<int>> nodes_;          // per weight input: aggregate nodes it varies
  std::vector<std::vector<double>> cumulative_;  // per choice: cumulative probabilities
  std::vector<std::vector<double>> lo_, hi_;     // per weight input (simplex): share bounds per child
  std::vector<std::vector<int>> rank_of_child_;  // per weight input (simplex): position in the order, -1 free
  std::vector<std::size_t> uniform_words_;       // per weight input: its uniform factors (0: not uniform)
};

}  // namespace parkscore::detail
