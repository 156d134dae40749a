#pragma once
// Variance-based sensitivity: first-order and total-effect Sobol indices by
// Saltelli sampling, with the Saltelli et al. (2010) first-order and Jansen (1999)
// total-effect estimators and bootstrap confidence intervals (docs/uncertainty.md).

#include <Eigen/Core>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace parkscore {

class uncertainty_engine;

enum class sobol_output {
  mean_abs_rank_shift,   // mean over ranked units of |rank - nominal rank|
  unit_rank,             // one unit's rank
  unit_score,            // one unit's root score
};

struct sobol_options {
  std::size_t base_samples = 1000;   // n: the design has n (k + 2) rows
  std::uint64_t seed = 1;
  sobol_output output = sobol_output::mean_abs_rank_shift;
  std::string unit;                  // for unit_rank and unit_score
  std::size_t bootstrap = 200;       // resamples for the intervals (0: none)
  double confidence = 0.95;
  std::function<void(std::size_t, std::size_t)> progress;
  const std::atomic<bool>* cancel = nullptr;
};

struct sobol_result {
  std::vector<std::string> inputs;
  Eigen::VectorXd first, total;                  // S_i, ST_i
  Eigen::VectorXd first_lo, first_hi, total_lo, total_hi;
  double first_sum = 0, first_sum_lo = 0, first_sum_hi = 0;
  bool sum_check = true;                         // first_sum_lo <= 1: the first-order indices fit in the variance
  double mean = 0, variance = 0;                 // of the output over A and B
  std::size_t evaluations = 0;
};

/// Sobol indices of a model of k inputs, each U(0, 1); `model(u, y)` fills y[r] for each row of u
/// (rows x k). Rows of A and B come from a Philox stream keyed by the seed.
sobol_result sobol_indices(std::size_t inputs, const std::function<void(const Eigen::MatrixXd&, Eigen::VectorXd&)>& model,
                           const sobol_options& options);

/// Sobol indices of the declared inputs of an uncertainty analysis (each input a group:
/// a weights input is all its weights). Uses the engine's threads.
sobol_result sobol_indices(const uncertainty_engine& engine, const sobol_options& options);

/// The estimators on given outputs: y_a, y_b (n) and y_ab (n x k, column i = A with input i from B).
sobol_result sobol_estimates(const Eigen::VectorXd& y_a, const Eigen::VectorXd& y_b, const Eigen::MatrixXd& y_ab,
                             std::size_t bootstrap, double confidence, std::uint64_t seed);

}  // namespace parkscore
