#include "parkscore/methods/weight.hpp"

#include <fmt/format.h>

#include <cmath>

#include "parkscore/methods/ahp.hpp"
#include "parkscore/error.hpp"
#include "parkscore/methods/weight_data.hpp"

namespace parkscore {

bool weighting_spec::uses_data() const {
  switch (method) {
    case weighting_method::entropy:
    case weighting_method::critic:
    case weighting_method::variation:
    case weighting_method::pca: return true;
    case weighting_method::combined:
      for (const weighting_spec& p : parts)
        if (p.uses_data()) return true;
      return false;
    default: return false;
  }
}

std::string to_string(weighting_method m) {
  switch (m) {
    case weighting_method::fixed: return "fixed";
    case weighting_method::equal: return "equal";
    case weighting_method::ahp: return "ahp";
    case weighting_method::entropy: return "entropy";
    case weighting_method::critic: return "critic";
    case weighting_method::variation: return "variation";
    case weighting_method::pca: return "pca";
    case weighting_method::combined: return "combined";
  }
  return "?";
}

weight_result fixed_weights(const Eigen::Ref<const Eigen::VectorXd>& values) {
  if (values.size() == 0) throw method_error("fixed weights: no children to weight");
  for (Eigen::Index j = 0; j < values.size(); ++j)
    if (!std::isfinite(values[j]) || values[j] < 0)
      throw method_error(fmt::format("fixed weights: weight {} of child {} must be finite and >= 0", values[j], j));
  const double total = values.sum();
  if (!(total > 0)) throw method_error("fixed weights: the weights sum to 0");
  weight_result out;
  out.method = weighting_method::fixed;
  out.weights = values / total;
  return out;
}

weight_result equal_weights(Eigen::Index k) {
  if (k < 1) throw method_error("equal weights: no children to weight");
  weight_result out;
  out.method = weighting_method::equal;
  out.weights = Eigen::VectorXd::Constant(k, 1.0 / static_cast<double>(k));
  return out;
}

Eigen::VectorXd multiplier_weights(double share, const Eigen::Ref<const Eigen::VectorXd>& multipliers) {
  if (!std::isfinite(share) || share < 0)
    throw method_error(fmt::format("multiplier weights: the category share must be finite and >= 0, got {}", share));
  return share * fixed_weights(multipliers).weights;
}

weight_result combine_weights(const weight_result& subjective, const weight_result& objective, combination how,
                              double alpha) {
  if (subjective.weights.size() != objective.weights.size())
    throw method_error(fmt::format("combined weights: {} subjective and {} objective weights",
                                   subjective.weights.size(), objective.weights.size()));
  weight_result out;
  out.method = weighting_method::combined;
  if (how == combination::linear) {
    if (!(alpha >= 0 && alpha <= 1)) throw method_error(fmt::format("combined weights: alpha must be in [0, 1], got {}", alpha));
    out.weights = alpha * subjective.weights + (1 - alpha) * objective.weights;
    out.note = fmt::format("linear: {:g} x {} + {:g} x {}", alpha, to_string(subjective.method), 1 - alpha,
                           to_string(objective.method));
  } else {
    const Eigen::VectorXd product = subjective.weights.cwiseProduct(objective.weights);
    const double total = product.sum();
    if (!(total > 0))
      throw method_error("combined weights: the products w_s w_o are all 0 (no child has weight under both)");
    out.weights = product / total;
    out.note = fmt::format("multiplicative: {} x {}, normalised", to_string(subjective.method),
                           to_string(objective.method));
  }
  out.rows_used = std::max(subjective.rows_used, objective.rows_used);
  out.rows_incomplete = std::max(subjective.rows_incomplete, objective.rows_incomplete);
  out.parts = {subjective, objective};
  return out;
}

weight_result derive_weights(const weighting_spec& spec, const Eigen::Ref<const Eigen::MatrixXd>& data,
                             const Eigen::Ref<const Eigen::VectorXd>& declared,
                             const std::vector<std::string>& columns) {
  const Eigen::Index k = declared.size();
  const auto check_columns = [&] {
    if (data.cols() != k)
      throw method_error(fmt::format("{} weights: {} data columns for {} children", to_string(spec.method),
                                     data.cols(), k));
  };
  switch (spec.method) {
    case weighting_method::fixed: return fixed_weights(declared);
    case weighting_method::equal: return equal_weights(k);
    case weighting_method::ahp: {
      const auto n = static_cast<Eigen::Index>(spec.matrix.size());
      if (n != k) throw method_error(fmt::format("AHP: the comparison matrix has {} rows for {} children", n, k));
      Eigen::MatrixXd a(n, n);
      for (Eigen::Index i = 0; i < n; ++i) {
        const auto& row = spec.matrix[static_cast<std::size_t>(i)];
        if (static_cast<Eigen::Index>(row.size()) != n)
          throw method_error(fmt::format("AHP: row {} of the comparison matrix has {} entries, expected {}", i,
                                         row.size(), n));
        for (Eigen::Index j = 0; j < n; ++j) a(i, j) = row[static_cast<std::size_t>(j)];
      }
      return ahp_weights(a, spec.ahp, columns);
    }
    case weighting_method::entropy: check_columns(); return entropy_weights(data, spec.entropy, columns);
    case weighting_method::critic: check_columns(); return critic_weights(data, spec.critic, columns);
    case weighting_method::variation: check_columns(); return variation_weights(data, columns, spec.variation);
    case weighting_method::pca: check_columns(); return pca_weights(data, spec.pca, columns);
    case weighting_method::combined: {
      if (spec.parts.size() != 2)
        throw method_error(fmt::format("combined weights need 2 parts (subjective, objective), got {}",
                                       spec.parts.size()));
      return combine_weights(derive_weights(spec.parts[0], data, declared, columns),
                             derive_weights(spec.parts[1], data, declared, columns), spec.combine, spec.alpha);
    }
  }
  throw method_error("unknown weighting method");
}

}  // namespace parkscore
