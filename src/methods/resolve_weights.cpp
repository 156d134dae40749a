#include "parkscore/methods/resolve_weights.hpp"

#include <fmt/format.h>

#include "parkscore/error.hpp"

namespace parkscore {

resolved_weights resolve_weights(const framework& model, const dataset& data, const pool_selector& pool,
                                 const evaluation_options& options) {
  evaluation_options opt = options;
  opt.pools = {pool.grouping};
  opt.keep.records = true;   // the weights are read from them
  const result r = evaluate(model, data, opt);
  const pool_result& p = r.pool(pool.grouping);
  const std::string label = pool.grouping.empty() ? std::string("all") : pool.label;
  resolved_weights out;
  out.model = model;
  out.pool = pool.grouping.empty() ? std::string("all") : pool.grouping + "=" + pool.label;
  for (const weight_record& w : p.weights) {
    if (w.pool_label != label) continue;
    node& n = out.model.at(out.model.index_of(w.node));
    for (std::size_t c = 0; c < n.children.size(); ++c)
      out.model.at(n.children[c]).weight = w.weights.weights[static_cast<Eigen::Index>(c)];
    n.weighting = weighting_spec{};
    out.records.push_back(w);
  }
  if (out.records.empty())
    throw data_error(fmt::format("no unit has label '{}' in grouping column '{}'", pool.label, pool.grouping));
  return out;
}

}  // namespace parkscore
